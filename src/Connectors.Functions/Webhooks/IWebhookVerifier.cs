namespace Connectors.Functions.Webhooks;

/// <summary>Checks one vendor's webhook deliveries and reads what they announce.</summary>
internal interface IWebhookVerifier
{
    /// <summary>Verifies the delivery (constant-time signature checks, in the vendor's way) and lists its events.</summary>
    WebhookVerdict Verify(WebhookRequest request);
}
