namespace Connectors.Core.Queue;

/// <summary>
/// Remembers which vendor deliveries (webhook events) were taken in, so that an event delivered twice —
/// vendors deliver at least once — is queued once, even when the two deliveries reach two instances.
/// Taking in is two steps, claim then mark queued, so that a taker that dies between the two loses
/// nothing: its claim runs out and the vendor's next attempt takes the delivery over. Deliveries are
/// claimed and marked by groups, because a burst of webhooks is taken in by groups: a few storage round
/// trips per group, not per delivery.
/// </summary>
public interface IDeliveryLedger
{
    /// <summary>
    /// Claims each delivery, atomically across callers: <see cref="DeliveryClaim.Taken"/> when it is new
    /// or its earlier claim ran out (<paramref name="claimTimeout"/>) without being queued.
    /// </summary>
    /// <param name="system">The system the deliveries came from, as the config names it.</param>
    /// <param name="deliveryKeys">The vendor's event or delivery ids (whatever a delivery's duplicates share), distinct.</param>
    /// <param name="claimTimeout">How long an unqueued claim holds before another caller may take it over.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<DeliveryClaims> TryClaimAsync(string system, IReadOnlyList<string> deliveryKeys, TimeSpan claimTimeout, CancellationToken cancellationToken);

    /// <summary>Marks the deliveries <paramref name="claims"/> took as queued: from now on they are duplicates.</summary>
    Task MarkQueuedAsync(DeliveryClaims claims, CancellationToken cancellationToken);

    /// <summary>
    /// Gives up the deliveries <paramref name="claims"/> took, when they could not be queued, so that the
    /// vendor's next attempt is taken in rather than dropped as a duplicate or held off as in progress.
    /// </summary>
    Task ForgetAsync(DeliveryClaims claims, CancellationToken cancellationToken);

    /// <summary>
    /// Forgets every delivery last claimed before <paramref name="olderThan"/>, queued or not, so that the ledger
    /// holds a window of recent deliveries rather than every delivery ever taken in: a forgotten delivery that
    /// comes again is taken in as new. A claim made or taken over at or after <paramref name="olderThan"/> is kept,
    /// also one made while the sweep runs; sweeps may run at the same time as each other and as claims.
    /// </summary>
    /// <param name="olderThan">
    /// The cutoff. Take it further back than the claim timeout, so that no claim still holding off its duplicates
    /// is forgotten, and further back than the vendors' retries last.
    /// </param>
    /// <param name="cancellationToken">Cancels the sweep; what was forgotten until then stays forgotten.</param>
    /// <returns>How many deliveries were forgotten.</returns>
    Task<long> SweepAsync(DateTimeOffset olderThan, CancellationToken cancellationToken);
}
