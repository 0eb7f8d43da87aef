using Connectors.Sandbox.WooCommerce;
using Connectors.Sandbox.Zoho;

namespace Connectors.Functions.Tests.Infrastructure;

/// <summary>
/// A WooCommerce store and a CRM emulator on loopback, a config that flows the store's customers into the CRM's
/// contacts on webhooks, and ways to send the store's webhook deliveries the way WooCommerce does.
/// </summary>
internal sealed class WooToCrm : SourceToCrm<WooCommerceSandbox>
{
    public const string Flow = "customers-to-crm";
    public const string WebhookSecret = "test-secret";

    public const string ConfigYaml = $$"""
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
        {{CrmSystemYaml}}
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
        : base(shop, crm, folder, ConfigYaml)
    {
    }

    public WooCommerceSandbox Shop => Source;

    protected override Dictionary<string, string> SourceEnvironment => new()
    {
        ["WOO_URL"] = Shop.StoreUrl.ToString(),
        ["WOO_CONSUMER_KEY"] = Shop.ConsumerKey,
        ["WOO_CONSUMER_SECRET"] = Shop.ConsumerSecret,
        ["WOO_WEBHOOK_SECRET"] = WebhookSecret,
    };

    public static async Task<WooToCrm> StartAsync(TimeProvider clock, CancellationToken cancellationToken)
    {
        var shop = await WooCommerceSandbox.StartAsync(new WooCommerceSandboxOptions(), clock, cancellationToken);
        return await StartWithCrmAsync(shop, (source, crm, folder) => new WooToCrm(source, crm, folder), clock, cancellationToken);
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
}
