namespace Connectors.Core.Queue;

/// <summary>
/// Remembers which vendor deliveries (webhook events) were taken in, so that an event delivered twice —
/// vendors deliver at least once — is queued once, even when the two deliveries reach two instances.
/// </summary>
public interface IDeliveryLedger
{
    /// <summary>
    /// Records the delivery, atomically: <see langword="true"/> when it was not recorded before (the
    /// caller takes it in), <see langword="false"/> when some caller already did.
    /// </summary>
    /// <param name="system">The system the delivery came from, as the config names it.</param>
    /// <param name="deliveryKey">The vendor's event or delivery id (whatever its duplicates share).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<bool> TryRecordAsync(string system, string deliveryKey, CancellationToken cancellationToken);

    /// <summary>
    /// Forgets a delivery whose taker could not queue it, so that the vendor's next attempt is taken in
    /// rather than dropped as a duplicate.
    /// </summary>
    Task ForgetAsync(string system, string deliveryKey, CancellationToken cancellationToken);
}
