namespace Connectors.Core.Reconciliation;

/// <summary>What a reconciliation's repair did.</summary>
public sealed record RepairTotals
{
    /// <summary>Target records created for source records missing there.</summary>
    public long Created { get; init; }

    /// <summary>Target records written again because they drifted.</summary>
    public long Updated { get; init; }

    /// <summary>Links dropped because their target record was gone (the source record was then written again by match key).</summary>
    public long Relinked { get; init; }

    /// <summary>Target records flagged (deleted in source, or duplicates).</summary>
    public long Flagged { get; init; }

    /// <summary>Target records deleted (deleted in source, or duplicates).</summary>
    public long Deleted { get; init; }

    /// <summary>Repairs the target refused or deferred; they are in the dead letters or come again next run.</summary>
    public long Failed { get; init; }

    /// <summary>Repairs still waiting when the run stopped early; the next run does them.</summary>
    public long Pending { get; init; }
}
