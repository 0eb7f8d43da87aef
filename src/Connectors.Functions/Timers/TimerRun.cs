using Connectors.Core.Sync;

namespace Connectors.Functions.Timers;

/// <summary>What a timer tick did for one flow whose timer was due.</summary>
/// <param name="Flow">The flow.</param>
/// <param name="PastDue">Whether the occurrence was missed (the app was down at the time) and this is its one catch-up run.</param>
/// <param name="Report">The run's report; <see langword="null"/> when another instance holds the flow's lease and runs it.</param>
/// <param name="Error">Why the run could not be made, when it threw.</param>
internal sealed record TimerRun(string Flow, bool PastDue, SyncReport? Report, string? Error)
{
    /// <summary>Whether the run failed (threw, or ended <see cref="Connectors.Core.State.RunStatus.Failed"/>).</summary>
    public bool Failed => Error is not null || Report?.Status == Connectors.Core.State.RunStatus.Failed;
}
