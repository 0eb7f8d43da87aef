namespace Connectors.Shopify;

/// <summary>What became of verifying one webhook delivery. A forged or garbled delivery is a value, not an exception.</summary>
public abstract record ShopifyWebhookVerification
{
    private ShopifyWebhookVerification()
    {
    }

    /// <summary>The signature matched; the delivery can be queued.</summary>
    /// <param name="Delivery">What the delivery's headers and body say.</param>
    public sealed record Verified(ShopifyWebhookDelivery Delivery) : ShopifyWebhookVerification;

    /// <summary>The delivery must be refused (answer 401); nothing of it may be used.</summary>
    /// <param name="Reason">Why, for the log; never contains a secret or the expected signature.</param>
    public sealed record Rejected(string Reason) : ShopifyWebhookVerification;
}
