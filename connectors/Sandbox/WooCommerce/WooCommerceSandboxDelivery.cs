namespace Connectors.Sandbox.WooCommerce;

/// <summary>A webhook delivery as WooCommerce would POST it: the exact body bytes and the headers, the signature among them.</summary>
/// <param name="Body">The raw body: JSON for a resource topic, the form <c>webhook_id={id}</c> for a ping.</param>
/// <param name="Headers">The request headers (<c>X-WC-Webhook-*</c>, <c>Content-Type</c>, <c>User-Agent</c>).</param>
public sealed record WooCommerceSandboxDelivery(byte[] Body, IReadOnlyDictionary<string, string> Headers);
