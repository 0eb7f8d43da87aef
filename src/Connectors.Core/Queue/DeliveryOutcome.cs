namespace Connectors.Core.Queue;

/// <summary>What a handler made of one delivery.</summary>
/// <param name="MessageId">The <see cref="ReceivedMessage.Id"/> of the delivery this outcome answers.</param>
public abstract record DeliveryOutcome(string MessageId)
{
    /// <summary>The work is done and durable: the message is deleted.</summary>
    public sealed record Handled(string MessageId) : DeliveryOutcome(MessageId);

    /// <summary>
    /// The attempt failed. The message comes back after <paramref name="RetryAfter"/> (or the listener's
    /// visibility timeout) until its attempts are used up; then it moves to the poison queue with
    /// <paramref name="Reason"/>.
    /// </summary>
    /// <param name="MessageId">The message's id.</param>
    /// <param name="Reason">Why, in words; it becomes the dead letter's reason if this was the last attempt.</param>
    /// <param name="RetryAfter">How long to wait before the next attempt, when the handler knows better than the default (a vendor's Retry-After).</param>
    public sealed record Failed(string MessageId, string Reason, TimeSpan? RetryAfter = null) : DeliveryOutcome(MessageId);
}
