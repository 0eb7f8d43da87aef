using Connectors.Core.Conflicts;
using Connectors.Core.Sync;
using Connectors.Core.Sync.TwoWay;

namespace Connectors.Core.State;

/// <summary>
/// What a two-way flow remembers beyond a one-way one: a watermark per side, links found from either
/// end, base snapshots, and the conflict queue. A link's <see cref="Link.SourceId"/> is the left record's
/// id, its <see cref="Link.TargetId"/> the right record's.
/// </summary>
public interface ITwoWayStateStore : ISyncStateStore
{
    /// <summary>The watermark of one side of a two-way flow; <see cref="Watermark.Start"/> when that side was never read.</summary>
    Task<Watermark> GetWatermarkAsync(string flow, FlowSide side, CancellationToken cancellationToken);

    /// <summary>The links whose right record is one of <paramref name="targetIds"/>, by that id; ids with no link are absent.</summary>
    Task<IReadOnlyDictionary<string, Link>> GetLinksByTargetAsync(string flow, IReadOnlyCollection<string> targetIds, CancellationToken cancellationToken);

    /// <summary>
    /// Makes one step of a two-way run durable: links with their bases, dead letters, parked and settled
    /// conflicts, and the side watermarks, written last so that a watermark never moves past work that is
    /// not durable. A store that cannot write it all at once writes it in that order.
    /// </summary>
    /// <exception cref="StateConflictException">Another writer changed a watermark or link since this store read it; nothing of the conflicting part was written.</exception>
    Task CommitAsync(TwoWayCommit commit, CancellationToken cancellationToken);

    /// <summary>The conflicts waiting (decided or not) in one flow, or in all flows, oldest first.</summary>
    Task<IReadOnlyList<Conflict>> GetConflictsAsync(string? flow, CancellationToken cancellationToken);

    /// <summary>One conflict, or <see langword="null"/> when the flow has none of that id (never parked, or settled).</summary>
    Task<Conflict?> GetConflictAsync(string flow, string id, CancellationToken cancellationToken);

    /// <summary>
    /// Records the decision on a waiting conflict; the flow's next run applies it. A later decision
    /// replaces an earlier one that was not applied yet.
    /// </summary>
    /// <returns><see langword="false"/> when the flow has no waiting conflict of that id.</returns>
    Task<bool> ResolveConflictAsync(string flow, string id, ConflictDecision decision, CancellationToken cancellationToken);
}
