using Connectors.Core.Records;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.State;

/// <summary>Which target record a source record became in one flow, and what we last wrote there.</summary>
/// <param name="Flow">The flow's name.</param>
/// <param name="SourceId">The source record's native id (in a two-way flow, the left record's).</param>
/// <param name="TargetId">The target record's native id (in a two-way flow, the right record's).</param>
/// <param name="Fingerprint">The fingerprint of the payload last written to the target (two-way: of <see cref="Base"/>).</param>
/// <param name="SyncedAt">When we last wrote it (our clock).</param>
public sealed record Link(string Flow, string SourceId, string TargetId, Fingerprint Fingerprint, DateTimeOffset SyncedAt)
{
    /// <summary>
    /// Two-way flows only: the base snapshot, the fields both sides agreed on at the last sync, in the
    /// right side's terms. A side changed a field when its value now differs from the base.
    /// <see langword="null"/> for one-way links. Treat it as read-only: it is compared, never edited.
    /// </summary>
    public JObject? Base { get; init; }

    /// <summary>
    /// Two-way flows only: one of the two records is gone. The survivor is not recreated on the other
    /// side (that would resurrect a deleted record); the link stays, marked, and is reported.
    /// </summary>
    public bool Orphaned { get; init; }

    /// <summary>Value equality, the base snapshot compared by content.</summary>
    public bool Equals(Link? other) =>
        other is not null
        && Flow == other.Flow && SourceId == other.SourceId && TargetId == other.TargetId
        && Fingerprint == other.Fingerprint && SyncedAt == other.SyncedAt && Orphaned == other.Orphaned
        && JToken.DeepEquals(Base, other.Base);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Flow, SourceId, TargetId, Fingerprint, SyncedAt, Orphaned);
}
