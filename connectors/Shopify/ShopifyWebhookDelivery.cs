namespace Connectors.Shopify;

/// <summary>A verified webhook delivery: its headers (read case-insensitively) and the record it is about.</summary>
/// <param name="Topic">The <c>X-Shopify-Topic</c>, for example <c>customers/update</c>.</param>
/// <param name="ShopDomain">The <c>X-Shopify-Shop-Domain</c>, for example <c>my-shop.myshopify.com</c>.</param>
/// <param name="EventId">The <c>X-Shopify-Event-Id</c>: the same on every delivery of one event.</param>
/// <param name="WebhookId">The <c>X-Shopify-Webhook-Id</c>: unique per delivery.</param>
/// <param name="ApiVersion">The <c>X-Shopify-API-Version</c> the payload was serialized with.</param>
/// <param name="TriggeredAt">The <c>X-Shopify-Triggered-At</c>: when the event fired (retries resend the original payload).</param>
/// <param name="SignedWithPreviousSecret"><see langword="true"/> when only the previous secret of a rotation matched.</param>
/// <param name="RecordId">The payload's numeric <c>id</c>, the same id the connector keys records by, when it has one.</param>
/// <param name="RecordModified">The payload's <c>updated_at</c>, for last-writer-wins against what is stored.</param>
public sealed record ShopifyWebhookDelivery(
    string Topic,
    string ShopDomain,
    string? EventId,
    string? WebhookId,
    string? ApiVersion,
    DateTimeOffset? TriggeredAt,
    bool SignedWithPreviousSecret,
    string? RecordId,
    DateTimeOffset? RecordModified)
{
    /// <summary>The stream the topic is about: <c>customers/update</c> → <c>customers</c>.</summary>
    public string Stream => Topic.IndexOf('/', StringComparison.Ordinal) is var slash and >= 0 ? Topic[..slash] : Topic;

    /// <summary>
    /// The key duplicates share: shop domain and event id, or the delivery's webhook id when the event id
    /// is missing. Shopify delivers at least once, so a second delivery with the same key is dropped.
    /// </summary>
    public string? DedupeKey => (EventId ?? WebhookId) is { } id ? $"{ShopDomain}/{id}" : null;
}
