using System.Collections.Concurrent;

namespace Connectors.Functions.Webhooks;

/// <summary>What to answer the vendor.</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Body">A short body: JSON, or plain text for a handshake.</param>
/// <param name="ContentType">The body's media type.</param>
internal sealed record WebhookAnswer(int Status, string Body, string ContentType = "application/json")
{
    // The answers without a reason are few (an outcome names one of a handful), and one goes out with every delivery.
    private static readonly ConcurrentDictionary<(int Status, string Outcome), WebhookAnswer> Plain = new();

    /// <summary>A JSON answer <c>{"status":…}</c>; the text never carries a secret or a signature.</summary>
    public static WebhookAnswer Json(int status, string outcome, string? reason = null) => reason is null
        ? Plain.GetOrAdd((status, outcome), key => new(key.Status, Newtonsoft.Json.JsonConvert.SerializeObject(new { status = key.Outcome })))
        : new(status, Newtonsoft.Json.JsonConvert.SerializeObject(new { status = outcome, reason }));
}
