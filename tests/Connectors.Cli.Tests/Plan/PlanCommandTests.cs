using System.Globalization;
using System.Text.RegularExpressions;
using Connectors.Cli.Commands;
using Connectors.Cli.Tests.Validate;
using Connectors.Core.Configuration;
using Connectors.Core.State;
using Connectors.Functions.Hosting;
using Connectors.Sandbox.Shopify;
using Connectors.Sandbox.Zoho;
using Connectors.State.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;

namespace Connectors.Cli.Tests.Plan;

/// <summary>
/// <c>connectors plan</c> on the demo config against the shop and CRM emulators, after a first sync and a
/// few shop edits: it lists the create, the update with its field diff, the unchanged and the invalid
/// records, and the CRM's request log and the state store show that nothing was written.
/// </summary>
public sealed class PlanCommandTests
{
    private const string Flow = "customers-to-crm";

    [Fact]
    public async Task Plan_AfterAFirstSyncAndShopEdits_ShowsEachActionAndWritesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { MaximumAvailable = 1_000_000 }, TimeProvider.System, ct);
        await using var crm = await ZohoSandbox.StartAsync(new ZohoSandboxOptions(), TimeProvider.System, ct);
        var customers = shop.Seed(10, seed: 7);
        var secrets = new CrmEmulator.Secrets(new Dictionary<string, string>
        {
            ["SHOP_URL"] = shop.ShopUrl.ToString(),
            ["SHOPIFY_ACCESS_TOKEN"] = shop.AccessToken,
            ["ZOHO_ACCOUNTS_URL"] = crm.AccountsUrl.ToString(),
            ["ZOHO_API_DOMAIN"] = crm.ApiDomain.ToString(),
            ["ZOHO_CLIENT_ID"] = crm.ClientId,
            ["ZOHO_CLIENT_SECRET"] = crm.ClientSecret,
            ["ZOHO_REFRESH_TOKEN"] = crm.RefreshToken,
            ["TYPEFORM_URL"] = "http://127.0.0.1:9/",
            ["TYPEFORM_ACCESS_TOKEN"] = "tfp_test",
            ["TYPEFORM_FORM_ID"] = "nps",
        });
        var folder = Directory.CreateTempSubdirectory("connectors-plan-");
        var statePath = Path.Combine(folder.FullName, "state.db");
        try
        {
            var config = ConfigLoader.Load("Samples/demo.yaml", secrets, SystemTypes.DefaultMappings);
            await using (var host = ConnectorHost.Build(config, statePath, TimeProvider.System, NullLoggerFactory.Instance))
            {
                var first = await host.SyncAsync(Flow, null, ct);
                Assert.Equal(10, first.Created);
            }
            var before = await SnapshotAsync(statePath, customers.Select(c => Id(c.Id)).ToList(), ct);

            var renamed = customers[0];
            var oldLastName = renamed.LastName;
            shop.UpdateCustomer(renamed.Id, c => c.LastName += "-Smith");
            var broken = customers[1];
            shop.UpdateCustomer(broken.Id, c => c.Email = "not-an-email");
            var noted = customers[2];
            shop.UpdateCustomer(noted.Id, c => c.Note = "Called about a return; nothing the CRM keeps.");
            var added = shop.AddCustomer(c =>
            {
                c.FirstName = "Nova";
                c.LastName = "Quinn";
                c.Email = "nova.quinn@example.com";
            });
            var contactBefore = crm.Contacts.FindByEmail(renamed.Email!)!;
            crm.RequestLog.Clear();

            var (exit, output) = await PlanAsync(statePath, secrets, ct);

            Assert.Equal(ExitCodes.Ok, exit);
            Assert.Matches(Row(renamed.Id, "update"), output);
            Assert.Contains($"Last_Name: '{oldLastName}' → '{oldLastName}-Smith'", output, StringComparison.Ordinal);
            // The connector reads only its configured Contacts fields, which leave out Lead_Source: said, not guessed.
            Assert.Contains("Lead_Source: (not read) → 'Online Store'", output, StringComparison.Ordinal);
            Assert.Matches(Row(added.Id, "create"), output);
            Assert.Contains("Last_Name = 'Quinn'", output, StringComparison.Ordinal);
            Assert.Contains("Email = 'nova.quinn@example.com'", output, StringComparison.Ordinal);
            Assert.Matches(Row(broken.Id, "invalid") + @"\s*VALIDATION_FAILED: Email fails email: 'not-an-email'", output);
            Assert.Matches(Row(noted.Id, "unchanged") + @"\s*same as last written to \d+; no call", output);
            Assert.Matches(@"Totals: 1 to create, 1 to update, [1-9]\d* unchanged, 1 invalid\.", output);

            // Nothing written to the CRM: no POST, PUT or DELETE on the records API, only reads.
            var crmCalls = crm.RequestLog.Entries.Where(r => r.Path.StartsWith("/crm/", StringComparison.Ordinal)).ToList();
            Assert.DoesNotContain(crmCalls, r => r.Method is "POST" or "PUT" or "DELETE");
            Assert.Contains(crmCalls, r => r.Method == "GET" && r.Path == "/crm/v8/Contacts" && r.Query.Contains("ids=", StringComparison.Ordinal));
            Assert.Equal(contactBefore.ToString(), crm.Contacts.FindByEmail(renamed.Email!)!.ToString());
            Assert.Null(crm.Contacts.FindByEmail("nova.quinn@example.com"));

            // Nothing written to state: the same watermark, no new run, no new or changed link, no dead letter.
            var after = await SnapshotAsync(statePath, [.. customers.Select(c => Id(c.Id)), Id(added.Id)], ct);
            Assert.Equal(before.Watermark, after.Watermark);
            Assert.Equal(before.Runs, after.Runs);
            Assert.Equal(before.Links, after.Links);
            Assert.Equal(before.DeadLetters, after.DeadLetters);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    private static string Row(long id, string action) => $@"│ {Regex.Escape(Id(id))}\s*│ {action}\s*│";

    private static async Task<(int Exit, string Output)> PlanAsync(string statePath, ISecretResolver secrets, CancellationToken ct)
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
        var exit = await PlanCommand.RunAsync(console, "Samples/demo.yaml", statePath, Flow, 50, secrets, ct);
        return (exit, output.ToString());
    }

    private sealed record Snapshot(string Watermark, string Runs, string Links, string DeadLetters);

    private static async Task<Snapshot> SnapshotAsync(string statePath, IReadOnlyList<string> ids, CancellationToken ct)
    {
        await using var state = await SqliteSyncStateStore.OpenAsync(new SqliteStateOptions { DatabasePath = statePath }, ct);
        var watermark = await state.GetWatermarkAsync(Flow, ct);
        var runs = await state.GetRunsAsync(null, 1000, ct);
        var links = await state.GetLinksAsync(Flow, ids, ct);
        var letters = await state.GetDeadLettersAsync(null, ct);
        return new Snapshot(
            watermark.Modified?.ToString("o", CultureInfo.InvariantCulture) ?? "start",
            string.Join(";", runs.Select(r => r.RunId)),
            string.Join(";", links.Values.OrderBy(l => l.SourceId, StringComparer.Ordinal).Select(l => $"{l.SourceId}>{l.TargetId}:{l.Fingerprint}@{l.SyncedAt:o}")),
            string.Join(";", letters.Select(l => $"{l.Source}:{l.Code}")));
    }
}
