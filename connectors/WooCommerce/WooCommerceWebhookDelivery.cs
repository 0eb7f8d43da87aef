using System.Globalization;

namespace Connectors.WooCommerce;

/// <summary>A verified webhook delivery: its headers (read case-insensitively) and the record it is about.</summary>
/// <param name="Topic">The <c>X-WC-Webhook-Topic</c>, for example <c>customer.updated</c>.</param>
/// <param name="Resource">The <c>X-WC-Webhook-Resource</c>: <c>customer</c>, <c>order</c>, <c>product</c>, <c>coupon</c>, or <c>action</c> for custom topics.</param>
/// <param name="Event">The <c>X-WC-Webhook-Event</c>: <c>created</c>, <c>updated</c>, <c>deleted</c>, <c>restored</c>, or the hook of an action topic.</param>
/// <param name="WebhookId">The <c>X-WC-Webhook-ID</c>: the store's webhook that sent it.</param>
/// <param name="DeliveryId">
/// The <c>X-WC-Webhook-Delivery-ID</c>: <c>wp_hash(webhook id . time())</c>, so unique to one webhook and one second,
/// not to an event: two records sent by one webhook in the same second share it, and one change sent by two webhooks
/// (a <c>customer.created</c> and a <c>customer.updated</c> subscription) has two.
/// </param>
/// <param name="Source">The <c>X-WC-Webhook-Source</c>: the store's home URL.</param>
/// <param name="SignedWithPreviousSecret"><see langword="true"/> when only the previous secret of a rotation matched.</param>
/// <param name="RecordId">The payload's <c>id</c>, the id the connector keys records by, when it has one.</param>
/// <param name="RecordModified">The payload's <c>date_modified_gmt</c>; deletions carry only the id.</param>
public sealed record WooCommerceWebhookDelivery(
    string Topic,
    string Resource,
    string Event,
    string? WebhookId,
    string? DeliveryId,
    string? Source,
    bool SignedWithPreviousSecret,
    string? RecordId,
    DateTimeOffset? RecordModified)
{
    /// <summary>The stream the resource is listed in: <c>customer</c> → <c>customers</c>, <c>order</c> → <c>orders</c>.</summary>
    public string Stream => Resource + "s";

    /// <summary>
    /// The key duplicates share. WooCommerce never re-sends a delivery, so a duplicate is the same change of the same
    /// record announced again: by a second webhook on the same address, or by a replay. Those share the resource, its
    /// id and its <c>date_modified_gmt</c>, which is the key; the delivery id is not (see <see cref="DeliveryId"/>). A
    /// deletion has no stamp, so its key is the resource, id and event with the delivery id; without a record there is
    /// no key.
    /// </summary>
    public string? DedupeKey => (RecordId, RecordModified, DeliveryId) switch
    {
        ({ } id, { } modified, _) => string.Create(CultureInfo.InvariantCulture, $"{Resource}/{id}@{modified.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss}"),
        ({ } id, null, { } delivery) => $"{Resource}/{id}/{Event}/{delivery}",
        _ => null,
    };
}
