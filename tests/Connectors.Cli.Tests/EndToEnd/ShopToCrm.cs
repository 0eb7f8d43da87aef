using Connectors.Core.Flows;
using Connectors.Core.Http;
using Connectors.Core.Mapping;
using Connectors.Core.State;
using Connectors.Core.Sync;
using Connectors.Sandbox.Shopify;
using Connectors.Sandbox.Zoho;
using Connectors.Shopify;
using Connectors.State.Sqlite;
using Connectors.Zoho;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Connectors.Cli.Tests.EndToEnd;

/// <summary>
/// The walking skeleton assembled from its real parts: the shop and CRM emulators on loopback, the
/// Shopify and Zoho connectors registered as the CLI registers them, the SQLite state store in a
/// temp file, and the sync engine, all on one clock.
/// </summary>
internal sealed class ShopToCrm : IAsyncDisposable
{
    public static readonly Flow Flow = new("customers-to-crm", StreamRef.Parse("shop.customers"), StreamRef.Parse("crm.Contacts"),
        MappingCompiler.Compile(new Dictionary<string, string>
        {
            ["Email"] = "defaultEmailAddress.emailAddress | trim | lower",
            ["First_Name"] = "firstName | trim",
            ["Last_Name"] = "lastName | trim",
            ["Phone"] = "phone",
            ["Mailing_City"] = "defaultAddress.city",
            ["Mailing_Country"] = "defaultAddress.country",
        }),
        ["Email"]);

    private readonly DirectoryInfo _folder;

    private ShopToCrm(ShopifySandbox shop, ZohoSandbox crm, ServiceProvider services, SqliteSyncStateStore state, TimeProvider clock, DirectoryInfo folder)
    {
        Shop = shop;
        Crm = crm;
        Services = services;
        State = state;
        Clock = clock;
        _folder = folder;
    }

    public ShopifySandbox Shop { get; }

    public ZohoSandbox Crm { get; }

    public ServiceProvider Services { get; }

    public SqliteSyncStateStore State { get; }

    public TimeProvider Clock { get; }

    public static async Task<ShopToCrm> StartAsync(int customers, TimeProvider clock, CancellationToken cancellationToken,
        ZohoSandboxOptions? crmOptions = null)
    {
        // The shop's query-cost bucket is made large: these tests are about the CRM side; Shopify's
        // own throttling is covered by the Shopify connector's tests.
        var shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { MaximumAvailable = 1_000_000 }, clock, cancellationToken);
        shop.Seed(customers, seed: 11);
        var crm = await ZohoSandbox.StartAsync(crmOptions ?? new ZohoSandboxOptions(), clock, cancellationToken);
        var services = new ServiceCollection()
            .AddSingleton(clock)
            .AddShopifyConnector("shop", new ShopifyOptions { ShopUrl = shop.ShopUrl, AccessToken = shop.AccessToken, ApiVersion = "2025-10" });
        services.AddZohoSystem("crm").Configure(o =>
        {
            o.AccountsUrl = crm.AccountsUrl;
            o.ApiDomain = crm.ApiDomain;
            o.ClientId = crm.ClientId;
            o.ClientSecret = crm.ClientSecret;
            o.RefreshToken = crm.RefreshToken;
            o.UploadUrl = crm.UploadUrl;
            o.OrganizationId = crm.OrganizationId;
            if (crmOptions?.ExtraContactFields is { Count: > 0 } extra)
            {
                o.Fields["Contacts"] = [.. ZohoOptions.DefaultContactFields, .. extra.Select(f => f.ApiName)];
            }
        });
        var folder = Directory.CreateTempSubdirectory("connectors-e2e-");
        var state = await SqliteSyncStateStore.OpenAsync(new SqliteStateOptions { DatabasePath = Path.Combine(folder.FullName, "state.db") }, cancellationToken);
        return new ShopToCrm(shop, crm, services.BuildServiceProvider(), state, clock, folder);
    }

    public int UpsertCalls => Crm.RequestLog.Count(r => r.Method == "POST" && r.Path.EndsWith("/Contacts/upsert", StringComparison.Ordinal));

    public IReadOnlyList<Sandbox.LoggedRequest> WriteCalls => Crm.RequestLog.Entries
        .Where(r => r.Path.StartsWith("/crm/v8/Contacts", StringComparison.Ordinal) && r.Method is "POST" or "PUT")
        .ToList();

    public Task<SyncReport> SyncAsync(CancellationToken cancellationToken, ISyncStateStore? state = null, IProgress<SyncProgress>? progress = null) =>
        new SyncRun(state ?? State, Services.GetRequiredService<ApiCallMeter>(), Clock, NullLogger<SyncRun>.Instance)
            .RunAsync(Flow, Services.GetShopifyConnector("shop"), Services.GetZohoConnector("crm"), progress, cancellationToken);

    public string Folder => _folder.FullName;

    public Task<Connectors.Core.Reconciliation.ReconcileReport> ReconcileAsync(Connectors.Core.Reconciliation.ReconcileOptions options,
        CancellationToken cancellationToken, Flow? flow = null)
    {
        options.WorkFolder = Path.Combine(_folder.FullName, "work");
        options.ReportFolder = Path.Combine(_folder.FullName, "reports");
        var meter = Services.GetRequiredService<ApiCallMeter>();
        var run = new Connectors.Core.Reconciliation.ReconcileRun(State, new SyncRun(State, meter, Clock, NullLogger<SyncRun>.Instance), meter, Clock,
            NullLogger<Connectors.Core.Reconciliation.ReconcileRun>.Instance);
        return run.RunAsync(flow ?? Flow, Services.GetShopifyConnector("shop"), Services.GetZohoConnector("crm"), options, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await State.DisposeAsync();
        await Services.DisposeAsync();
        await Crm.DisposeAsync();
        await Shop.DisposeAsync();
        _folder.Delete(recursive: true);
    }
}
