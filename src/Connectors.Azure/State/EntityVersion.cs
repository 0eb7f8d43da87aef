using Azure;

namespace Connectors.Azure.State;

/// <summary>What this store last saw of one entity, for optimistic concurrency.</summary>
internal readonly record struct EntityVersion(EntityVersionKind Kind, ETag ETag)
{
    public static EntityVersion Absent { get; } = new(EntityVersionKind.Absent, default);

    public static EntityVersion Stale { get; } = new(EntityVersionKind.Stale, default);

    public static EntityVersion Of(ETag etag) => new(EntityVersionKind.Known, etag);
}

/// <summary>The kinds of <see cref="EntityVersion"/>.</summary>
internal enum EntityVersionKind
{
    /// <summary>Read or written at this ETag: the next write must match it.</summary>
    Known,

    /// <summary>Read as missing: the next write must create it.</summary>
    Absent,

    /// <summary>Lost a race: it must be read again before it is written.</summary>
    Stale,
}
