namespace Connectors.Sandbox.WooCommerce;

/// <summary>How the emulated WooCommerce store behaves. The defaults are a store in Central Europe on winter time.</summary>
public sealed class WooCommerceSandboxOptions
{
    /// <summary>The REST API key's consumer key the store accepts as the Basic auth user name.</summary>
    public string ConsumerKey { get; set; } = "ck_5b0d7c1e9a3f4e2d8c6b0a1f2e3d4c5b6a7f8e9d";

    /// <summary>The REST API key's consumer secret the store accepts as the Basic auth password.</summary>
    public string ConsumerSecret { get; set; } = "cs_9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d";

    /// <summary>The site's offset from UTC, in which the API writes the dates without <c>_gmt</c>.</summary>
    public TimeSpan SiteUtcOffset { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The WooCommerce version the store reports (orders' <c>version</c>, the webhooks' User-Agent).</summary>
    public string WooCommerceVersion { get; set; } = "10.3.0";

    /// <summary>The WordPress version in the webhooks' User-Agent.</summary>
    public string WordPressVersion { get; set; } = "6.8.3";

    /// <summary>The site's salt, which <c>wp_hash</c> keys delivery ids with.</summary>
    public string Salt { get; set; } = "sandbox-auth-salt-7c1f";
}
