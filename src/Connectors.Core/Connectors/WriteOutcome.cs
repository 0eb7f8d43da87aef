using Connectors.Core.Records;

namespace Connectors.Core.Connectors;

/// <summary>What became of one <see cref="WriteRequest"/>. Per-record failures are values the engine routes.</summary>
/// <param name="Source">The source record the request was mapped from.</param>
public abstract record WriteOutcome(RecordKey Source)
{
    /// <summary>The vendor stored the record.</summary>
    /// <param name="Source">The source record.</param>
    /// <param name="TargetId">The target record's id.</param>
    /// <param name="Created"><see langword="true"/> when a new record was created rather than an existing one updated.</param>
    public sealed record Written(RecordKey Source, string TargetId, bool Created) : WriteOutcome(Source);

    /// <summary>The vendor refused this record; retrying the same payload will fail the same way.</summary>
    /// <param name="Source">The source record.</param>
    /// <param name="VendorCode">The vendor's machine-readable error code, for example <c>INVALID_DATA</c>.</param>
    /// <param name="Field">The target field the vendor blamed, when it named one.</param>
    /// <param name="Message">The vendor's message.</param>
    public sealed record Rejected(RecordKey Source, string VendorCode, string? Field, string Message) : WriteOutcome(Source);

    /// <summary>The vendor could not take this record now; a later run may.</summary>
    /// <param name="Source">The source record.</param>
    /// <param name="After">How long the vendor asked us to wait.</param>
    /// <param name="Reason">Why, in the vendor's words.</param>
    public sealed record RetryLater(RecordKey Source, TimeSpan After, string Reason) : WriteOutcome(Source);

    /// <summary>
    /// The write was conditional on <see cref="WriteRequest.ExpectedVersion"/> and the target record has
    /// changed since (HTTP 412 and the like); nothing was written. The engine re-reads and decides again.
    /// </summary>
    /// <param name="Source">The source record.</param>
    /// <param name="TargetId">The target record that changed.</param>
    public sealed record Conflict(RecordKey Source, string TargetId) : WriteOutcome(Source);
}
