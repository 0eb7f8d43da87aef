namespace Connectors.Core.Conflicts;

/// <summary>How a record (or one field of it) changed on both sides since the last sync is decided.</summary>
public enum ConflictPolicy
{
    /// <summary>The left (<c>from</c>) side's version wins: <c>source-wins</c>.</summary>
    SourceWins,

    /// <summary>The right (<c>to</c>) side's version wins: <c>target-wins</c>.</summary>
    TargetWins,

    /// <summary>The side the vendor stamped later wins; within the clock-skew tolerance, the source: <c>newest-wins</c>.</summary>
    NewestWins,

    /// <summary>
    /// Three-way, field by field: a field changed on one side takes that side; changed on both with
    /// different values, its owner, else its own policy, else the newer side: <c>merge</c>.
    /// </summary>
    Merge,

    /// <summary>
    /// A real conflict (one field changed on both sides to different values) waits in the conflict queue
    /// until someone decides; without one, the record merges: <c>manual</c>.
    /// </summary>
    Manual,
}
