using Connectors.Core.Records;
using Connectors.Core.Validation;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Sync;

/// <summary>What a sync run would do with one source record, as <see cref="SyncPlan"/> foresees it.</summary>
/// <param name="Source">The source record.</param>
public abstract record PlannedRecord(RecordKey Source)
{
    /// <summary>Not linked yet: the record would be created (or, matched by the flow's match fields, would update the target record it matches).</summary>
    /// <param name="Source">The source record.</param>
    /// <param name="Payload">What would be sent.</param>
    public sealed record Create(RecordKey Source, JObject Payload) : PlannedRecord(Source);

    /// <summary>Linked and changed since it was last written (or, in an update-only flow, matched in the target): the target record would be updated.</summary>
    /// <param name="Source">The source record.</param>
    /// <param name="TargetId">The linked target record.</param>
    /// <param name="Changes">The fields whose value in the target would change, before → after; every sent field when the target was not read.</param>
    /// <param name="TargetRead">Whether the target's current version was read (the target can be read and still has the record).</param>
    /// <param name="Payload">What would be sent.</param>
    public sealed record Update(RecordKey Source, string TargetId, IReadOnlyList<FieldChange> Changes, bool TargetRead, JObject Payload) : PlannedRecord(Source);

    /// <summary>The mapped payload equals what was last written: no call would be made.</summary>
    /// <param name="Source">The source record.</param>
    /// <param name="TargetId">The linked target record.</param>
    public sealed record Unchanged(RecordKey Source, string TargetId) : PlannedRecord(Source);

    /// <summary>The record would be dead-lettered instead of sent.</summary>
    /// <param name="Source">The source record.</param>
    /// <param name="Code"><c>MAPPING_FAILED</c>, <c>VALIDATION_FAILED</c>, or <c>NO_MATCH</c> (an update-only flow finds nothing to update).</param>
    /// <param name="Field">The first field at fault.</param>
    /// <param name="Message">Every reason, as the dead letter would say it.</param>
    /// <param name="Failures">Each validation rule broken, with its value; empty for a mapping failure or no match.</param>
    public sealed record Invalid(RecordKey Source, string Code, string? Field, string Message, IReadOnlyList<ValidationFailure> Failures) : PlannedRecord(Source);
}
