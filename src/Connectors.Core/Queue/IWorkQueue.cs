namespace Connectors.Core.Queue;

/// <summary>
/// A durable queue of <see cref="SyncRequest"/>s with at-least-once delivery: a received message is
/// hidden for a visibility timeout, and comes back unless it is completed. Receivers therefore handle
/// a message more than once in rare cases (a crash after the work, before the completion), and the
/// work it stands for must be idempotent.
/// </summary>
public interface IWorkQueue
{
    /// <summary>The queue's name.</summary>
    string Name { get; }

    /// <summary>
    /// The name of the queue that holds messages which failed too often (<c>&lt;name&gt;-poison</c>,
    /// as the Azure Functions host names it).
    /// </summary>
    string PoisonQueueName { get; }

    /// <summary>Adds one request.</summary>
    Task EnqueueAsync(SyncRequest request, CancellationToken cancellationToken);

    /// <summary>Adds several requests; each becomes its own message.</summary>
    Task EnqueueAsync(IReadOnlyCollection<SyncRequest> requests, CancellationToken cancellationToken);

    /// <summary>
    /// Takes up to <paramref name="maxMessages"/> visible messages and hides them for
    /// <paramref name="visibilityTimeout"/>; an empty list when there are none.
    /// </summary>
    Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken);

    /// <summary>Deletes a handled message. <see langword="false"/> when the receipt is no longer valid (the message came back and was taken by someone else, or is gone).</summary>
    Task<bool> CompleteAsync(ReceivedMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// Gives a message back unhandled: it becomes visible again after <paramref name="visibleAfter"/>
    /// (zero: at once). Returns the message with its new receipt, or <see langword="null"/> when the
    /// receipt is no longer valid.
    /// </summary>
    Task<ReceivedMessage?> ReturnAsync(ReceivedMessage message, TimeSpan visibleAfter, CancellationToken cancellationToken);

    /// <summary>
    /// Keeps a message that is still being worked on hidden for <paramref name="visibilityTimeout"/> from
    /// now. Returns the message with its new receipt, or <see langword="null"/> when the receipt is no
    /// longer valid (the hold was lost).
    /// </summary>
    Task<ReceivedMessage?> ExtendAsync(ReceivedMessage message, TimeSpan visibilityTimeout, CancellationToken cancellationToken);

    /// <summary>
    /// Moves a message to <see cref="PoisonQueueName"/>: copies its body there, then deletes it here.
    /// <see langword="false"/> when the receipt is no longer valid; the copy is made all the same.
    /// </summary>
    Task<bool> MoveToPoisonAsync(ReceivedMessage message, CancellationToken cancellationToken);
}
