using Connectors.Core.Configuration;
using Connectors.Core.Queue;
using Connectors.Functions.Hosting;
using Cronos;
using Microsoft.Extensions.Logging;

namespace Connectors.Functions.Timers;

/// <summary>
/// Runs the flows whose timer is due, with the Azure Functions timer semantics: a flow's next
/// occurrence is kept in the schedule ledger; a tick at or after it runs the flow once, however many
/// occurrences were missed while no instance ran (<c>IsPastDue</c>), and records the next occurrence
/// after now. A flow never seen before waits for its first occurrence. Only the instance that holds
/// the flow's lease runs it; the lease is renewed while the run lasts.
/// </summary>
/// <remarks>
/// The <c>schedule</c> timer runs the flow's incremental sync from its watermark. The <c>reconcile</c> timer
/// runs the flow's reconciliation (<see cref="ConnectorHost.ReconcileAsync"/>): both sides read in full and
/// classified, a report written to <see cref="FunctionAppSettings.ReconcileReportFolder"/>, and repairs made
/// only when the flow's <c>reconcile:</c> block says <c>repair: true</c>. Each timer has its own lease per flow,
/// so a reconciliation that lasts hours does not hold back the flow's incremental syncs.
/// </remarks>
internal sealed class FlowScheduler(ConnectorHost host, IScheduleLedger ledger, IFlowLease leases, FunctionAppSettings settings, TimeProvider clock,
    ILogger<FlowScheduler> log)
{
    /// <summary>How long a run holds its flow before it must renew; a crashed holder frees the flow after this.</summary>
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromMinutes(2);

    /// <summary>Runs every flow whose <paramref name="timer"/> is due now; the flows not due are left alone.</summary>
    public async Task<IReadOnlyList<TimerRun>> RunDueAsync(FlowTimer timer, CancellationToken cancellationToken)
    {
        var runs = new List<TimerRun>();
        foreach (var flow in host.Config.Flows)
        {
            var cron = (timer == FlowTimer.Schedule ? flow.Schedule : flow.Reconcile) is { } text
                ? CronExpression.Parse(text, CronFormat.IncludeSeconds)
                : null;
            if (cron is null) continue;
            if (await RunIfDueAsync(flow, timer, cron, cancellationToken).ConfigureAwait(false) is { } run) runs.Add(run);
        }
        return runs;
    }

    private async Task<TimerRun?> RunIfDueAsync(FlowConfig flowConfig, FlowTimer timer, CronExpression cron, CancellationToken cancellationToken)
    {
        var flow = flowConfig.Name;
        var name = timer.ToString().ToLowerInvariant();
        var now = clock.GetUtcNow();
        var due = await ledger.GetNextDueAsync(flow, name, cancellationToken).ConfigureAwait(false);
        if (due is null)
        {
            await ledger.SetNextDueAsync(flow, name, Next(cron, now), cancellationToken).ConfigureAwait(false);
            return null;
        }
        if (now < due) return null;

        await using var lease = await HeldLease.TryTakeAsync(leases, $"{flow}#{name}", LeaseDuration, clock, log, cancellationToken).ConfigureAwait(false);
        if (lease is null) return new TimerRun(flow, timer, false);
        // Read again under the lease: another instance may have run this occurrence since our first read.
        due = await ledger.GetNextDueAsync(flow, name, cancellationToken).ConfigureAwait(false);
        if (due is null || now < due) return null;
        // Due, and more than one occurrence back: the app was down when it fell due; this one run catches up.
        var pastDue = cron.GetNextOccurrence(due.Value.UtcDateTime) is { } following && following <= now.UtcDateTime;
        log.LogInformation("Flow {Flow}: {Timer} due at {Due}{PastDue}", flow, name, due, pastDue ? " (past due: catching up once)" : "");
        TimerRun run;
        try
        {
            run = timer == FlowTimer.Schedule
                ? new TimerRun(flow, timer, pastDue) { Sync = await host.SyncAsync(flow, null, lease.Lost).ConfigureAwait(false) }
                : new TimerRun(flow, timer, pastDue)
                {
                    Reconciliation = await host.ReconcileAsync(flow, flowConfig.Reconciliation?.Repair ?? false,
                        settings.ReconcileWorkFolder, settings.ReconcileReportFolder, lease.Lost).ConfigureAwait(false),
                };
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            log.LogError(e, "Flow {Flow}: the {Timer} run failed", flow, name);
            run = new TimerRun(flow, timer, pastDue) { Error = $"{e.GetType().Name}: {e.Message}" };
        }
        // A failed timer run is not retried: it waits for the next occurrence, as a Functions timer does.
        await ledger.SetNextDueAsync(flow, name, Next(cron, clock.GetUtcNow()), CancellationToken.None).ConfigureAwait(false);
        return run;
    }

    private static DateTimeOffset Next(CronExpression cron, DateTimeOffset after) =>
        cron.GetNextOccurrence(after, TimeZoneInfo.Utc) ?? DateTimeOffset.MaxValue;
}
