using Newtonsoft.Json.Linq;

namespace Connectors.Core.Conflicts;

/// <summary>One record's three versions, in the right side's terms, for <see cref="ThreeWayMerge"/>.</summary>
/// <param name="Fields">The fields compared: those the left-to-right mapping writes.</param>
/// <param name="Base">What both sides agreed on at the last sync; empty for a pair never synced (every difference is then a change on both sides).</param>
/// <param name="Left">The left record, mapped to right-side terms.</param>
/// <param name="Right">The right record.</param>
/// <param name="LeftModified">The left vendor's modification stamp.</param>
/// <param name="RightModified">The right vendor's modification stamp.</param>
/// <param name="LeftOwned">
/// Fields the right side cannot write back (the right-to-left mapping does not read them): their
/// changes on the right do not count, and the left's value stands.
/// </param>
public sealed record MergeInput(IReadOnlyList<string> Fields, JObject Base, JObject Left, JObject Right,
    DateTimeOffset LeftModified, DateTimeOffset RightModified, IReadOnlySet<string> LeftOwned)
{
    /// <summary>A decision someone made on this record's parked conflict, applied to the fields it covered.</summary>
    public ConflictDecision? Decision { get; init; }

    /// <summary>The fields <see cref="Decision"/> covers: those that were in conflict when it was made.</summary>
    public IReadOnlySet<string> DecidedFields { get; init; } = new HashSet<string>(StringComparer.Ordinal);
}
