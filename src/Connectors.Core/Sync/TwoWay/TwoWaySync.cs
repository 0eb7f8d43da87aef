using Connectors.Core.Connectors;
using Connectors.Core.Http;
using Connectors.Core.State;
using Microsoft.Extensions.Logging;

namespace Connectors.Core.Sync.TwoWay;

/// <summary>
/// Runs a two-way flow once: reads what changed on each side since that side's watermark, pairs each
/// record with its counterpart (by link, else by match key), merges each pair against its base with the
/// flow's conflict rules, writes each side conditionally on the version read, and commits links, bases,
/// parked conflicts and dead letters, then the watermarks. Our own writes come back equal to the base and
/// cost nothing; a second run with no edits writes nothing.
/// </summary>
/// <remarks>
/// A run holds the records changed since the last run of both sides in memory, because pairing needs
/// both: memory is bounded by the changes between two runs, not by the size of either system (a first
/// run reads everything, as a backfill does).
/// </remarks>
public sealed class TwoWaySync(ITwoWayStateStore state, ApiCallMeter meter, TimeProvider clock, ILogger<TwoWaySync> log)
{
    /// <summary>How often a pair is read and merged again after a conditional write was refused, before it is deferred to the next run.</summary>
    public const int MaxAttempts = 3;

    /// <summary>Runs <paramref name="flow"/> between <paramref name="left"/> and <paramref name="right"/>.</summary>
    /// <param name="flow">The flow.</param>
    /// <param name="left">The left side's connector (the flow's <c>from</c> system).</param>
    /// <param name="right">The right side's connector (the flow's <c>to</c> system).</param>
    /// <param name="progress">Told after each step, if given.</param>
    /// <param name="cancellationToken">Cancels the run; what was committed stays.</param>
    public async Task<TwoWayReport> RunAsync(TwoWayFlow flow, SideConnectors left, SideConnectors right, IProgress<SyncProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        var startedAt = clock.GetUtcNow();
        var started = clock.GetTimestamp();
        var leftCalls = meter.CallsTo(flow.Left.System);
        var rightCalls = meter.CallsTo(flow.Right.System);
        var pass = new TwoWayPass(state, clock, log, flow, left, right, progress, cancellationToken);
        var status = RunStatus.Completed;
        string? message = null;
        try
        {
            await pass.RunAsync().ConfigureAwait(false);
            if (pass.Counts.Deferred > 0)
            {
                status = RunStatus.Incomplete;
                message = $"{pass.Counts.Deferred} record(s) were deferred; the next run takes them up again.";
            }
        }
        catch (ConnectorException e) when (!cancellationToken.IsCancellationRequested)
        {
            status = e.Code is ConnectorErrorCode.Throttled or ConnectorErrorCode.Unavailable ? RunStatus.Incomplete : RunStatus.Failed;
            message = e.Message;
            log.LogWarning("Flow {Flow} stopped: {Code} {Message}", flow.Name, e.Code, e.Message);
        }
        var counts = pass.Counts;
        var report = new TwoWayReport
        {
            RunId = Guid.CreateVersion7(startedAt).ToString("N"),
            Flow = flow.Name,
            StartedAt = startedAt,
            Duration = clock.GetElapsedTime(started),
            Status = status,
            Message = message,
            ReadLeft = counts.ReadLeft,
            ReadRight = counts.ReadRight,
            CreatedLeft = counts.CreatedLeft,
            CreatedRight = counts.CreatedRight,
            UpdatedLeft = counts.UpdatedLeft,
            UpdatedRight = counts.UpdatedRight,
            Unchanged = counts.Unchanged,
            Matched = counts.Matched,
            Conflicts = counts.Conflicts,
            Resolved = counts.Resolved,
            Duplicates = counts.Duplicates,
            Orphans = counts.Orphans,
            Remerged = counts.Remerged,
            Failed = counts.Failed,
            Deferred = counts.Deferred,
            LeftApiCalls = meter.CallsTo(flow.Left.System) - leftCalls,
            RightApiCalls = meter.CallsTo(flow.Right.System) - rightCalls,
            Reported = [.. pass.Reported],
        };
        await state.RecordRunAsync(report.ToRunRecord(), CancellationToken.None).ConfigureAwait(false);
        log.LogInformation(
            "Flow {Flow} {Status}: read {ReadLeft}/{ReadRight}, created {CreatedLeft}/{CreatedRight}, updated {UpdatedLeft}/{UpdatedRight}, unchanged {Unchanged}, conflicts {Conflicts}, failed {Failed}",
            flow.Name, status, report.ReadLeft, report.ReadRight, report.CreatedLeft, report.CreatedRight, report.UpdatedLeft, report.UpdatedRight,
            report.Unchanged, report.Conflicts, report.Failed);
        return report;
    }
}
