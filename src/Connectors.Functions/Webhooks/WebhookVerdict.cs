namespace Connectors.Functions.Webhooks;

/// <summary>What a vendor's verifier made of a delivery.</summary>
internal abstract record WebhookVerdict
{
    private WebhookVerdict()
    {
    }

    /// <summary>Genuine: the events it announces.</summary>
    public sealed record Genuine(IReadOnlyList<WebhookEvent> Events) : WebhookVerdict;

    /// <summary>Forged, unsigned or garbled: answer 401 and use nothing of it.</summary>
    public sealed record Forged(string Reason) : WebhookVerdict;

    /// <summary>A subscription handshake: answer 200 with <paramref name="Echo"/> as the plain-text body.</summary>
    public sealed record Handshake(string Echo) : WebhookVerdict;
}
