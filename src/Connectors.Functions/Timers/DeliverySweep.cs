using Connectors.Core.Queue;
using Connectors.Functions.Hosting;
using Cronos;
using Microsoft.Extensions.Logging;

namespace Connectors.Functions.Timers;

/// <summary>
/// The <c>ledger-sweep</c> timer: once a day, the delivery ledger forgets the deliveries claimed longer ago than
/// <see cref="FunctionAppSettings.WebhookDeliveryRetention"/>, so that it holds a window of recent deliveries rather
/// than every one ever taken in. It keeps the flows' timer semantics: the next occurrence is kept in the schedule
/// ledger, a tick at or after it sweeps once however many were missed, and only the instance that holds the sweep's
/// lease sweeps. Unlike a flow's timer it sweeps at once the first time it is ever seen, so that an install that
/// took webhooks in before the sweep existed is cleaned up on its first day.
/// </summary>
/// <remarks>
/// The sweep's own function rather than a step of <c>scheduled-sync</c>: the Functions host runs one invocation of a
/// timer function at a time, so a sweep of a large ledger inside <c>scheduled-sync</c> would hold back the flows'
/// syncs for as long as it lasts, as a reconciliation would if it shared their function.
/// </remarks>
internal sealed class DeliverySweep(IDeliveryLedger deliveries, IScheduleLedger schedules, IFlowLease leases, FunctionAppSettings settings,
    TimeProvider clock, ILogger<DeliverySweep> log)
{
    /// <summary>When the sweep is due: 03:00 UTC every day (the <c>ledger-sweep</c> function ticks hourly and sweeps at the first tick from then).</summary>
    public const string Schedule = "0 0 3 * * *";

    /// <summary>
    /// Its names in the schedule ledger (as flow and timer) and, joined by <c>#</c>, its lease's: no flow's timer is
    /// named <c>sweep</c>, so no flow's entries are these whatever the flow is called.
    /// </summary>
    public const string LedgerName = "deliveries", TimerName = "sweep";

    /// <summary>How long a sweep holds its lease before it must renew; a crashed sweeper frees the sweep after this.</summary>
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromMinutes(2);

    private static readonly CronExpression Cron = CronExpression.Parse(Schedule, CronFormat.IncludeSeconds);

    // The schedule ledger is read only from this instant (UTC ticks) on: every tick (standalone, every few seconds) would
    // otherwise read it. A long, so that an invocation and a standalone tick at once never see half of it.
    private long _notBefore;

    /// <summary>Sweeps when due; what it did, or when it is due.</summary>
    public async Task<DeliverySweepRun> RunDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var notBefore = Volatile.Read(ref _notBefore);
        if (now.UtcTicks < notBefore) return new DeliverySweepRun.NotDue(new DateTimeOffset(notBefore, TimeSpan.Zero));
        var due = await schedules.GetNextDueAsync(LedgerName, TimerName, cancellationToken).ConfigureAwait(false);
        if (due is { } next && now < next) return NotDue(next);

        await using var lease = await HeldLease.TryTakeAsync(leases, $"{LedgerName}#{TimerName}", LeaseDuration, clock, log, cancellationToken).ConfigureAwait(false);
        if (lease is null) return new DeliverySweepRun.HeldElsewhere();
        // Read again under the lease: another instance may have swept since our first read.
        due = await schedules.GetNextDueAsync(LedgerName, TimerName, cancellationToken).ConfigureAwait(false);
        if (due is { } swept && now < swept) return NotDue(swept);

        var cutoff = now - settings.WebhookDeliveryRetention;
        DeliverySweepRun run;
        try
        {
            var forgotten = await deliveries.SweepAsync(cutoff, lease.Lost).ConfigureAwait(false);
            log.LogInformation("Delivery ledger: forgot {Forgotten} deliveries claimed before {Cutoff:o}", forgotten, cutoff);
            run = new DeliverySweepRun.Swept(cutoff, forgotten);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            log.LogError(e, "Delivery ledger: the sweep failed");
            run = new DeliverySweepRun.Failed($"{e.GetType().Name}: {e.Message}");
        }
        // A failed sweep waits for the next day, as a failed Functions timer run does; what it forgot stays forgotten.
        var following = Cron.GetNextOccurrence(clock.GetUtcNow(), TimeZoneInfo.Utc) ?? DateTimeOffset.MaxValue;
        await schedules.SetNextDueAsync(LedgerName, TimerName, following, CancellationToken.None).ConfigureAwait(false);
        Volatile.Write(ref _notBefore, following.UtcTicks);
        return run;
    }

    private DeliverySweepRun.NotDue NotDue(DateTimeOffset next)
    {
        Volatile.Write(ref _notBefore, next.UtcTicks);
        return new DeliverySweepRun.NotDue(next);
    }
}
