using Connectors.Core.Conflicts;
using Connectors.Core.Records;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Sync.TwoWay;

/// <summary>What a run will do with one pair: the writes on each side, and the base it agrees on when they succeed.</summary>
internal sealed record PairPlan(Pair Pair)
{
    /// <summary>Fields to write to the left record (or the whole record to create there); <see langword="null"/>: no write.</summary>
    public JObject? LeftWrite { get; init; }

    /// <summary>Whether <see cref="LeftWrite"/> creates the left record.</summary>
    public bool CreateLeft { get; init; }

    /// <summary>Fields to write to the right record (or the whole record to create there); <see langword="null"/>: no write.</summary>
    public JObject? RightWrite { get; init; }

    /// <summary>Whether <see cref="RightWrite"/> creates the right record.</summary>
    public bool CreateRight { get; init; }

    /// <summary>The base once the writes succeed: the right-side values both records then hold.</summary>
    public JObject Base { get; init; } = [];

    /// <summary>The conflict to park instead of writing anything.</summary>
    public Conflict? Park { get; init; }

    /// <summary>Why the pair cannot be planned (a mapping failed on one record); that record is dead-lettered.</summary>
    public (Record Record, string Code, string? Field, string Message)? Failure { get; init; }

    /// <summary>Whether the plan writes nothing.</summary>
    public bool WritesNothing => LeftWrite is null && RightWrite is null;

    /// <summary>The merge, when one was made.</summary>
    public MergeOutcome? Merge { get; init; }
}
