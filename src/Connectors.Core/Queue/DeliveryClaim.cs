namespace Connectors.Core.Queue;

/// <summary>What <see cref="IDeliveryLedger.TryClaimAsync"/> found.</summary>
public enum DeliveryClaim
{
    /// <summary>New (or abandoned by a taker that died before queueing it): the caller queues it, then marks it queued.</summary>
    Taken,

    /// <summary>Already queued: acknowledge it and queue nothing.</summary>
    Duplicate,

    /// <summary>Another caller took it moments ago and is queueing it: ask the vendor to send it again later.</summary>
    InProgress,
}
