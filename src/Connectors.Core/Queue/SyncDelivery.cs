namespace Connectors.Core.Queue;

/// <summary>One delivery of a sync request: the queue message and the request read from it.</summary>
/// <param name="Message">The received message; its <see cref="ReceivedMessage.DequeueCount"/> tells the attempt.</param>
/// <param name="Request">The request the message carries.</param>
public sealed record SyncDelivery(ReceivedMessage Message, SyncRequest Request);
