namespace Connectors.Core.Sync.TwoWay;

/// <summary>A side of a two-way flow: <see cref="Left"/> is its <c>from</c> stream, <see cref="Right"/> its <c>to</c> stream.</summary>
public enum FlowSide
{
    /// <summary>The flow's <c>from</c> stream (the source, for <c>source-wins</c>).</summary>
    Left,

    /// <summary>The flow's <c>to</c> stream (the target, for <c>target-wins</c>); comparisons happen in its terms.</summary>
    Right,
}
