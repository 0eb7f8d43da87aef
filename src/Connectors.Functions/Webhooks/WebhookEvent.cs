namespace Connectors.Functions.Webhooks;

/// <summary>What a verified delivery says changed: records of one vendor stream.</summary>
/// <param name="Stream">The vendor's stream name, as a flow's source names it (<c>customers</c>, <c>Contacts</c>).</param>
/// <param name="RecordIds">The changed records' native ids.</param>
/// <param name="DeliveryKey">What the delivery's duplicates share (the vendor's event id); <see langword="null"/> when the vendor gives none.</param>
/// <param name="TriggeredAt">When the vendor says the event happened, for refusing stale deliveries.</param>
internal sealed record WebhookEvent(string Stream, IReadOnlyList<string> RecordIds, string? DeliveryKey, DateTimeOffset? TriggeredAt);
