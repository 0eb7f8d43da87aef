using Connectors.Cli.Commands;
using Connectors.Core.Configuration;
using Connectors.Core.Sync;
using Connectors.Functions.Hosting;
using Connectors.Sandbox.BusinessCentral;
using Connectors.Sandbox.Shopify;
using Connectors.Sandbox.Typeform;
using Connectors.Sandbox.Zoho;
using Connectors.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Connectors.Cli.Tests.EndToEnd;

/// <summary>
/// The whole customer picture assembled from its real parts: the shop, CRM, survey and ERP emulators on loopback,
/// the sample configs (<c>samples/demo.yaml</c>, <c>samples/shop-to-erp.yaml</c>) read by the real config loader,
/// the composition root the CLI and the function app share, and the SQLite state store, all on one fake clock.
/// </summary>
internal sealed class CustomerPicture : IAsyncDisposable
{
    private readonly DirectoryInfo _folder;

    private CustomerPicture(WaitObservingClock clock, ShopifySandbox shop, ZohoSandbox crm, TypeformSandbox survey, BusinessCentralSandbox erp,
        ConnectorHost crmHost, ConnectorHost erpHost, DirectoryInfo folder)
    {
        Clock = clock;
        Shop = shop;
        Crm = crm;
        Survey = survey;
        Erp = erp;
        CrmHost = crmHost;
        ErpHost = erpHost;
        _folder = folder;
    }

    public WaitObservingClock Clock { get; }

    public ShopifySandbox Shop { get; }

    public ZohoSandbox Crm { get; }

    public TypeformSandbox Survey { get; }

    public BusinessCentralSandbox Erp { get; }

    /// <summary>The host of <c>samples/demo.yaml</c>: shop and survey into the CRM.</summary>
    public ConnectorHost CrmHost { get; }

    /// <summary>The host of <c>samples/shop-to-erp.yaml</c>: shop into Business Central.</summary>
    public ConnectorHost ErpHost { get; }

    public static async Task<CustomerPicture> StartAsync(CancellationToken cancellationToken)
    {
        var clock = new WaitObservingClock();
        // A large cost bucket: Shopify's own throttling is covered by the Shopify connector's tests.
        var shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { MaximumAvailable = 1_000_000 }, clock, cancellationToken);
        var crm = await ZohoSandbox.StartAsync(new ZohoSandboxOptions(), clock, cancellationToken);
        var survey = await TypeformSandbox.StartAsync(new TypeformSandboxOptions(), clock, cancellationToken);
        var erp = await BusinessCentralSandbox.StartAsync(new BusinessCentralSandboxOptions(), clock, cancellationToken);
        var secrets = new Secrets(new Dictionary<string, string>
        {
            ["SHOP_URL"] = shop.ShopUrl.ToString(),
            ["SHOPIFY_ACCESS_TOKEN"] = shop.AccessToken,
            ["ZOHO_ACCOUNTS_URL"] = crm.AccountsUrl.ToString(),
            ["ZOHO_API_DOMAIN"] = crm.ApiDomain.ToString(),
            ["ZOHO_CLIENT_ID"] = crm.ClientId,
            ["ZOHO_CLIENT_SECRET"] = crm.ClientSecret,
            ["ZOHO_REFRESH_TOKEN"] = crm.RefreshToken,
            ["TYPEFORM_URL"] = survey.BaseUrl.ToString(),
            ["TYPEFORM_ACCESS_TOKEN"] = survey.AccessToken,
            ["TYPEFORM_FORM_ID"] = survey.FormId,
            ["BC_TENANT_ID"] = erp.TenantId,
            ["BC_ENVIRONMENT"] = erp.Environment,
            ["BC_COMPANY_ID"] = erp.CompanyId,
            ["BC_CLIENT_ID"] = erp.ClientId,
            ["BC_CLIENT_SECRET"] = erp.ClientSecret,
            ["BC_TOKEN_ENDPOINT"] = erp.TokenEndpoint.ToString(),
            ["BC_BASE_URL"] = erp.ApiBaseUrl.ToString(),
        });
        var folder = Directory.CreateTempSubdirectory("connectors-picture-");
        var crmConfig = ConfigLoader.Parse(Resource(typeof(DemoCommand).Assembly, "demo.yaml"), "samples/demo.yaml", secrets, SystemTypes.DefaultMappings);
        var erpConfig = ConfigLoader.Parse(Resource(typeof(CustomerPicture).Assembly, "shop-to-erp.yaml"), "samples/shop-to-erp.yaml", secrets, SystemTypes.DefaultMappings);
        var crmHost = ConnectorHost.Build(crmConfig, Path.Combine(folder.FullName, "crm.db"), clock, NullLoggerFactory.Instance);
        var erpHost = ConnectorHost.Build(erpConfig, Path.Combine(folder.FullName, "erp.db"), clock, NullLoggerFactory.Instance);
        return new CustomerPicture(clock, shop, crm, survey, erp, crmHost, erpHost, folder);
    }

    /// <summary>Runs one flow of the CRM config, advancing the clock through the waits it makes on purpose (pacing, backoffs).</summary>
    public Task<SyncReport> SyncAsync(string flow) => DriveAsync(CrmHost.SyncAsync(flow, null, TestContext.Current.CancellationToken));

    /// <summary>Plans one flow of the CRM config (a dry run) the same way.</summary>
    public Task<PlanReport> PlanAsync(string flow, int limit = 100) => DriveAsync(CrmHost.PlanAsync(flow, limit, TestContext.Current.CancellationToken));

    /// <summary>Runs one flow of the ERP config the same way.</summary>
    public Task<SyncReport> SyncErpAsync(string flow) => DriveAsync(ErpHost.SyncAsync(flow, null, TestContext.Current.CancellationToken));

    private async Task<T> DriveAsync<T>(Task<T> work)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var stopper = work.ContinueWith(_ => stop.Cancel(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            // The resilience pipeline's attempt and total timeouts (30 s, 10 min) are not waits to advance past.
            while (true) await Clock.AdvancePastNextWaitAsync(w => w < TimeSpan.FromSeconds(30), stop.Token);
        }
        catch (OperationCanceledException) when (work.IsCompleted)
        {
        }
        await stopper;
        return await work;
    }

    private static string Resource(System.Reflection.Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException($"{name} is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public async ValueTask DisposeAsync()
    {
        await CrmHost.DisposeAsync();
        await ErpHost.DisposeAsync();
        await Erp.DisposeAsync();
        await Survey.DisposeAsync();
        await Crm.DisposeAsync();
        await Shop.DisposeAsync();
        _folder.Delete(recursive: true);
    }

    private sealed class Secrets(Dictionary<string, string> values) : ISecretResolver
    {
        public string? Resolve(string kind, string name) => values.GetValueOrDefault(name);
    }
}
