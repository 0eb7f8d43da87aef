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
}
