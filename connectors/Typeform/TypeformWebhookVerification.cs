namespace Connectors.Typeform;

/// <summary>What became of verifying one webhook delivery. A forged or garbled delivery is a value, not an exception.</summary>
public abstract record TypeformWebhookVerification
{
    private TypeformWebhookVerification()
    {
    }

    /// <summary>The signature matched and the payload names a response; the delivery can be queued.</summary>
    /// <param name="Delivery">What the payload says.</param>
    public sealed record Verified(TypeformWebhookDelivery Delivery) : TypeformWebhookVerification;

    /// <summary>The delivery must be refused (answer 401, or 400 for a genuine but unusable payload); nothing of it may be used.</summary>
    /// <param name="Reason">Why, for the log; never contains the secret or the expected signature.</param>
    public sealed record Rejected(string Reason) : TypeformWebhookVerification;
}
