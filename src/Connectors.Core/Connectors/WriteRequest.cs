using Connectors.Core.Records;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Connectors;

/// <summary>One record to create or update in a target stream.</summary>
/// <param name="Source">The source record this payload was mapped from; outcomes are keyed by it.</param>
/// <param name="TargetId">The linked target record's id, or <see langword="null"/> when none is linked yet.</param>
/// <param name="Payload">The mapped fields, in the target's own field names.</param>
/// <param name="MatchFields">
/// Target fields that identify the record when <paramref name="TargetId"/> is unknown, in order of
/// precedence. Connectors pass them to the vendor's upsert so that a retried create never duplicates.
/// </param>
/// <param name="ExpectedVersion">
/// The target record's version as last read (an ETag, a modification stamp), when the write must not
/// overwrite a change made since; the connector makes the write conditional on it and answers
/// <see cref="WriteOutcome.Conflict"/> when the record moved on. <see langword="null"/> writes unconditionally.
/// </param>
public sealed record WriteRequest(RecordKey Source, string? TargetId, JObject Payload, IReadOnlyList<string> MatchFields,
    string? ExpectedVersion = null);
