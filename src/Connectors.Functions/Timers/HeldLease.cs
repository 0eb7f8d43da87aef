using Connectors.Core.Queue;
using Microsoft.Extensions.Logging;

namespace Connectors.Functions.Timers;

/// <summary>
/// A lease held for one timer run, so that of the instances whose timers fire only one does the work: renewed in
/// the background every third of its duration while the run lasts, and released when disposed. When a renewal
/// finds the lease lost (it ran out and someone else took it), <see cref="Lost"/> is cancelled, so that the run
/// stops rather than run twice.
/// </summary>
internal sealed class HeldLease : IAsyncDisposable
{
    private readonly IFlowLease _leases;
    private readonly CancellationTokenSource _lost;
    private readonly CancellationTokenSource _renewing = new();
    private readonly Task<FlowLeaseGrant> _keepAlive;

    private HeldLease(IFlowLease leases, FlowLeaseGrant grant, TimeSpan duration, TimeProvider clock, ILogger log, CancellationToken cancellationToken)
    {
        _leases = leases;
        _lost = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _keepAlive = RenewAsync(grant, duration, clock, log);
    }

    /// <summary>Cancelled when the lease is lost, or when the token the lease was taken with is cancelled: the run's token.</summary>
    public CancellationToken Lost => _lost.Token;

    /// <summary>Takes the lease named <paramref name="name"/> for <paramref name="duration"/>; <see langword="null"/> when another instance holds it.</summary>
    public static async Task<HeldLease?> TryTakeAsync(IFlowLease leases, string name, TimeSpan duration, TimeProvider clock, ILogger log,
        CancellationToken cancellationToken)
    {
        var attempt = await leases.TryAcquireAsync(name, duration, cancellationToken).ConfigureAwait(false);
        return attempt is FlowLeaseAttempt.Acquired { Grant: var grant } ? new HeldLease(leases, grant, duration, clock, log, cancellationToken) : null;
    }

    private async Task<FlowLeaseGrant> RenewAsync(FlowLeaseGrant grant, TimeSpan duration, TimeProvider clock, ILogger log)
    {
        var stop = _renewing.Token;
        var current = grant;
        while (true)
        {
            try
            {
                await Task.Delay(duration / 3, clock, stop).ConfigureAwait(false);
                if (await _leases.RenewAsync(current, duration, stop).ConfigureAwait(false) is { } renewed)
                {
                    current = renewed;
                    continue;
                }
                log.LogWarning("{Lease}: lost its lease; stopping the run", grant.Flow);
                await _lost.CancelAsync().ConfigureAwait(false);
                return current;
            }
            catch (OperationCanceledException)
            {
                return current;
            }
        }
    }

    /// <summary>Stops renewing and releases the lease, so that the next run need not wait for it to run out.</summary>
    public async ValueTask DisposeAsync()
    {
        await _renewing.CancelAsync().ConfigureAwait(false);
        // Released with the latest grant: a renewal may have changed its token.
        await _leases.ReleaseAsync(await _keepAlive.ConfigureAwait(false), CancellationToken.None).ConfigureAwait(false);
        _renewing.Dispose();
        _lost.Dispose();
    }
}
