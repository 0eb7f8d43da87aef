namespace Connectors.Core.Queue;

/// <summary>A message that was moved to the poison queue, and why.</summary>
/// <param name="Message">The last delivery of the message.</param>
/// <param name="Request">The request it carried; <see langword="null"/> when the body was not a sync request at all.</param>
/// <param name="Reason">Why it was given up: the last failure's reason, or what made the message unreadable.</param>
public sealed record PoisonedMessage(ReceivedMessage Message, SyncRequest? Request, string Reason);
