namespace Connectors.Typeform;

/// <summary>A verified <c>form_response</c> delivery: the event and the response it is about.</summary>
/// <param name="EventId">The event's id; the same on every delivery of one event, so it is the dedupe key.</param>
/// <param name="EventType">The event type, <c>form_response</c>.</param>
/// <param name="FormId">The form the response belongs to.</param>
/// <param name="ResponseToken">The response's token: the id the connector keys records by.</param>
/// <param name="SubmittedAt">When the response was submitted, if the payload says.</param>
public sealed record TypeformWebhookDelivery(string? EventId, string EventType, string FormId, string ResponseToken, DateTimeOffset? SubmittedAt)
{
    /// <summary>The stream the delivery is about: <see cref="TypeformConnector.ResponsesStream"/>.</summary>
    public string Stream => TypeformConnector.ResponsesStream;

    /// <summary>The key duplicate deliveries share (form and event id, else form and response token).</summary>
    public string DedupeKey => $"{FormId}/{EventId ?? ResponseToken}";
}
