namespace Connectors.Core.Queue;

/// <summary>
/// Remembers which vendor deliveries (webhook events) were taken in, so that an event delivered twice —
/// vendors deliver at least once — is queued once, even when the two deliveries reach two instances.
/// Taking in is two steps, claim then mark queued, so that a taker that dies between the two loses
/// nothing: its claim runs out and the vendor's next attempt takes the delivery over.
/// </summary>
public interface IDeliveryLedger
{
    /// <summary>
    /// Claims the delivery, atomically across callers: <see cref="DeliveryClaim.Taken"/> when it is new or
    /// its earlier claim ran out (<paramref name="claimTimeout"/>) without being queued.
    /// </summary>
    /// <param name="system">The system the delivery came from, as the config names it.</param>
    /// <param name="deliveryKey">The vendor's event or delivery id (whatever its duplicates share).</param>
    /// <param name="claimTimeout">How long an unqueued claim holds before another caller may take it over.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<DeliveryClaim> TryClaimAsync(string system, string deliveryKey, TimeSpan claimTimeout, CancellationToken cancellationToken);

    /// <summary>Marks a claimed delivery as queued: from now on it is a duplicate.</summary>
    Task MarkQueuedAsync(string system, string deliveryKey, CancellationToken cancellationToken);

    /// <summary>
    /// Forgets a delivery whose taker could not queue it, so that the vendor's next attempt is taken in
    /// rather than dropped as a duplicate.
    /// </summary>
    Task ForgetAsync(string system, string deliveryKey, CancellationToken cancellationToken);
}
