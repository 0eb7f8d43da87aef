namespace Connectors.Core.Conflicts;

/// <summary>The decision on a parked conflict; the next run of the flow applies it.</summary>
/// <param name="Take">Which values win.</param>
/// <param name="DecidedAt">When it was decided (our clock).</param>
public sealed record ConflictDecision(ConflictTake Take, DateTimeOffset DecidedAt);
