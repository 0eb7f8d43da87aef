using Connectors.Core.Records;

namespace Connectors.Core.State;

/// <summary>Which target record a source record became in one flow, and what we last wrote there.</summary>
/// <param name="Flow">The flow's name.</param>
/// <param name="SourceId">The source record's native id.</param>
/// <param name="TargetId">The target record's native id.</param>
/// <param name="Fingerprint">The fingerprint of the payload last written to the target.</param>
/// <param name="SyncedAt">When we last wrote it (our clock).</param>
public sealed record Link(string Flow, string SourceId, string TargetId, Fingerprint Fingerprint, DateTimeOffset SyncedAt);
