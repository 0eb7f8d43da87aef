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
        await using var bench = await Workbench.StartAsync(customers: 40, seed: 3, """
                mapping:
                  Email: defaultEmailAddress.emailAddress | trim | lower
                  Last_Name: lastName | trim
                reconcile:
                  schedule: "0 0 2 * * *"
                  deletes: ignore
            """);
        var reports = Path.Combine(bench.Folder.FullName, "reports");

        var found = await RunAsync("reconcile", "--config", bench.Config, "--reports", reports);
        var repaired = await RunAsync("reconcile", "--config", bench.Config, "--flow", "customers", "--repair", "--reports", reports);
        var clean = await RunAsync("reconcile", "--config", bench.Config, "--reports", reports);
        var status = await RunAsync("status", "--config", bench.Config, "--limit", "10");

        Assert.Equal((4, 0, 0, 0), (found, repaired, clean, status));
        Assert.Equal(40, bench.Crm.Contacts.Count);
        Assert.Equal(3, Directory.GetFiles(reports, "*.html").Length);
        await using var state = await SqliteSyncStateStore.OpenAsync(
            new SqliteStateOptions { DatabasePath = Path.Combine(bench.Folder.FullName, ".connectors", "state.db") }, Token);
        var runs = (await state.GetRunsAsync("customers", 10, Token)).Where(r => r.Kind == "reconcile").ToList();
        Assert.Equal([0L, 40L, 40L], runs.Select(r => r.Counts["drift"]));
        Assert.All(runs, r => Assert.Equal(RunStatus.Completed, r.Status));
    }

    [Fact]
    public async Task Commands_OnAConfigUsingAShippedDefaultMapping_LoadIt_ReconcileAndTheFunctionApp()
    {
        await using var bench = await Workbench.StartAsync(customers: 10, seed: 4, """
                mapping: { use: shopify-customers-to-zoho-contacts }
            """);

        // 4: drift found (the ten customers are not in the CRM yet); 2 would be the config refused.
        var reconciled = await RunAsync("reconcile", "--config", bench.Config, "--reports", Path.Combine(bench.Folder.FullName, "reports"));
        await using var app = AppRuntime.Build(new FileInfo(bench.Config), null, new Connectors.Functions.Hosting.FunctionAppSettings(),
            Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);

        Assert.Equal(4, reconciled);
        Assert.Equal(["customers"], app.Host.FlowNames);
    }

    /// <summary>The two emulators, the shop seeded, and a scratch folder holding the config; the folder goes when disposed.</summary>
    private sealed class Workbench : IAsyncDisposable
    {
        private readonly ShopifySandbox _shop;

        private Workbench(ShopifySandbox shop, ZohoSandbox crm, DirectoryInfo folder)
        {
            (_shop, Crm, Folder) = (shop, crm, folder);
            Config = Path.Combine(folder.FullName, "connectors.yaml");
        }

        public ZohoSandbox Crm { get; }

        public DirectoryInfo Folder { get; }

        public string Config { get; }

        public static async Task<Workbench> StartAsync(int customers, int seed, string flowKeys)
        {
            var shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { MaximumAvailable = 1_000_000 }, TimeProvider.System, Token);
            var crm = await ZohoSandbox.StartAsync(new ZohoSandboxOptions(), TimeProvider.System, Token);
            shop.Seed(customers, seed);
            var bench = new Workbench(shop, crm, Directory.CreateTempSubdirectory("connectors-cli-"));
            await WriteConfigAsync(bench.Config, shop, crm, flowKeys);
            return bench;
        }

        public async ValueTask DisposeAsync()
        {
            // The commands' state files stay open in SQLite's pool otherwise, and the folder could not go.
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Folder.Delete(recursive: true);
            await Crm.DisposeAsync();
            await _shop.DisposeAsync();
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
