using Connectors.Core.Conflicts;
using Connectors.Core.Sync;

namespace Connectors.Core.State;

/// <summary>
/// What one step of a two-way run made durable, committed atomically (as far as the store can; see
/// <see cref="ITwoWayStateStore.CommitAsync(TwoWayCommit, CancellationToken)"/>).
/// </summary>
/// <param name="Flow">The flow's name.</param>
/// <param name="Links">Links created or refreshed, each with its base snapshot; keyed by the left record's id.</param>
/// <param name="DeadLetters">Records this step gave up on.</param>
/// <param name="LeftWatermark">The left side's new watermark, or <see langword="null"/> to keep it.</param>
/// <param name="RightWatermark">The right side's new watermark, or <see langword="null"/> to keep it.</param>
/// <param name="Parked">Conflicts parked (or parked again with fresh values; the same id replaces the earlier one).</param>
/// <param name="Settled">Ids of conflicts that no longer wait: decided and applied, or gone away by themselves.</param>
public sealed record TwoWayCommit(string Flow, IReadOnlyList<Link> Links, IReadOnlyList<DeadLetter> DeadLetters,
    Watermark? LeftWatermark, Watermark? RightWatermark, IReadOnlyList<Conflict> Parked, IReadOnlyList<string> Settled);
