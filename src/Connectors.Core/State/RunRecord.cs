namespace Connectors.Core.State;

/// <summary>The history entry of one finished run of a flow.</summary>
/// <param name="RunId">A unique id for the run.</param>
/// <param name="Flow">The flow's name.</param>
/// <param name="Kind">What kind of run: <c>sync</c>, <c>reconcile</c>, <c>replay</c>.</param>
/// <param name="StartedAt">When the run started (our clock).</param>
/// <param name="Duration">How long it took.</param>
/// <param name="Status">How it ended.</param>
/// <param name="Counts">The numbers the run reports, by name (read, created, updated, unchanged, failed, apiCalls, …).</param>
/// <param name="Message">Why it stopped, when it did not complete.</param>
public sealed record RunRecord(string RunId, string Flow, string Kind, DateTimeOffset StartedAt, TimeSpan Duration,
    RunStatus Status, IReadOnlyDictionary<string, long> Counts, string? Message);
