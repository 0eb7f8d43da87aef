using Connectors.Core.Flows;

namespace Connectors.Core.Sync;

/// <summary>What a sync run of a flow would do now, record by record, as <see cref="SyncPlan"/> foresees it.</summary>
/// <param name="Flow">The flow's name.</param>
/// <param name="From">The source stream.</param>
/// <param name="To">The target stream.</param>
/// <param name="Since">The watermark the source was read from.</param>
/// <param name="Records">Each record read, in the order read (a record read twice appears once, as last read).</param>
/// <param name="Limit">The most records that were read.</param>
/// <param name="TargetReadable">Whether the target's current versions could be read for field-level diffs.</param>
public sealed record PlanReport(string Flow, StreamRef From, StreamRef To, Watermark Since, IReadOnlyList<PlannedRecord> Records, int Limit,
    bool TargetReadable)
{
    /// <summary>Records that would be created.</summary>
    public int Creates => Records.Count(r => r is PlannedRecord.Create);

    /// <summary>Records that would be updated.</summary>
    public int Updates => Records.Count(r => r is PlannedRecord.Update);

    /// <summary>Records that would cost nothing.</summary>
    public int Unchanged => Records.Count(r => r is PlannedRecord.Unchanged);

    /// <summary>Records that would be dead-lettered.</summary>
    public int Invalid => Records.Count(r => r is PlannedRecord.Invalid);

    /// <summary>Whether reading stopped at <see cref="Limit"/>, so that more changed records may follow.</summary>
    public bool ReachedLimit { get; init; }
}
