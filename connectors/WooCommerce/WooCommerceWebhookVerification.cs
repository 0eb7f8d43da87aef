namespace Connectors.WooCommerce;

/// <summary>What became of verifying one webhook delivery. A forged or garbled delivery is a value, not an exception.</summary>
public abstract record WooCommerceWebhookVerification
{
    private WooCommerceWebhookVerification()
    {
    }

    /// <summary>The signature matched; the delivery can be queued.</summary>
    /// <param name="Delivery">What the delivery's headers and body say.</param>
    public sealed record Verified(WooCommerceWebhookDelivery Delivery) : WooCommerceWebhookVerification;

    /// <summary>
    /// The ping WooCommerce sends when a webhook is created or its delivery URL saved: the form body
    /// <c>webhook_id={id}</c>, unsigned. It must be answered 200 (anything else keeps the webhook from being saved
    /// as deliverable) and it announces no change.
    /// </summary>
    /// <param name="WebhookId">The webhook's id in the store.</param>
    public sealed record Ping(string WebhookId) : WooCommerceWebhookVerification;

    /// <summary>The delivery must be refused (answer 401); nothing of it may be used.</summary>
    /// <param name="Reason">Why, for the log; never contains a secret or the expected signature.</param>
    public sealed record Rejected(string Reason) : WooCommerceWebhookVerification;
}
