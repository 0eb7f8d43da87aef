namespace Connectors.Functions.Webhooks;

/// <summary>What to answer the vendor.</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Body">A short body: JSON, or plain text for a handshake.</param>
/// <param name="ContentType">The body's media type.</param>
internal sealed record WebhookAnswer(int Status, string Body, string ContentType = "application/json")
{
    /// <summary>A JSON answer <c>{"status":…}</c>; the text never carries a secret or a signature.</summary>
    public static WebhookAnswer Json(int status, string outcome, string? reason = null) =>
        new(status, Newtonsoft.Json.JsonConvert.SerializeObject(reason is null ? new { status = outcome } : new { status = outcome, reason }));
}
