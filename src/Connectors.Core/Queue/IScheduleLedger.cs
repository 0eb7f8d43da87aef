namespace Connectors.Core.Queue;

/// <summary>
/// When each flow's timers are next due, kept durably so that a run missed while every instance was
/// down is caught up once at start (the Azure Functions timer's <c>IsPastDue</c>), not once per missed
/// occurrence and not never.
/// </summary>
public interface IScheduleLedger
{
    /// <summary>The recorded next occurrence of <paramref name="timer"/> for <paramref name="flow"/>; <see langword="null"/> when never recorded.</summary>
    Task<DateTimeOffset?> GetNextDueAsync(string flow, string timer, CancellationToken cancellationToken);

    /// <summary>Records the next occurrence of <paramref name="timer"/> for <paramref name="flow"/>.</summary>
    Task SetNextDueAsync(string flow, string timer, DateTimeOffset next, CancellationToken cancellationToken);
}
