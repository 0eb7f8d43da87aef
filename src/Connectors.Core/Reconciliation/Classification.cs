namespace Connectors.Core.Reconciliation;

/// <summary>What reconciliation found for one record (or one link).</summary>
public enum Classification
{
    /// <summary>Both sides hold the record and every mapped field agrees.</summary>
    InSync,

    /// <summary>The source holds the record; the target has nothing for it (never written, or its link was never made).</summary>
    MissingInTarget,

    /// <summary>
    /// The target holds a record the source does not: deleted in the source when it was linked (see
    /// <see cref="ReconcileFinding.Evidence"/>), or a target record this flow never wrote.
    /// </summary>
    MissingInSource,

    /// <summary>Both sides hold the record and some mapped fields disagree (see <see cref="ReconcileFinding.Fields"/>).</summary>
    Drifted,

    /// <summary>A second target record carries the match key of a record that is already paired.</summary>
    DuplicateInTarget,

    /// <summary>A link points to a target record that no longer exists.</summary>
    OrphanLink,
}
