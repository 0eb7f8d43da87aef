using Connectors.Shopify;

namespace Connectors.Functions.Webhooks;

/// <summary>Shopify: HMAC-SHA256 of the raw body (current and, during a rotation, previous secret); the event id dedupes.</summary>
internal sealed class ShopifyWebhookVerifier(ShopifyWebhooks webhooks) : IWebhookVerifier
{
    public WebhookVerdict Verify(WebhookRequest request)
    {
        return webhooks.Verify(request.Body.Span, request.Headers) switch
        {
            ShopifyWebhookVerification.Verified { Delivery: var delivery } => new WebhookVerdict.Genuine(delivery.RecordId is { } id
                ? [new WebhookEvent(delivery.Stream, [id], delivery.DedupeKey, delivery.TriggeredAt)]
                // A topic about no record (app/uninstalled, the compliance topics) is acknowledged and nothing is queued.
                : []),
            ShopifyWebhookVerification.Rejected rejected => new WebhookVerdict.Forged(rejected.Reason),
            _ => new WebhookVerdict.Forged("The delivery could not be verified."),
        };
    }
}
