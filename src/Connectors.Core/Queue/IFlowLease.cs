namespace Connectors.Core.Queue;

/// <summary>
/// Makes sure that only one worker runs a given flow at a time, across instances: a worker acquires
/// the flow's lease for a while, renews it while it works, and releases it when done. A lease whose
/// holder died runs out by itself.
/// </summary>
public interface IFlowLease
{
    /// <summary>Takes the flow's lease for <paramref name="duration"/>, unless someone else holds it and it has not run out.</summary>
    Task<FlowLeaseAttempt> TryAcquireAsync(string flow, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>
    /// Extends a held lease to <paramref name="duration"/> from now. <see langword="null"/> when the lease
    /// was lost (it ran out and someone else took it): stop working on the flow.
    /// </summary>
    Task<FlowLeaseGrant?> RenewAsync(FlowLeaseGrant grant, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>Gives the lease up so that the next worker need not wait for it to run out. Releasing a lost lease does nothing.</summary>
    Task ReleaseAsync(FlowLeaseGrant grant, CancellationToken cancellationToken);
}
