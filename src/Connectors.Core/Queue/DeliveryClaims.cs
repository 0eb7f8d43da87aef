namespace Connectors.Core.Queue;

/// <summary>
/// The claims of one group of deliveries, as <see cref="IDeliveryLedger.TryClaimAsync"/> made them: what
/// the caller queues, then hands back to <see cref="IDeliveryLedger.MarkQueuedAsync"/> (or, when queueing
/// failed, to <see cref="IDeliveryLedger.ForgetAsync"/>).
/// </summary>
/// <param name="System">The system the deliveries came from.</param>
/// <param name="Keys">The delivery keys, in the caller's order.</param>
/// <param name="Claims">One claim per key, in the same order.</param>
/// <param name="Group">The ledger's own name for the group (how it marks the group queued at once); opaque to callers.</param>
public sealed record DeliveryClaims(string System, IReadOnlyList<string> Keys, IReadOnlyList<DeliveryClaim> Claims, string Group)
{
    /// <summary>The keys whose claim is <see cref="DeliveryClaim.Taken"/>: the deliveries the caller must queue.</summary>
    public IEnumerable<string> Taken => Keys.Where((_, i) => Claims[i] == DeliveryClaim.Taken);
}
