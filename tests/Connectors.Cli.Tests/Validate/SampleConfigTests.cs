using Connectors.Cli.Commands;
using Connectors.Core.Configuration;
using Spectre.Console;

namespace Connectors.Cli.Tests.Validate;

/// <summary>
/// Every sample config validates with no error offline, against the connectors' built-in schemas: the only
/// things left are warnings, one for each custom field of the CRM org the sample says it needs (the built-in
/// schema knows Zoho's standard fields only), and each is asserted here by line, column, flow and field. Against
/// the CRM emulator's live metadata, which has those custom fields, the demo's config has neither errors nor warnings.
/// </summary>
public sealed class SampleConfigTests(CrmEmulator emulator) : IClassFixture<CrmEmulator>
{
    private const string Unreachable = CrmEmulator.Unreachable;

    /// <summary>The warnings each sample may give offline, as (line, column, flow, field); the custom fields its header lists.</summary>
    private static readonly Dictionary<string, (int Line, int Column, string Flow, string Field)[]> OfflineWarnings = new()
    {
        ["customers.yaml"] = [],
        ["shop-to-erp.yaml"] = [],
        ["two-way-demo.yaml"] = [],
        ["demo.yaml"] =
        [
            (66, 27, "products-to-crm", "Shopify_Product_Id"),
            (81, 25, "orders-to-crm", "Shopify_Order_Id"),
            (96, 9, "orders-to-crm", "Payment_Status"),
            (107, 9, "orders-to-crm", "Fulfillment_Status"),
            (118, 9, "orders-to-crm", "Cancellation_Reason"),
            // Currency is Zoho's, but only in an org with several currencies: not among the standard fields.
            (126, 17, "orders-to-crm", "Currency"),
            (152, 19, "feedback-to-contacts", "Latest_NPS"),
            (153, 27, "feedback-to-contacts", "Latest_NPS_Comment"),
            (154, 22, "feedback-to-contacts", "Latest_NPS_At"),
            (167, 29, "feedback-to-cases", "Feedback_Response_Id"),
            (168, 23, "feedback-to-cases", "Feedback_Score"),
        ],
    };

    public static TheoryData<string> Samples => [.. SampleNames()];

    [Fact]
    public void EverySample_HasItsExpectedWarningsListed() =>
        Assert.Equal(OfflineWarnings.Keys.Order(StringComparer.Ordinal), SampleNames());

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Sample_Offline_HasNoErrors_AndExactlyItsCustomFieldWarnings(string sample)
    {
        var yaml = await File.ReadAllTextAsync(Path.Combine("Samples", sample), TestContext.Current.CancellationToken);

        var report = await CrmEmulator.CheckAsync(yaml, AllSettings(Unreachable, Unreachable), TestContext.Current.CancellationToken);

        Assert.True(report.Errors.Count == 0, string.Join(Environment.NewLine, report.Errors));
        Assert.Equal(OfflineWarnings[sample], report.Warnings.Select(w => (w.Location.Line, w.Location.Column, w.Flow!, w.Field!)));
        Assert.All(report.Warnings, w => Assert.Contains("is not a standard field of crm.", w.Message, StringComparison.Ordinal));
        Assert.DoesNotContain(report.Schemas, s => s.Origin == SchemaOrigin.Live);
    }

    [Fact]
    public async Task DemoConfig_AgainstTheLiveCrm_HasNeitherErrorsNorWarnings()
    {
        var yaml = await File.ReadAllTextAsync(Path.Combine("Samples", "demo.yaml"), TestContext.Current.CancellationToken);

        var report = await CrmEmulator.CheckAsync(yaml, AllSettings(emulator.Crm.AccountsUrl.ToString(), emulator.Crm.ApiDomain.ToString()),
            TestContext.Current.CancellationToken);

        Assert.True(report.Errors.Count == 0, string.Join(Environment.NewLine, report.Errors));
        Assert.Empty(report.Warnings);
        Assert.Equal(["Cases", "Contacts", "Products", "Sales_Orders"],
            report.Schemas.Where(s => s.Origin == SchemaOrigin.Live).Select(s => s.Stream).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ValidateCommand_DemoConfigOffline_PrintsNoErrorsAndEachWarningOnItsLine_ExitsZero()
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

        var exit = await ValidateCommand.RunAsync(console, "Samples/demo.yaml", new CrmEmulator.Secrets(AllSettings(Unreachable, Unreachable)),
            CrmEmulator.NoRetries, TestContext.Current.CancellationToken);

        var text = output.ToString();
        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Contains("No errors.", text, StringComparison.Ordinal);
        Assert.Contains("11 warning(s), which do not fail the check:", text, StringComparison.Ordinal);
        Assert.Contains("Samples/demo.yaml:152:19: warning: flow 'feedback-to-contacts', field 'Latest_NPS': 'Latest_NPS' is not a standard field of crm.Contacts "
            + "and could not be checked offline (crm could not be asked for its own fields)", text, StringComparison.Ordinal);
        Assert.Contains("crm.Cases (zoho): checked against the connector's built-in schema (the system could not be asked:", text, StringComparison.Ordinal);
        Assert.Contains("shop.orders (shopify): checked against the connector's built-in schema (the connector's fields are fixed by what it reads).", text,
            StringComparison.Ordinal);
        Assert.DoesNotContain("error(s)", text, StringComparison.Ordinal);
    }

    private static List<string> SampleNames() =>
        [.. Directory.GetFiles("Samples", "*.yaml").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];

    /// <summary>Every reference the samples make; the CRM at <paramref name="accounts"/> and <paramref name="api"/>, the other systems nowhere.</summary>
    private Dictionary<string, string> AllSettings(string accounts, string api) => new()
    {
        ["SHOP_URL"] = Unreachable,
        ["SHOPIFY_ACCESS_TOKEN"] = "shpat_test",
        ["ZOHO_ACCOUNTS_URL"] = accounts,
        ["ZOHO_API_DOMAIN"] = api,
        ["ZOHO_CLIENT_ID"] = emulator.Crm.ClientId,
        ["ZOHO_CLIENT_SECRET"] = emulator.Crm.ClientSecret,
        ["ZOHO_REFRESH_TOKEN"] = emulator.Crm.RefreshToken,
        ["TYPEFORM_URL"] = Unreachable,
        ["TYPEFORM_ACCESS_TOKEN"] = "tfp_test",
        ["TYPEFORM_FORM_ID"] = "nps",
        ["BC_TENANT_ID"] = "5a1f0c52-7d3e-4b8a-9f2e-1c6d8e0b4a73",
        ["BC_ENVIRONMENT"] = "production",
        ["BC_COMPANY_ID"] = "9e3b6d21-4c8f-4a1e-b7d2-0f5a3c9e8b16",
        ["BC_CLIENT_ID"] = "client",
        ["BC_CLIENT_SECRET"] = "secret",
        ["BC_TOKEN_ENDPOINT"] = Unreachable,
        ["BC_BASE_URL"] = Unreachable,
    };
}
