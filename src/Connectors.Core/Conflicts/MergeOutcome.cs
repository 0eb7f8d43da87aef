using Newtonsoft.Json.Linq;

namespace Connectors.Core.Conflicts;

/// <summary>The result of a three-way merge of one record.</summary>
/// <param name="Merged">The agreed values of every compared field, in the right side's terms (absent: no value).</param>
/// <param name="Fields">What happened to each field, in the order compared.</param>
public sealed record MergeOutcome(JObject Merged, IReadOnlyList<FieldMerge> Fields)
{
    /// <summary>Whether a field waits for a person (<see cref="MergeReason.Undecided"/>): then nothing of the record may be written.</summary>
    public bool MustPark => Fields.Any(f => f.Reason == MergeReason.Undecided);

    /// <summary>Whether any field was changed by either side.</summary>
    public bool AnyChange => Fields.Any(f => f.LeftChanged || f.RightChanged);

    /// <summary>The fields as the conflict queue keeps them: the ones either side changed.</summary>
    public IReadOnlyList<ConflictField> ToConflictFields() =>
        [.. Fields.Where(f => f.LeftChanged || f.RightChanged)
            .Select(f => new ConflictField(f.Field, FieldValues.Snapshot(f.Base), FieldValues.Snapshot(f.Left), FieldValues.Snapshot(f.Right),
                f.Reason == MergeReason.Undecided))];
}
