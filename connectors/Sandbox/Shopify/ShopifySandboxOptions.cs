namespace Connectors.Sandbox.Shopify;

/// <summary>How the emulated store behaves. The defaults are a Standard-plan store.</summary>
public sealed class ShopifySandboxOptions
{
    /// <summary>The only Admin API access token the store accepts in <c>X-Shopify-Access-Token</c>.</summary>
    public string AccessToken { get; set; } = "shpat_sandbox_5f0c1e2d3a4b";

    /// <summary>The store's <c>*.myshopify.com</c> domain, as webhooks would name it.</summary>
    public string ShopDomain { get; set; } = "sandbox-shop.myshopify.com";

    /// <summary>The cost bucket's size in points.</summary>
    public double MaximumAvailable { get; set; } = 2000;

    /// <summary>Points restored per second of the sandbox clock (100 on Shopify's Standard plan).</summary>
    public double RestoreRate { get; set; } = 100;

    /// <summary>The HTTP status of a THROTTLED answer: 200, as Shopify usually sends, or 429.</summary>
    public int ThrottledStatusCode { get; set; } = 200;

    /// <summary>The shop's currency (ISO 4217), which every price and total is in.</summary>
    public string Currency { get; set; } = "USD";

    /// <summary>
    /// Whether the app holds the <c>read_all_orders</c> scope. Without it Shopify serves only the last 60 days
    /// of orders; older ones are left out of <c>orders</c> and come back null from <c>order(id:)</c> and <c>nodes</c>.
    /// </summary>
    public bool ReadAllOrders { get; set; }

    /// <summary>
    /// How long a bulk query operation runs on the sandbox clock before it completes (or fails, see
    /// <see cref="ShopifySandbox.FailNextBulkOperation"/>). Zero: it is complete as soon as anyone asks.
    /// </summary>
    public TimeSpan BulkOperationDuration { get; set; }
}
