using Connectors.Core.Records;

namespace Connectors.Core.Sync.TwoWay;

/// <summary>A record a two-way run passed over and says why: a duplicate, or the survivor of a deleted pair.</summary>
/// <param name="Record">The record.</param>
/// <param name="Reason">Why, in words: which record it duplicates, which counterpart is gone.</param>
public sealed record ReportedRecord(RecordKey Record, string Reason);
