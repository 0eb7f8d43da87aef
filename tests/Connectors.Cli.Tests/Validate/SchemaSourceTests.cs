using Connectors.Cli.Commands;
using Connectors.Core.Configuration;
using Spectre.Console;

namespace Connectors.Cli.Tests.Validate;

/// <summary>
/// Which schema validate checks against: the CRM's live field metadata when the CRM answers (its custom
/// fields and its own picklist values), else the Zoho connector's built-in schema, and it says which. The
/// built-in schema lists Zoho's standard fields only, so against it a field it lacks is a warning (it may
/// be the org's custom field), while against the live metadata it is an error.
/// </summary>
public sealed class SchemaSourceTests(CrmEmulator emulator) : IClassFixture<CrmEmulator>
{
    // Shopify_Id is a custom field of the emulator's Contacts; 'Public Relations' is one of Zoho's
    // default Lead_Source values that the emulator's org has removed.
    private static readonly string CustomField = ConfigText.ContactsFlow("      Shopify_Id: id");
    private static readonly string RemovedPicklistValue = ConfigText.ContactsFlow("      Lead_Source: \"'Public Relations'\"");

    [Fact]
    public async Task Validate_CrmReachable_ChecksAgainstLiveMetadata_AndKnowsItsCustomField()
    {
        var report = await CrmEmulator.CheckAsync(CustomField, emulator.Settings(reachable: true), TestContext.Current.CancellationToken);

        Assert.Empty(report.Errors);
        var contacts = Assert.Single(report.Schemas, s => s.System == "crm");
        Assert.Equal(SchemaOrigin.Live, contacts.Origin);
        Assert.Contains(emulator.Crm.RequestLog.Entries, r => r.Method == "GET" && r.Path == "/crm/v8/settings/fields" && r.Query.Contains("module=Contacts", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Validate_CrmUnreachable_FallsBackToTheBuiltInSchema_SaysWhy_AndWarnsOfTheFieldItCannotKnow()
    {
        var report = await CrmEmulator.CheckAsync(CustomField, emulator.Settings(reachable: false), TestContext.Current.CancellationToken);

        Assert.Empty(report.Errors);
        Assert.True(report.IsClean);
        var warning = Assert.Single(report.Warnings);
        Assert.Equal(new SourceLocation("connectors.yaml", 24, 19), warning.Location);
        Assert.Equal(("f", "Shopify_Id"), (warning.Flow, warning.Field));
        Assert.StartsWith("'Shopify_Id' is not a standard field of crm.Contacts and could not be checked offline (crm could not be asked for its own fields)",
            warning.Message, StringComparison.Ordinal);
        Assert.StartsWith("connectors.yaml:24:19: warning: flow 'f', field 'Shopify_Id': ", warning.ToString(), StringComparison.Ordinal);
        var contacts = Assert.Single(report.Schemas, s => s.System == "crm");
        Assert.Equal(SchemaOrigin.BuiltIn, contacts.Origin);
        Assert.Contains("could not be asked", contacts.Why, StringComparison.Ordinal);
        Assert.Contains("checked against the connector's built-in schema", contacts.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_CrmReachable_AFieldTheOrgLacks_IsAnError_NotAWarning()
    {
        var report = await CrmEmulator.CheckAsync(ConfigText.ContactsFlow("      Loyalty_Tier: \"'Gold'\""), emulator.Settings(reachable: true),
            TestContext.Current.CancellationToken);

        var error = Assert.Single(report.Errors);
        Assert.Equal((new SourceLocation("connectors.yaml", 24, 21), "Loyalty_Tier"), (error.Location, error.Field));
        Assert.StartsWith("crm.Contacts has no field 'Loyalty_Tier'", error.Message, StringComparison.Ordinal);
        Assert.Empty(report.Warnings);
    }

    [Fact]
    public async Task Validate_CrmUnreachable_WhatTheBuiltInSchemaKnowsIsStillChecked_ErrorsStayErrors()
    {
        var yaml = ConfigText.ContactsFlow("""
                  Full_Name: "{firstName} {lastName}"
                  Lead_Source: "'Web Shop'"
                  Email_Opt_Out: tags
                  Account_Name: { fields: { ids: id } }
            """);

        var report = await CrmEmulator.CheckAsync(yaml, emulator.Settings(reachable: false), TestContext.Current.CancellationToken);

        Assert.Equal([("Full_Name", 24), ("Lead_Source", 25), ("Email_Opt_Out", 26), ("Account_Name.ids", 27)],
            report.Errors.Select(e => (e.Field!, e.Location.Line)));
        Assert.Empty(report.Warnings);
    }

    [Fact]
    public async Task Validate_CustomMatchField_Offline_IsOneWarning_Live_IsClean()
    {
        var yaml = ConfigText.ContactsFlow("      Shopify_Id: id", match: "[Shopify_Id, Email]");

        var offline = await CrmEmulator.CheckAsync(yaml, emulator.Settings(reachable: false), TestContext.Current.CancellationToken);
        var live = await CrmEmulator.CheckAsync(yaml, emulator.Settings(reachable: true), TestContext.Current.CancellationToken);

        Assert.Empty(offline.Errors);
        Assert.Equal("Shopify_Id", Assert.Single(offline.Warnings).Field);
        Assert.Empty(live.Errors);
        Assert.Empty(live.Warnings);
    }

    [Fact]
    public async Task Validate_PicklistValueTheOrgRemoved_FailsLive_PassesAgainstZohoDefaults()
    {
        var live = await CrmEmulator.CheckAsync(RemovedPicklistValue, emulator.Settings(reachable: true), TestContext.Current.CancellationToken);
        var builtIn = await CrmEmulator.CheckAsync(RemovedPicklistValue, emulator.Settings(reachable: false), TestContext.Current.CancellationToken);

        var error = Assert.Single(live.Errors);
        Assert.Equal(new SourceLocation("connectors.yaml", 24, 20), error.Location);
        Assert.Equal(("f", "Lead_Source"), (error.Flow, error.Field));
        Assert.Contains("'Public Relations' is not a value crm.Contacts allows", error.Message, StringComparison.Ordinal);
        Assert.Empty(builtIn.Errors);
        Assert.Equal(SchemaOrigin.BuiltIn, Assert.Single(builtIn.Schemas, s => s.System == "crm").Origin);
    }

    [Fact]
    public async Task Validate_ModuleTheCrmDoesNotHave_IsAnUnknownStream()
    {
        var report = await CrmEmulator.CheckAsync(ConfigText.ContactsFlow(to: "crm.Loyalty_Cards", match: "[]"), emulator.Settings(reachable: true),
            TestContext.Current.CancellationToken);

        var error = Assert.Single(report.Errors);
        Assert.Equal(new SourceLocation("connectors.yaml", 19, 9), error.Location);
        Assert.Equal(("f", "to"), (error.Flow, error.Field));
        Assert.StartsWith("unknown stream 'Loyalty_Cards'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateCommand_CustomersConfig_IsCleanAgainstTheLiveCrm_ExitsZero()
    {
        var (exit, output) = await RunAsync("Samples/customers.yaml", DemoSettings(emulator.Crm.AccountsUrl.ToString(), emulator.Crm.ApiDomain.ToString()));

        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Contains("crm.Contacts (zoho): checked against the system's live field metadata.", output, StringComparison.Ordinal);
        Assert.Contains("shop.customers (shopify): checked against the connector's built-in schema", output, StringComparison.Ordinal);
        Assert.Contains("No errors.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateCommand_InvalidConfig_ListsEveryErrorWithItsLocation_ExitsTwo()
    {
        var path = Path.Combine(Path.GetTempPath(), $"connectors-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, ConfigText.ContactsFlow("      Frist_Name: firstName\n      Lead_Source: \"'Web Shop'\""), TestContext.Current.CancellationToken);
        try
        {
            var (exit, output) = await RunAsync(path, emulator.Settings(reachable: true));

            Assert.Equal(ExitCodes.BadConfig, exit);
            Assert.Contains("2 error(s):", output, StringComparison.Ordinal);
            Assert.Contains($"{path}:24:19: flow 'f', field 'Frist_Name': crm.Contacts has no field 'Frist_Name'; did you mean 'First_Name'?", output, StringComparison.Ordinal);
            Assert.Contains($"{path}:25:20: flow 'f', field 'Lead_Source': 'Web Shop' is not a value", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task ValidateCommand_CustomersConfigWithoutItsSecrets_NamesEachReference_AndChecksTheRestAgainstTheBuiltInSchema()
    {
        var (exit, output) = await RunAsync("Samples/customers.yaml", new Dictionary<string, string>());

        Assert.Equal(ExitCodes.BadConfig, exit);
        Assert.Contains("Samples/customers.yaml:13:20: 'shop.accessToken': the reference ${secret:SHOPIFY_ACCESS_TOKEN} does not resolve", output, StringComparison.Ordinal);
        Assert.Contains("crm.Contacts (zoho): checked against the connector's built-in schema (the system's settings have errors, so it was not asked).", output, StringComparison.Ordinal);
        Assert.DoesNotContain("flow '", output, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> DemoSettings(string accounts, string api) => new()
    {
        ["SHOP_URL"] = "http://127.0.0.1:9/",
        ["SHOPIFY_ACCESS_TOKEN"] = "shpat_test",
        ["ZOHO_ACCOUNTS_URL"] = accounts,
        ["ZOHO_API_DOMAIN"] = api,
        ["ZOHO_CLIENT_ID"] = "1000.SANDBOXCLIENTID",
        ["ZOHO_CLIENT_SECRET"] = "sandbox-client-secret-7f3a",
        ["ZOHO_REFRESH_TOKEN"] = "1000.sandbox-refresh-token-91c2",
        ["TYPEFORM_URL"] = "http://127.0.0.1:9/",
        ["TYPEFORM_ACCESS_TOKEN"] = "tfp_test",
        ["TYPEFORM_FORM_ID"] = "nps",
    };

    private static async Task<(int Exit, string Output)> RunAsync(string path, IReadOnlyDictionary<string, string> settings)
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 400;
        var exit = await ValidateCommand.RunAsync(console, path, new CrmEmulator.Secrets(settings), CrmEmulator.NoRetries, TestContext.Current.CancellationToken);
        return (exit, output.ToString());
    }
}
