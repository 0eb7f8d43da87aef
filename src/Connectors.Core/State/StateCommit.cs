using Connectors.Core.Sync;

namespace Connectors.Core.State;

/// <summary>
/// What one step of a run made durable, committed atomically: a crash leaves either all of it or none.
/// </summary>
/// <param name="Flow">The flow's name.</param>
/// <param name="Links">Links created or refreshed by the writes of this step.</param>
/// <param name="DeadLetters">Records this step gave up on.</param>
/// <param name="Watermark">The new watermark, when this step completes a checkpoint; <see langword="null"/> keeps the old one.</param>
public sealed record StateCommit(string Flow, IReadOnlyList<Link> Links, IReadOnlyList<DeadLetter> DeadLetters, Watermark? Watermark);
