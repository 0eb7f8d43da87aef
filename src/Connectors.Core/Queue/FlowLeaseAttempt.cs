namespace Connectors.Core.Queue;

/// <summary>The outcome of trying to take a flow's lease.</summary>
public abstract record FlowLeaseAttempt
{
    /// <summary>The lease is ours.</summary>
    /// <param name="Grant">What proves it; renew and release with it.</param>
    public sealed record Acquired(FlowLeaseGrant Grant) : FlowLeaseAttempt;

    /// <summary>Someone else holds the lease.</summary>
    /// <param name="Holder">Who, as they named themselves.</param>
    /// <param name="Until">When their lease runs out unless they renew it.</param>
    public sealed record Busy(string Holder, DateTimeOffset Until) : FlowLeaseAttempt;
}
