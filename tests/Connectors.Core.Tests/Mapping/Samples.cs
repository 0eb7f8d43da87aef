using Connectors.Core.Mapping;
using Connectors.Core.Records;
using Connectors.Core.State;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Tests.Mapping;

/// <summary>Source records shaped like a shop's customers and orders, parsed the way connectors parse them.</summary>
internal static class Samples
{
    public const string Customer = """
        {
          "id": 207119551,
          "email": "  Bob.Norman@Mail.Example.COM ",
          "accepts_marketing": false,
          "created_at": "2024-03-01T10:15:30-05:00",
          "first_name": "bob",
          "last_name": "NORMAN",
          "orders_count": 3,
          "state": "enabled",
          "total_spent": "199.65",
          "last_order_name": "#1001",
          "note": null,
          "blank_note": "   ",
          "verified_email": true,
          "tax_exempt": false,
          "tags": "vip, newsletter ,wholesale",
          "phone": null,
          "currency": "USD",
          "meta": { "odd key": "x" },
          "addresses": [
            { "id": 1, "address1": "Chestnut Street 92", "city": "Louisville", "country": "United States", "country_code": "US" },
            { "id": 2, "address1": "1 Wellington St", "city": "Ottawa", "country": "Canada", "country_code": "CA" }
          ],
          "default_address": {
            "id": 1, "company": "Acme GmbH", "address1": "Chestnut Street 92", "address2": "",
            "city": "Louisville", "province": "Kentucky", "country": "United States", "zip": "40202",
            "phone": "555-625-1199", "country_code": "US"
          }
        }
        """;

    public const string Order = """
        {
          "id": 450789469,
          "name": "#1001",
          "financial_status": "paid",
          "currency": "EUR",
          "total_price": "598.94",
          "created_at": "2024-03-31T23:30:00+00:00",
          "customer": { "id": 207119551, "email": "bob@example.com" },
          "tags_list": ["a", "b"],
          "no_items": [],
          "line_items": [
            { "id": 1, "product_id": 632910392, "title": "IPod Nano - 8gb", "quantity": 1, "price": "199.00", "sku": "IPOD2008PINK" },
            { "id": 2, "product_id": 999, "title": "Gift card", "quantity": 2, "price": "25.00", "sku": null },
            { "id": 3, "product_id": 632910392, "title": "Returned", "quantity": 0, "price": "199.00" }
          ]
        }
        """;

    /// <summary>Parses JSON as the connectors do: date-like strings stay strings.</summary>
    public static JObject Parse(string json)
    {
        using var reader = new JsonTextReader(new StringReader(json)) { DateParseHandling = DateParseHandling.None };
        return JObject.Load(reader);
    }

    /// <summary>A context in which customer 207119551 and product 632910392 are already linked in the CRM.</summary>
    public static MappingContext LinkedContext() => new(new Dictionary<string, IReadOnlyDictionary<string, Link>>
    {
        ["customers-to-crm"] = new Dictionary<string, Link> { ["207119551"] = NewLink("customers-to-crm", "207119551", "crm-1001") },
        ["products-to-crm"] = new Dictionary<string, Link> { ["632910392"] = NewLink("products-to-crm", "632910392", "prod-77") },
    });

    public static Link NewLink(string flow, string sourceId, string targetId) =>
        new(flow, sourceId, targetId, new Fingerprint("f"), new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
}
