namespace Connectors.Core.Queue;

/// <summary>
/// One delivery of a queue message: the message stays invisible to other receivers until it is
/// completed, returned, or its visibility timeout runs out.
/// </summary>
/// <param name="Id">The message's id; the same on every delivery of the message.</param>
/// <param name="Receipt">
/// An opaque token that proves this delivery. It changes when the message's visibility is changed,
/// and an older receipt can no longer complete the message.
/// </param>
/// <param name="Body">The message text, decoded.</param>
/// <param name="DequeueCount">How many times the message has been delivered, this delivery included.</param>
/// <param name="InsertedAt">When the message was enqueued (the queue's clock).</param>
/// <param name="NextVisibleAt">When the message becomes visible again unless it is completed first (the queue's clock).</param>
public sealed record ReceivedMessage(string Id, string Receipt, string Body, long DequeueCount, DateTimeOffset? InsertedAt, DateTimeOffset? NextVisibleAt);
