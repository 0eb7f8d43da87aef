using Connectors.Core.Mapping;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Tests.Mapping;

/// <summary>
/// The mapping language, case by case: each row compiles one rule (as the config loader hands it over,
/// in JSON), applies it to a shop customer or order, and compares the target field with what an
/// integrator would expect. A null expectation means the field is left out of the payload.
/// </summary>
public sealed class MappingCaseTests
{
    private const string C = "customer";
    private const string O = "order";

    public static TheoryData<string, string, string, string?> Cases => new()
    {
        // Paths and constants.
        { "path", C, """ "first_name" """, """ "bob" """ },
        { "nested path", C, """ "default_address.city" """, """ "Louisville" """ },
        { "array index", C, """ "addresses[1].city" """, """ "Ottawa" """ },
        { "quoted key", C, """ "meta['odd key']" """, """ "x" """ },
        { "missing path is no value", C, """ "no_such.field" """, null },
        { "JSON null is no value", C, """ "note" """, null },
        { "quoted constant", C, """ "'Shop'" """, """ "Shop" """ },
        { "constant with doubled quote", C, """ "'O''Brien'" """, """ "O'Brien" """ },
        { "number constant", C, """ 42 """, """ 42 """ },
        { "boolean constant", C, """ true """, """ true """ },
        { "const object", C, """ { "const": { "a": 1 } } """, """ { "a": 1 } """ },

        // Text.
        { "trim and lower", C, """ "email | trim | lower" """, """ "bob.norman@mail.example.com" """ },
        { "upper", C, """ "first_name | upper" """, """ "BOB" """ },
        { "title", C, """ "last_name | title" """, """ "Norman" """ },
        { "empty_as_null", C, """ "blank_note | empty_as_null" """, null },
        { "truncate", C, """ "tags | truncate(3)" """, """ "vip" """ },
        { "replace", C, """ "last_order_name | replace('#', 'No. ')" """, """ "No. 1001" """ },

        // Templates.
        { "bare template", C, """ "{first_name} {last_name}" """, """ "bob NORMAN" """ },
        { "template with pipes inside", C, """ "{first_name | title} {last_name | title}" """, """ "Bob Norman" """ },
        { "template of missing fields is no value", C, """ "{middle_name} {maiden_name}" """, null },
        { "quoted template then pipe", C, """ "\"{first_name} {last_name}\" | upper" """, """ "BOB NORMAN" """ },
        { "bare template then pipe", C, """ "{first_name} {last_name} | title" """, """ "Bob Norman" """ },
        { "template apostrophe stays text", C, """ "{first_name}'s account" """, """ "bob's account" """ },

        // Coalesce and defaults.
        { "coalesce skips null", C, """ "phone ?? default_address.phone ?? 'n/a'" """, """ "555-625-1199" """ },
        { "coalesce falls to constant", C, """ "phone ?? fax ?? 'n/a'" """, """ "n/a" """ },
        { "coalesce skips empty string", C, """ "default_address.address2 ?? 'none'" """, """ "none" """ },
        { "default", C, """ "fax | default('none')" """, """ "none" """ },
        { "coalesce function", C, """ "coalesce(fax, phone, first_name)" """, """ "bob" """ },
        { "pipe binds tighter than ??", C, """ "fax ?? first_name | upper" """, """ "BOB" """ },
        { "parentheses group", C, """ "(fax ?? first_name) | upper" """, """ "BOB" """ },

        // Lists.
        { "split", C, """ "tags | split(',')" """, """ ["vip", "newsletter", "wholesale"] """ },
        { "split then join", C, """ "tags | split(',') | join(';')" """, """ "vip;newsletter;wholesale" """ },
        { "first", C, """ "tags | split | first" """, """ "vip" """ },

        // Numbers and currency.
        { "to_number of a price string", C, """ "total_spent | to_number" """, """ 199.65 """ },
        { "number in a culture", C, """ "total_spent | number('#,##0.00', 'de-DE')" """, """ "199,65" """ },
        { "number invariant", C, """ "'1234.5' | number('#,##0.00')" """, """ "1,234.50" """ },
        { "currency invariant", C, """ "total_spent | currency('USD')" """, """ "USD 199.65" """ },
        { "currency in its culture", C, """ "'1234.5' | currency('USD', 'en-US')" """, """ "$1,234.50" """ },
        { "currency in another culture", C, """ "'1234.5' | currency('EUR', 'de-DE')" """, """  "1.234,50 €" """ },
        { "round away from zero", C, """ "total_spent | round(1)" """, """ 199.7 """ },
        { "round to integer", C, """ "'2.5' | round" """, """ 3 """ },

        // Dates and time zones.
        { "date in Berlin crosses midnight and DST", O, """ "created_at | date('yyyy-MM-dd HH:mm', 'Europe/Berlin')" """, """ "2024-04-01 01:30" """ },
        { "date default is ISO UTC", O, """ "created_at | date" """, """ "2024-03-31T23:30:00+00:00" """ },
        { "date ISO in New York", O, """ "created_at | date('iso', 'America/New_York')" """, """ "2024-03-31T19:30:00-04:00" """ },
        { "offset input keeps its instant", C, """ "created_at | date('iso', 'UTC')" """, """ "2024-03-01T15:15:30+00:00" """ },
        { "no offset reads as UTC", C, """ "'2024-01-15T10:00:00' | date('iso', 'Asia/Kolkata')" """, """ "2024-01-15T15:30:00+05:30" """ },
        { "date only stays that day", C, """ "'2024-01-15' | date('dd.MM.yyyy', 'America/Los_Angeles')" """, """ "15.01.2024" """ },
        { "parse_date in winter", C, """ "'15.01.2024 14:30' | parse_date('dd.MM.yyyy HH:mm', 'Europe/Berlin')" """, """ "2024-01-15T14:30:00+01:00" """ },
        { "parse_date in summer", C, """ "'15.07.2024 14:30' | parse_date('dd.MM.yyyy HH:mm', 'Europe/Berlin')" """, """ "2024-07-15T14:30:00+02:00" """ },
        { "parse then format", C, """ "'07/15/2024 2:30 PM' | parse_date('MM/dd/yyyy h:mm tt', 'America/Chicago') | date('iso', 'UTC')" """, """ "2024-07-15T19:30:00+00:00" """ },
        { "unix seconds", C, """ "'2024-01-01T00:00:00Z' | date('unix')" """, """ 1704067200 """ },
        { "month name in a culture", C, """ "'2024-03-05T12:00:00Z' | date('d. MMMM yyyy', 'UTC', 'de-DE')" """, """ "5. März 2024" """ },

        // Phones, emails, countries, hashes.
        { "phone with default region", C, """ "'(650) 253-0000' | phone('US')" """, """ "+16502530000" """ },
        { "phone national German", C, """ "'030 901820' | phone('DE')" """, """ "+4930901820" """ },
        { "phone international ignores region", C, """ "'+44 20 7031 3000' | phone('DE')" """, """ "+442070313000" """ },
        { "phone unreadable is kept", C, """ "'call me' | phone('DE')" """, """ "call me" """ },
        { "email with display name", C, """ "' Bob <Bob.Norman@Example.COM> ' | email" """, """ "bob.norman@example.com" """ },
        { "email mailto", C, """ "'mailto:ANN@x.org' | email" """, """ "ann@x.org" """ },
        { "email not an address is kept", C, """ "'not-an-email' | email" """, """ "not-an-email" """ },
        { "country name to code", C, """ "default_address.country | country_code" """, """ "US" """ },
        { "native country name to code", C, """ "'Deutschland' | country_code" """, """ "DE" """ },
        { "alpha-3 to name", C, """ "'DEU' | country_name" """, """ "Germany" """ },
        { "alpha-2 to alpha-3", C, """ "'de' | country_code3" """, """ "DEU" """ },
        { "accents and punctuation ignored", C, """ "'cote d ivoire' | country_code" """, """ "CI" """ },
        { "alias", C, """ "'United States of America' | country_code" """, """ "US" """ },
        { "unknown country is kept", C, """ "'Atlantis' | country_code" """, """ "Atlantis" """ },
        { "sha256", C, """ "'hello' | sha256" """, """ "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824" """ },
        { "sha256 of a normalized email", C, """ "email | email | sha256" """, """ "caa7822525c07341082aa1fdde58f99cc7e8e1395ffb28e6fe6fe1776f9dd75e" """ },

        // Conversions.
        { "to_bool yes", C, """ "'yes' | to_bool" """, """ true """ },
        { "to_bool zero", C, """ "'0' | to_bool" """, """ false """ },
        { "to_string of a number", C, """ "orders_count | to_string" """, """ "3" """ },
        { "to_number of blank", C, """ "blank_note | to_number" """, null },

        // Conditionals.
        { "when then", O, """ { "when": "financial_status == 'paid'", "then": "'Closed Won'", "else": "'Negotiation'" } """, """ "Closed Won" """ },
        { "when chain", C, """ { "when": "orders_count > 5", "then": "'VIP'", "else": { "when": "orders_count >= 3", "then": "'Regular'", "else": "'New'" } } """, """ "Regular" """ },
        { "and, not", C, """ { "when": "verified_email and not tax_exempt", "then": "'ok'" } """, """ "ok" """ },
        { "numeric string compares as number", C, """ { "when": "total_spent > 1000", "then": "'big'" } """, null },
        { "missing equals null", C, """ { "when": "fax == null", "then": "'no fax'" } """, """ "no fax" """ },
        { "comparison as value", C, """ "orders_count == 3" """, """ true """ },

        // Value maps (picklists).
        { "map", O, """ { "value": "financial_status", "map": { "paid": "Closed Won", "pending": "Negotiation" }, "default": "Qualification" } """, """ "Closed Won" """ },
        { "map default", """ { "financial_status": "refunded" } """, """ { "value": "financial_status", "map": { "paid": "Closed Won" }, "default": "Qualification" } """, """ "Qualification" """ },
        { "map ignore case", O, """ { "value": "'PAID'", "map": { "paid": "Closed Won" }, "ignore_case": true } """, """ "Closed Won" """ },
        { "map number key", C, """ { "value": "orders_count", "map": { "3": "three" } } """, """ "three" """ },
        { "map missing without default", C, """ { "value": "fax", "map": { "a": "b" } } """, null },

        // Arrays of line items into a subform.
        { "each line item", O, """ { "each": "line_items", "fields": { "Product_Name": "title", "Quantity": "quantity", "List_Price": "price | to_number" } } """,
            """ [ { "Product_Name": "IPod Nano - 8gb", "Quantity": 1, "List_Price": 199 }, { "Product_Name": "Gift card", "Quantity": 2, "List_Price": 25 }, { "Product_Name": "Returned", "Quantity": 0, "List_Price": 199 } ] """ },
        { "each where", O, """ { "each": "line_items", "where": "quantity > 0", "fields": { "Sku": "sku ?? 'NO-SKU'", "Order": "$root.name" } } """,
            """ [ { "Sku": "IPOD2008PINK", "Order": "#1001" }, { "Sku": "NO-SKU", "Order": "#1001" } ] """ },
        { "each value over scalars", O, """ { "each": "tags_list", "value": "$ | upper" } """, """ ["A", "B"] """ },
        { "each missing array", O, """ { "each": "no_such_items", "value": "$" } """, null },
        { "each empty array", O, """ { "each": "no_items", "value": "$" } """, """ [] """ },

        // Nested objects.
        { "fields object", C, """ { "fields": { "street": "default_address.address1", "city": "default_address.city" } } """, """ { "street": "Chestnut Street 92", "city": "Louisville" } """ },
        { "fields with nothing is no value", C, """ { "fields": { "a": "fax" } } """, null },

        // Lookups through links.
        { "lookup", O, """ { "lookup": { "flow": "customers-to-crm", "id": "customer.id" } } """, """ "crm-1001" """ },
        { "lookup as lookup object", O, """ { "fields": { "id": { "lookup": { "flow": "customers-to-crm", "id": "customer.id" } } } } """, """ { "id": "crm-1001" } """ },
        { "lookup not linked", O, """ { "lookup": { "flow": "customers-to-crm", "id": "'999'" } } """, null },
        { "lookup per line item", O, """ { "each": "line_items", "where": "quantity > 0", "fields": { "Product_Name": { "fields": { "id": { "lookup": { "flow": "products-to-crm", "id": "product_id" } } } }, "Quantity": "quantity" } } """,
            """ [ { "Product_Name": { "id": "prod-77" }, "Quantity": 1 }, { "Quantity": 2 } ] """ },

        // Scripts.
        { "script expression", C, """ { "script": "record.first_name + ' ' + record.last_name.toLowerCase()" } """, """ "bob norman" """ },
        { "script body", O, """ { "script": "let total = 0;\nfor (const li of record.line_items) total += li.quantity * parseFloat(li.price);\nreturn Math.round(total * 100) / 100;" } """, """ 249 """ },
        { "script with value", C, """ { "script": "value.split('').reverse().join('')", "value": "last_name" } """, """ "NAMRON" """ },
        { "script per item", O, """ { "each": "line_items", "value": { "script": "item.sku || 'none'" } } """, """ ["IPOD2008PINK", "none", "none"] """ },
        { "script undefined is no value", C, """ { "script": "undefined" } """, null },
        { "lookup as script value", O, """ { "script": "'Contact ' + value", "value": { "lookup": { "flow": "customers-to-crm", "id": "customer.id" } } } """, """ "Contact crm-1001" """ },
        { "script object", C, """ { "script": "({ n: record.orders_count + 1 })" } """, """ { "n": 4 } """ },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Apply_Rule_GivesExpectedTargetValue(string name, string source, string rule, string? expected)
    {
        var mapping = MappingCompiler.Compile([new MappingField("Out", Samples.Parse($$"""{ "r": {{rule}} }""")["r"]!)]);
        var record = Samples.Parse(source switch { C => Samples.Customer, O => Samples.Order, _ => source });

        var payload = mapping.Apply(record, Samples.LinkedContext());

        if (expected is null)
        {
            Assert.False(payload.ContainsKey("Out"), $"{name}: expected no value, got {payload["Out"]?.ToString(Newtonsoft.Json.Formatting.None)}");
        }
        else
        {
            var want = Samples.Parse($$"""{ "r": {{expected}} }""")["r"];
            Assert.True(JToken.DeepEquals(want, payload["Out"]),
                $"{name}: expected {want?.ToString(Newtonsoft.Json.Formatting.None)}, got {payload["Out"]?.ToString(Newtonsoft.Json.Formatting.None) ?? "no value"}");
        }
    }

    [Fact]
    public void Cases_AreAtLeastForty() => Assert.True(Cases.Count >= 40);
}
