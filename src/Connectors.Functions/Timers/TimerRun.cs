using System.Globalization;
using Connectors.Core.Reconciliation;
using Connectors.Core.State;
using Connectors.Core.Sync;

namespace Connectors.Functions.Timers;

/// <summary>What a timer tick did for one flow whose timer was due: the sync's or the reconciliation's report, or why there is none.</summary>
/// <param name="Flow">The flow.</param>
/// <param name="Timer">Which of the flow's timers it was.</param>
/// <param name="PastDue">Whether the occurrence was missed (the app was down at the time) and this is its one catch-up run.</param>
internal sealed record TimerRun(string Flow, FlowTimer Timer, bool PastDue)
{
    /// <summary>The incremental sync's report, when the <see cref="FlowTimer.Schedule"/> timer ran it.</summary>
    public SyncReport? Sync { get; init; }

    /// <summary>The reconciliation's report (status, counts, repairs, the report files' paths), when the <see cref="FlowTimer.Reconcile"/> timer ran it.</summary>
    public ReconcileReport? Reconciliation { get; init; }

    /// <summary>Why the run could not be made, when it threw.</summary>
    public string? Error { get; init; }

    /// <summary>Whether another instance holds the flow's lease and runs it: nothing ran here.</summary>
    public bool HeldElsewhere => Sync is null && Reconciliation is null && Error is null;

    /// <summary>
    /// Whether the run failed: it threw, or ended <see cref="RunStatus.Failed"/>. A reconciliation that stopped
    /// <see cref="RunStatus.Incomplete"/> (credit budget, a passing outage) did not fail: the next one resumes it.
    /// </summary>
    public bool Failed => Error is not null || Sync?.Status == RunStatus.Failed || Reconciliation?.Status == RunStatus.Failed;

    /// <summary>One line saying what happened, for the invocation's logs.</summary>
    public string Summary
    {
        get
        {
            var pastDue = PastDue ? " (past due)" : "";
            return this switch
            {
                { Error: { } error } => $"Flow {Flow}: failed: {error}",
                { Sync: { } report } => $"Flow {Flow}: {report.Status}{pastDue}: read {report.Read}, created {report.Created}, updated {report.Updated}, "
                    + $"unchanged {report.Unchanged}, failed {report.Failed}.{(report.Message is null ? "" : " " + report.Message)}",
                { Reconciliation: { } report } => Describe(report, pastDue),
                _ => $"Flow {Flow}: another instance holds its lease and runs it.",
            };
        }
    }

    private string Describe(ReconcileReport report, string pastDue)
    {
        var counts = string.Join(", ", Enum.GetValues<Classification>().Select(c => $"{Words(c)} {N(report.Count(c))}"));
        var repairs = report.Repair
            ? $" Repairs: created {N(report.Repairs.Created)}, updated {N(report.Repairs.Updated)}, links dropped {N(report.Repairs.Relinked)}, "
                + $"flagged {N(report.Repairs.Flagged)}, deleted {N(report.Repairs.Deleted)}, failed {N(report.Repairs.Failed)}, pending {N(report.Repairs.Pending)}."
            : " Report only: nothing repaired.";
        var message = report.Message is null ? "" : $" {report.Message}";
        var files = report.JsonPath is null ? "" : $" Report: {report.JsonPath} and {report.HtmlPath}";
        return $"Flow {Flow}: reconcile {report.Status}{pastDue}: {N(report.SourceRecords)} source and {N(report.TargetRecords)} target records; "
            + $"{counts}; drift {N(report.Drift)}.{repairs}{message}{files}";
    }

    private static string Words(Classification classification) => classification switch
    {
        Classification.InSync => "in sync",
        Classification.MissingInTarget => "missing in target",
        Classification.MissingInSource => "missing in source",
        Classification.Drifted => "drifted",
        Classification.DuplicateInTarget => "duplicates in target",
        Classification.OrphanLink => "orphan links",
        _ => classification.ToString(),
    };

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
}
