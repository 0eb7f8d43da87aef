using Connectors.Core.Configuration;
using Connectors.Functions.Hosting;
using Connectors.Sandbox.WooCommerce;
using Connectors.Sandbox.Zoho;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Connectors.Functions.Tests.Infrastructure;

/// <summary>
/// A WooCommerce store and a CRM emulator on loopback, a config that flows the store's customers into the CRM's
/// contacts on webhooks, and ways to send the store's webhook deliveries the way WooCommerce does.
/// </summary>
internal sealed class WooToCrm : IAsyncDisposable
{
    public const string Flow = "customers-to-crm";
    public const string WebhookSecret = "test-secret";

    public const string ConfigYaml = """
        systems:
          shop:
            type: woocommerce
            settings:
              storeUrl: ${env:WOO_URL}
              consumerKey: ${secret:WOO_CONSUMER_KEY}
              consumerSecret: ${secret:WOO_CONSUMER_SECRET}
              webhookSecret: ${secret:WOO_WEBHOOK_SECRET}
              "resilience:maxRetries": "1"
              "resilience:baseDelay": "00:00:00"
          crm:
            type: zoho
            settings:
              accountsUrl: ${env:ZOHO_ACCOUNTS_URL}
              apiDomain: ${env:ZOHO_API_DOMAIN}
              clientId: ${env:ZOHO_CLIENT_ID}
              clientSecret: ${secret:ZOHO_CLIENT_SECRET}
              refreshToken: ${secret:ZOHO_REFRESH_TOKEN}
        flows:
          customers-to-crm:
            from: shop.customers
            to: crm.Contacts
            match: [Email]
            webhooks: true
            schedule: "0 */15 * * * *"
            mapping:
              Email: email | trim | lower
              First_Name: first_name | trim
              Last_Name: last_name | trim
              Phone: billing.phone
              Description: "WooCommerce customer {id}"
        """;

    private WooToCrm(WooCommerceSandbox shop, ZohoSandbox crm, string folder)
    {
        Shop = shop;
        Crm = crm;
        Folder = folder;
    }

    public WooCommerceSandbox Shop { get; }

    public ZohoSandbox Crm { get; }

    /// <summary>A scratch folder for this test: the config file, SQLite files.</summary>
    public string Folder { get; }

    public string ConfigPath => Path.Combine(Folder, "connectors.yaml");

    /// <summary>The references of <see cref="ConfigYaml"/>, pointing at the emulators.</summary>
    public Dictionary<string, string> Environment => new()
    {
        ["WOO_URL"] = Shop.StoreUrl.ToString(),
        ["WOO_CONSUMER_KEY"] = Shop.ConsumerKey,
        ["WOO_CONSUMER_SECRET"] = Shop.ConsumerSecret,
        ["WOO_WEBHOOK_SECRET"] = WebhookSecret,
        ["ZOHO_ACCOUNTS_URL"] = Crm.AccountsUrl.ToString(),
        ["ZOHO_API_DOMAIN"] = Crm.ApiDomain.ToString(),
        ["ZOHO_CLIENT_ID"] = Crm.ClientId,
        ["ZOHO_CLIENT_SECRET"] = Crm.ClientSecret,
        ["ZOHO_REFRESH_TOKEN"] = Crm.RefreshToken,
    };

    public static async Task<WooToCrm> StartAsync(TimeProvider clock, CancellationToken cancellationToken)
    {
        var shop = await WooCommerceSandbox.StartAsync(new WooCommerceSandboxOptions(), clock, cancellationToken);
        var crm = await ZohoSandbox.StartAsync(new ZohoSandboxOptions(), clock, cancellationToken);
        var folder = Directory.CreateTempSubdirectory("connectors-functions-tests-").FullName;
        var harness = new WooToCrm(shop, crm, folder);
        await File.WriteAllTextAsync(harness.ConfigPath, ConfigYaml, cancellationToken);
        return harness;
    }

    public ConnectorConfig LoadConfig() => ConfigLoader.Parse(ConfigYaml, ConfigPath, new DictionarySecrets(Environment));

    /// <summary>The function app on SQLite files in <see cref="Folder"/>.</summary>
    public FunctionApp BuildApp(TimeProvider clock, FunctionAppSettings? settings = null, ILoggerFactory? logging = null)
    {
        settings ??= new FunctionAppSettings();
        return FunctionApp.Create(LoadConfig(), HostStorage.Local(Path.Combine(Folder, "state.db"), settings.QueueName, clock), settings, clock,
            logging ?? NullLoggerFactory.Instance);
    }

    /// <summary>A delivery as the store's webhook would POST it to the app's <c>/api/webhooks/shop</c>.</summary>
    public static HttpRequestMessage Post(Uri server, WooCommerceSandboxDelivery delivery)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, "api/webhooks/shop")) { Content = new ByteArrayContent(delivery.Body) };
        foreach (var (name, value) in delivery.Headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value)) request.Content.Headers.TryAddWithoutValidation(name, value);
        }
        return request;
    }

    public async ValueTask DisposeAsync()
    {
        await Shop.DisposeAsync();
        await Crm.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A child process may still be letting go of a file; the temp folder is cleaned by the system.
        }
    }

    private sealed class DictionarySecrets(Dictionary<string, string> values) : ISecretResolver
    {
        public string? Resolve(string kind, string name) => values.GetValueOrDefault(name);
    }
}
