using System.Globalization;
using System.Text;
using Connectors.Functions;
using Connectors.Sandbox.Shopify;
using Connectors.Sandbox.Zoho;
using Connectors.Shopify;
using Newtonsoft.Json.Linq;

namespace Connectors.Functions.Tests.Infrastructure;

/// <summary>
/// A shop and a CRM emulator on loopback, a config that flows the shop's customers into the CRM's
/// contacts on webhooks, and ways to send the shop's webhook deliveries the way Shopify does.
/// </summary>
internal sealed class ShopToCrm : SourceToCrm<ShopifySandbox>
{
    public const string Flow = "customers-to-crm";
    public const string WebhookSecret = "test-secret";

    /// <summary>The config: the flow of shop customers into CRM contacts, with <paramref name="reconcile"/> as its <c>reconcile:</c> block when given.</summary>
    /// <param name="reconcile">The flow's <c>reconcile:</c> block in YAML flow style, or <see langword="null"/> for none.</param>
    /// <param name="resilience">More <c>resilience:</c> settings for the shop (name → value), or <see langword="null"/>; the Zoho type takes none.</param>
    public static string ConfigYaml(string? reconcile = null, IReadOnlyDictionary<string, string>? resilience = null)
    {
        var extra = string.Concat((resilience ?? new Dictionary<string, string>()).Select(s => $"\n      \"resilience:{s.Key}\": \"{s.Value}\""));
        var block = reconcile is null ? "" : $"\n    reconcile: {reconcile}";
        return $$"""
            systems:
              shop:
                type: shopify
                settings:
                  shopUrl: ${env:SHOP_URL}
                  accessToken: ${secret:SHOP_TOKEN}
                  webhookSecret: ${secret:SHOP_WEBHOOK_SECRET}
                  "resilience:maxRetries": "1"
                  "resilience:baseDelay": "00:00:00"{{extra}}
            {{CrmSystemYaml}}
            flows:
              customers-to-crm:
                from: shop.customers
                to: crm.Contacts
                match: [Email]
                webhooks: true
                schedule: "0 */15 * * * *"
                mapping:
                  Email: defaultEmailAddress.emailAddress | trim | lower
                  First_Name: firstName | trim
                  Last_Name: lastName | trim
                  Phone: phone
                  Description: "Shopify customer {id}"{{block}}
            """;
    }

    private ShopToCrm(ShopifySandbox shop, ZohoSandbox crm, string folder, string config)
        : base(shop, crm, folder, config)
    {
    }

    public ShopifySandbox Shop => Source;

    protected override Dictionary<string, string> SourceEnvironment => new()
    {
        ["SHOP_URL"] = Shop.ShopUrl.ToString(),
        ["SHOP_TOKEN"] = Shop.AccessToken,
        ["SHOP_WEBHOOK_SECRET"] = WebhookSecret,
    };

    /// <summary>Starts both emulators and writes the config (<see cref="ConfigYaml"/> with <paramref name="reconcile"/> and the shop's <paramref name="resilience"/>).</summary>
    public static async Task<ShopToCrm> StartAsync(TimeProvider clock, CancellationToken cancellationToken, string? reconcile = null,
        IReadOnlyDictionary<string, string>? resilience = null)
    {
        // A Shopify Plus bucket, so that thousands of id reads are not paced for long.
        var shop = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { RestoreRate = 20_000, MaximumAvailable = 200_000 }, clock, cancellationToken);
        var config = ConfigYaml(reconcile, resilience);
        return await StartWithCrmAsync(shop, (source, crm, folder) => new ShopToCrm(source, crm, folder, config), clock, cancellationToken);
    }

    /// <summary>A genuine Shopify delivery of <c>customers/update</c> for <paramref name="customerId"/>, signed with <see cref="WebhookSecret"/>.</summary>
    public HttpRequestMessage Delivery(Uri server, long customerId, string eventId, DateTimeOffset triggeredAt)
    {
        var body = Encoding.UTF8.GetBytes(new JObject { ["id"] = customerId, ["updated_at"] = triggeredAt.ToString("o", CultureInfo.InvariantCulture) }.ToString(Newtonsoft.Json.Formatting.None));
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, "api/webhooks/shop")) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add(ShopifyWebhooks.HmacHeader, ShopifyWebhooks.Sign(body, WebhookSecret));
        request.Headers.Add(ShopifyWebhooks.TopicHeader, "customers/update");
        request.Headers.Add(ShopifyWebhooks.ShopDomainHeader, Shop.ShopDomain);
        request.Headers.Add(ShopifyWebhooks.EventIdHeader, eventId);
        request.Headers.Add(ShopifyWebhooks.WebhookIdHeader, Guid.NewGuid().ToString());
        request.Headers.Add(ShopifyWebhooks.ApiVersionHeader, "2025-10");
        request.Headers.Add(ShopifyWebhooks.TriggeredAtHeader, triggeredAt.ToString("o", CultureInfo.InvariantCulture));
        return request;
    }

    /// <summary>What the CRM must hold for a shop customer, by the flow's mapping.</summary>
    public static (string Email, string? First, string Last) Expected(SandboxCustomer customer) =>
        (customer.Email!.Trim().ToLowerInvariant(), customer.FirstName?.Trim(), customer.LastName!.Trim());
}
