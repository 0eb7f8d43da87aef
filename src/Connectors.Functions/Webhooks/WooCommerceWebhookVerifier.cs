using Connectors.WooCommerce;

namespace Connectors.Functions.Webhooks;

/// <summary>
/// WooCommerce: HMAC-SHA256 of the raw body (current and, during a rotation, previous secret); the record's id and
/// <c>date_modified_gmt</c> dedupe (the delivery id is per webhook and second, not per event). A new webhook's unsigned
/// ping is answered 200 and queues nothing.
/// </summary>
internal sealed class WooCommerceWebhookVerifier(WooCommerceWebhooks webhooks) : IWebhookVerifier
{
    public WebhookVerdict Verify(WebhookRequest request)
    {
        return webhooks.Verify(request.Body.Span, request.Headers) switch
        {
            // WooCommerce sends no delivery timestamp and never re-sends, so there is no age to judge; a replay only
            // makes the worker read the record as it is now, and its dedupe key is the one already taken.
            WooCommerceWebhookVerification.Verified { Delivery: var delivery } => new WebhookVerdict.Genuine(delivery.RecordId is { } id
                ? [new WebhookEvent(delivery.Stream, [id], delivery.DedupeKey, TriggeredAt: null)]
                // A custom action topic names no record: acknowledged, nothing queued.
                : []),
            WooCommerceWebhookVerification.Ping => new WebhookVerdict.Handshake(""),
            WooCommerceWebhookVerification.Rejected rejected => new WebhookVerdict.Forged(rejected.Reason),
            _ => new WebhookVerdict.Forged("The delivery could not be verified."),
        };
    }
}
