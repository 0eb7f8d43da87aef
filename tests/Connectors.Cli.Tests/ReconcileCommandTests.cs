using System.CommandLine;
using Connectors.Cli.Commands;
using Connectors.Core.State;
using Connectors.Sandbox.Shopify;
using Connectors.Sandbox.Zoho;
using Connectors.State.Sqlite;

namespace Connectors.Cli.Tests;

/// <summary><c>connectors reconcile</c> and <c>connectors status</c> as a user runs them, on a config file pointing at the emulators.</summary>
public sealed class ReconcileCommandTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Reconcile_ReportsDriftWithExitCode4_RepairFixesIt_AndStatusListsTheRuns()
    {
        await using var shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { MaximumAvailable = 1_000_000 }, TimeProvider.System, Token);
        await using var crm = await ZohoSandbox.StartAsync(new ZohoSandboxOptions(), TimeProvider.System, Token);
        shop.Seed(40, seed: 3);
        var folder = Directory.CreateTempSubdirectory("connectors-cli-");
        try
        {
            var config = Path.Combine(folder.FullName, "connectors.yaml");
            await WriteConfigAsync(config, shop, crm, """
                    mapping:
                      Email: defaultEmailAddress.emailAddress | trim | lower
                      Last_Name: lastName | trim
                    reconcile:
                      schedule: "0 0 2 * * *"
                      deletes: ignore
                """);
            var reports = Path.Combine(folder.FullName, "reports");

            var found = await RunAsync("reconcile", "--config", config, "--reports", reports);
            var repaired = await RunAsync("reconcile", "--config", config, "--flow", "customers", "--repair", "--reports", reports);
            var clean = await RunAsync("reconcile", "--config", config, "--reports", reports);
            var status = await RunAsync("status", "--config", config, "--limit", "10");

            Assert.Equal((4, 0, 0, 0), (found, repaired, clean, status));
            Assert.Equal(40, crm.Contacts.Count);
            Assert.Equal(3, Directory.GetFiles(reports, "*.html").Length);
            await using var state = await SqliteSyncStateStore.OpenAsync(new SqliteStateOptions { DatabasePath = Path.Combine(folder.FullName, ".connectors", "state.db") }, Token);
            var runs = (await state.GetRunsAsync("customers", 10, Token)).Where(r => r.Kind == "reconcile").ToList();
            Assert.Equal([0L, 40L, 40L], runs.Select(r => r.Counts["drift"]));
            Assert.All(runs, r => Assert.Equal(RunStatus.Completed, r.Status));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Commands_OnAConfigUsingAShippedDefaultMapping_LoadIt_ReconcileAndTheFunctionApp()
    {
        await using var shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { MaximumAvailable = 1_000_000 }, TimeProvider.System, Token);
        await using var crm = await ZohoSandbox.StartAsync(new ZohoSandboxOptions(), TimeProvider.System, Token);
        shop.Seed(10, seed: 4);
        var folder = Directory.CreateTempSubdirectory("connectors-cli-");
        try
        {
            var config = Path.Combine(folder.FullName, "connectors.yaml");
            await WriteConfigAsync(config, shop, crm, """
                    mapping: { use: shopify-customers-to-zoho-contacts }
                """);

            // 4: drift found (the ten customers are not in the CRM yet); 2 would be the config refused.
            var reconciled = await RunAsync("reconcile", "--config", config, "--reports", Path.Combine(folder.FullName, "reports"));
            await using var app = AppRuntime.Build(new FileInfo(config), null, new Connectors.Functions.Hosting.FunctionAppSettings(), Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);

            Assert.Equal(4, reconciled);
            Assert.Equal(["customers"], app.Host.FlowNames);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    /// <summary>A config of the two emulators and one flow <c>customers</c>, shop to CRM by e-mail, with <paramref name="flowKeys"/> added to the flow.</summary>
    private static Task WriteConfigAsync(string path, ShopifySandbox shop, ZohoSandbox crm, string flowKeys) =>
        File.WriteAllTextAsync(path, $$"""
            systems:
              shop:
                type: shopify
                settings: { shopUrl: "{{shop.ShopUrl}}", apiVersion: "2025-10", accessToken: {{shop.AccessToken}} }
              crm:
                type: zoho
                settings:
                  accountsUrl: "{{crm.AccountsUrl}}"
                  apiDomain: "{{crm.ApiDomain}}"
                  uploadUrl: "{{crm.UploadUrl}}"
                  clientId: {{crm.ClientId}}
                  clientSecret: {{crm.ClientSecret}}
                  refreshToken: {{crm.RefreshToken}}
            flows:
              customers:
                from: shop.customers
                to: crm.Contacts
                match: Email
            {{flowKeys.TrimEnd()}}
            """, Token);

    private static Task<int> RunAsync(params string[] args) =>
        new RootCommand { ReconcileCommand.Create(), StatusCommand.Create() }.Parse(args).InvokeAsync(cancellationToken: Token);
}
