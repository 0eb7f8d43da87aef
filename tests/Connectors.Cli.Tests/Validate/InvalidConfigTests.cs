using Connectors.Core.Configuration;

namespace Connectors.Cli.Tests.Validate;

/// <summary>
/// <c>connectors validate</c> on invalid configs, one mistake each, against the CRM emulator's live
/// metadata (or the built-in schema when a case says the CRM is unreachable). Each asserts the exact
/// location (file:line:column), flow and field of the error, and that it is the only one where one
/// mistake should give one error.
/// </summary>
public sealed class InvalidConfigTests(CrmEmulator emulator) : IClassFixture<CrmEmulator>
{
    private const string Contacts = "shopify-customers-to-zoho-contacts";

    /// <summary>One invalid config and the error it must give.</summary>
    private sealed record Case(string Yaml, int Line, int Column, string? Flow, string? Field, string Message, bool Live = true, bool Alone = true);

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["unknown target field"] = new(ConfigText.ContactsFlow("      Emial_Opt: firstName"), 24, 18, "f", "Emial_Opt", "crm.Contacts has no field 'Emial_Opt'"),
        ["misspelt target field"] = new(ConfigText.ContactsFlow("      Frist_Name: firstName"), 24, 19, "f", "Frist_Name", "has no field 'Frist_Name'; did you mean 'First_Name'?"),
        ["read-only target field"] = new(ConfigText.ContactsFlow("      Full_Name: \"{firstName} {lastName}\""), 24, 18, "f", "Full_Name", "it is read-only"),
        ["mandatory field never mapped"] = new(ConfigText.Flow("      Email: defaultEmailAddress.emailAddress | email"), 22, 7, "f", "Last_Name",
            "crm.Contacts requires Last_Name on every record (it is mandatory, a text field), but the mapping never writes it"),
        ["picklist constant not allowed"] = new(ConfigText.ContactsFlow("      Lead_Source: \"'Web Shop'\""), 24, 20, "f", "Lead_Source",
            "'Web Shop' is not a value crm.Contacts allows for Lead_Source, a picklist field"),
        ["picklist value-map output not allowed"] = new(ConfigText.ContactsFlow("""
                  Lead_Source:
                    value: state
                    map: { ENABLED: Online Store, INVITED: Invited }
            """), 25, 9, "f", "Lead_Source", "'Invited' is not a value crm.Contacts allows for Lead_Source"),
        ["text function on a list"] = new(ConfigText.ContactsFlow("      Description: tags | lower"), 24, 20, "f", "Description",
            "lower expects text but 'tags' is a list; take one item with tags | first"),
        ["text function after split"] = new(ConfigText.ContactsFlow("      Description: firstName | split(' ') | upper"), 24, 20, "f", "Description",
            "upper expects text but its input is a list"),
        ["text function on a number"] = new(ConfigText.ContactsFlow("      Title: firstName | to_number | trim"), 24, 14, "f", "Title",
            "trim expects text but its input is a number; convert it first with | to_string"),
        ["date on a list"] = new(ConfigText.ContactsFlow("      Description: tags | date"), 24, 20, "f", "Description",
            "date expects an ISO-8601 date and time but 'tags' is a list"),
        ["unknown source field"] = new(ConfigText.ContactsFlow("      First_Name: firstNam"), 24, 19, "f", "First_Name",
            "'firstNam': the record has no field 'firstNam'; did you mean 'firstName'?"),
        ["unknown nested source field"] = new(ConfigText.ContactsFlow("      Mailing_City: defaultAddress.cty"), 24, 21, "f", "Mailing_City",
            "'defaultAddress' has no field 'cty'; did you mean 'city'?"),
        ["list into a text field"] = new(ConfigText.ContactsFlow("      Description: tags"), 24, 20, "f", "Description",
            "Description takes text, a textarea field in crm.Contacts, but the rule gives a list"),
        ["object into a text field"] = new(ConfigText.ContactsFlow("      Mailing_Street: defaultAddress"), 24, 23, "f", "Mailing_Street",
            "Mailing_Street takes text, a text field in crm.Contacts, but the rule gives an object"),
        ["text into a lookup"] = new(ConfigText.ContactsFlow("      Account_Name: firstName"), 24, 21, "f", "Account_Name",
            "Account_Name is an object, a lookup field in crm.Contacts, but the rule gives text; build it with { fields: { id: … } }"),
        ["unknown field inside a lookup"] = new(ConfigText.ContactsFlow("      Account_Name: { fields: { ids: id } }"), 24, 21, "f", "Account_Name.ids",
            "Account_Name in crm.Contacts has no field 'ids'; did you mean 'id'?"),
        ["each over text"] = new(ConfigText.ContactsFlow("      Description: { each: firstName, value: $ }"), 24, 20, "f", "Description",
            "each expects an array but 'firstName' is text", Alone: false),
        ["unknown function"] = new(ConfigText.ContactsFlow("      First_Name: firstName | trimm"), 24, 19, "f", "First_Name",
            "unknown function 'trimm'; did you mean 'trim'?"),
        ["constant longer than the field"] = new(ConfigText.ContactsFlow($"      First_Name: \"'{new string('x', 41)}'\""), 24, 19, "f", "First_Name",
            "is 41 characters long, but crm.Contacts takes at most 40 in First_Name"),
        ["validation rule on an unmapped field"] = new(ConfigText.ContactsFlow("""
                validate:
                  Phone: phone
            """), 25, 14, "f", "Phone", "the mapping does not write this field"),
        ["match field not mapped"] = new(ConfigText.ContactsFlow(match: "[Email, Mobile]"), 17, 3, "f", "Mobile",
            "the match field 'Mobile' is not mapped"),
        ["match field unknown"] = new(ConfigText.ContactsFlow(match: "[Emails]"), 17, 3, "f", "Emails",
            "the match field 'Emails' is not a field of crm.Contacts; did you mean 'Email'?"),
        ["unknown stream"] = new(ConfigText.ContactsFlow(from: "shop.customer"), 18, 11, "f", "from",
            "unknown stream 'customer': system 'shop' (shopify) has no such stream; its streams: customers, orders, products."),
        ["field the shop's orders do not carry"] = new(ConfigText.Flow("""
                  Email: email
                  Last_Name: customer.lastName
            """, from: "shop.orders"), 23, 18, "f", "Last_Name", "'customer.lastName': 'customer' has no field 'lastName'; it has: id, legacyResourceId."),
        ["line items read as a list"] = new(ConfigText.Flow("""
                  Subject: "'x'"
                  Ordered_Items:
                    each: lineItems
                    fields:
                      Product_Name: { fields: { id: product.legacyResourceId } }
                      Quantity: quantity
            """, from: "shop.orders", to: "crm.Sales_Orders", match: "[]"), 24, 9, "f", "Ordered_Items",
            "each expects an array but 'lineItems' is an object", Alone: false),
        ["stream the connector does not write"] = new(ConfigText.Flow("      lastName: lastName", to: "shop.customers", match: "[]"), 19, 9, "f", "to",
            "the shopify connector does not write stream 'customers'; it only reads."),
        ["unknown system"] = new(ConfigText.ContactsFlow(to: "erp.Contacts"), 19, 9, "f", "to", "unknown system 'erp'; the config declares: shop, crm."),
        ["unknown default mapping"] = new(ConfigText.Flow("      use: shopify-customers-to-zoho-contact"), 22, 12, "f", "use",
            $"there is no default mapping 'shopify-customers-to-zoho-contact'; did you mean '{Contacts}'?"),
        ["default mapping for other streams"] = new(ConfigText.Flow($"      use: {Contacts}", to: "crm.Sales_Orders", match: "[]"), 22, 12, "f", "use",
            $"the default mapping '{Contacts}' maps shopify customers to zoho Contacts, but this flow goes from shop.customers (shopify) to crm.Sales_Orders (zoho).", Alone: false),
        ["override removing a field the default lacks"] = new(ConfigText.Flow($"""
                  use: {Contacts}
                  fields:
                    Fax: ~
            """), 24, 9, "f", "Fax", $"'Fax: ~' leaves out a field of the default mapping, but '{Contacts}' does not map 'Fax'"),
        ["override beside use"] = new(ConfigText.Flow($"""
                  use: {Contacts}
                  First_Name: firstName
            """), 23, 7, "f", "First_Name", "'First_Name' is beside 'use', where only 'fields' may stand: put field overrides under 'fields'."),
        ["override of the wrong type"] = new(ConfigText.Flow($"""
                  use: {Contacts}
                  fields:
                    Phone: tags | phone
            """), 24, 16, "f", "Phone", "phone expects text or a number but 'tags' is a list"),
        ["override dropping a mandatory field"] = new(ConfigText.Flow($"""
                  use: {Contacts}
                  fields:
                    Last_Name: ~
            """), 22, 7, "f", "Last_Name", "but the mapping never writes it; add it under the mapping's 'fields'."),
        ["picklist value on sales orders"] = new(ConfigText.Flow("""
                  Subject: "'x'"
                  Status: "'Shipped'"
                  Ordered_Items: { each: tags, fields: { Quantity: 1 } }
            """, to: "crm.Sales_Orders", match: "[]"), 23, 15, "f", "Status",
            "'Shipped' is not a value crm.Sales_Orders allows for Status, a picklist field; allowed: 'Created', 'Approved', 'Delivered', 'Cancelled'."),
        ["subform row without its mandatory field (built-in schema)"] = new(ConfigText.Flow("""
                  Subject: "'x'"
                  Ordered_Items:
                    each: tags
                    fields:
                      Quantity: 1
            """, to: "crm.Sales_Orders", match: "[]"), 24, 9, "f", "Ordered_Items[].Product_Name",
            "crm.Sales_Orders requires Product_Name in every Ordered_Items[] (it is mandatory, a lookup field), but the rule never writes it.", Live: false),
        ["unknown write mode"] = new(ConfigText.ContactsFlow("    writes: update-always"), 24, 13, "f", "writes",
            "'writes' is create-or-update (the default) or update-only (never create; a record the match fields do not find is dead-lettered)."),
        ["update-only without match"] = new(ConfigText.ContactsFlow("    writes: update-only", match: "[]"), 24, 13, "f", "writes",
            "'writes: update-only' needs 'match': the target fields that find the record to update."),
        ["secret reference that does not resolve"] = new(ConfigText.ContactsFlow(), 15, 21, null, "crm.refreshToken",
            "the reference ${secret:ZOHO_REFRESH_TOKEN} does not resolve: set the environment variable ZOHO_REFRESH_TOKEN."),
        ["not YAML"] = new(ConfigText.ContactsFlow("      Phone: [unclosed"), 25, 1, null, null, "this is not valid YAML"),
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Fact]
    public void TheSuite_HasAtLeast25InvalidConfigs() => Assert.True(Cases.Count >= 25, $"{Cases.Count} cases");

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Validate_InvalidConfig_NamesFileLineColumnFlowAndField(string name)
    {
        var @case = Cases[name];
        var settings = emulator.Settings(@case.Live);
        if (name.StartsWith("secret", StringComparison.Ordinal)) settings.Remove("ZOHO_REFRESH_TOKEN");

        var report = await CrmEmulator.CheckAsync(@case.Yaml, settings, TestContext.Current.CancellationToken);

        var all = string.Join(Environment.NewLine, report.Errors);
        var error = Assert.Single(report.Errors, e => e.Message.Contains(@case.Message, StringComparison.Ordinal));
        Assert.Equal(new SourceLocation("connectors.yaml", @case.Line, @case.Column), error.Location);
        Assert.Equal(@case.Flow, error.Flow);
        Assert.Equal(@case.Field, error.Field);
        if (@case.Alone) Assert.True(report.Errors.Count == 1, $"expected only this error, got:{Environment.NewLine}{all}");
        Assert.StartsWith($"connectors.yaml:{@case.Line}:{@case.Column}:", error.ToString(), StringComparison.Ordinal);
    }
}
