namespace Connectors.Core.Queue;

/// <summary>The work behind the queue: what <see cref="QueueListener"/> calls with each batch it receives.</summary>
public interface ISyncRequestHandler
{
    /// <summary>
    /// Handles a batch of deliveries, so that requests of the same flow can share one run and one
    /// write. Returns one outcome per delivery; a delivery without an outcome counts as failed, and an
    /// exception fails the whole batch. The token is cancelled when the listener stops: the
    /// deliveries not yet handled then go back to the queue at once.
    /// </summary>
    Task<IReadOnlyList<DeliveryOutcome>> HandleAsync(IReadOnlyList<SyncDelivery> batch, CancellationToken cancellationToken);

    /// <summary>
    /// Told after a message was moved to the poison queue, so that the caller can dead-letter it with
    /// its reason. An exception here is logged; the message stays in the poison queue.
    /// </summary>
    Task OnPoisonedAsync(PoisonedMessage poisoned, CancellationToken cancellationToken);
}
