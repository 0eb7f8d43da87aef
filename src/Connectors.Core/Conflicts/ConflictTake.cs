namespace Connectors.Core.Conflicts;

/// <summary>What someone decided for a parked conflict (<c>connectors conflicts resolve --take …</c>).</summary>
public enum ConflictTake
{
    /// <summary>The left side's values of the conflicting fields.</summary>
    Left,

    /// <summary>The right side's values of the conflicting fields.</summary>
    Right,

    /// <summary>Each conflicting field as <c>merge</c> decides it: its owner, else its own policy, else the newer side.</summary>
    Merged,
}
