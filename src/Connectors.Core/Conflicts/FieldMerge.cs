using Connectors.Core.Sync.TwoWay;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Conflicts;

/// <summary>What the merge did with one field, in the right side's terms.</summary>
/// <param name="Field">The field.</param>
/// <param name="Base">Its value at the last sync.</param>
/// <param name="Left">The left side's value now (mapped).</param>
/// <param name="Right">The right side's value now.</param>
/// <param name="LeftChanged">Whether the left side changed it since the last sync.</param>
/// <param name="RightChanged">Whether the right side changed it (a field the right cannot write back counts as unchanged).</param>
/// <param name="Winner">The side whose value was taken, or <see langword="null"/> when no side changed it or it is undecided.</param>
/// <param name="Reason">Why.</param>
public sealed record FieldMerge(string Field, JToken? Base, JToken? Left, JToken? Right, bool LeftChanged, bool RightChanged,
    FlowSide? Winner, MergeReason Reason)
{
    /// <summary>Whether both sides changed it to different values: a real conflict, however it was then decided.</summary>
    public bool IsRealConflict => LeftChanged && RightChanged && !FieldValues.Same(Left, Right);
}
