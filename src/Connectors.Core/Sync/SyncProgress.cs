namespace Connectors.Core.Sync;

/// <summary>How far a running sync has come; reported after every page.</summary>
/// <param name="Read">Records read so far.</param>
/// <param name="Written">Records created or updated so far.</param>
/// <param name="Unchanged">Records skipped as unchanged so far.</param>
/// <param name="Failed">Records dead-lettered so far.</param>
public sealed record SyncProgress(long Read, long Written, long Unchanged, long Failed);
