using System.Collections.Concurrent;

namespace Connectors.Sandbox;

/// <summary>Every request an emulator received, in arrival order. Tests assert on it the way a vendor's API dashboard would show it.</summary>
public sealed class RequestLog
{
    private readonly ConcurrentQueue<LoggedRequest> _entries = new();
    private readonly Lock _watchersLock = new();
    private readonly List<Action> _watchers = [];

    /// <summary>All requests so far.</summary>
    public IReadOnlyList<LoggedRequest> Entries => [.. _entries];

    /// <summary>How many requests match <paramref name="predicate"/>.</summary>
    public int Count(Func<LoggedRequest, bool> predicate) => _entries.Count(predicate);

    /// <summary>Forgets everything logged so far.</summary>
    public void Clear() => _entries.Clear();

    /// <summary>
    /// Completes once <paramref name="condition"/> holds: checked now, and again each time the emulator has
    /// answered a request (it is logged once the emulator has handled it). For conditions on what the emulator
    /// holds, which only requests change, so that a test waits on the emulator's own signal instead of polling.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
    public async Task WaitUntilAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var met = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check()
        {
            if (met.Task.IsCompleted) return;
            try
            {
                if (condition()) met.TrySetResult();
            }
            catch (Exception e)
            {
                met.TrySetException(e);
            }
        }
        // Watch before the first check, so that a request answered in between is not missed.
        lock (_watchersLock) _watchers.Add(Check);
        try
        {
            Check();
            await met.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_watchersLock) _watchers.Remove(Check);
        }
    }

    internal void Add(LoggedRequest entry)
    {
        _entries.Enqueue(entry);
        Action[] watchers;
        lock (_watchersLock) watchers = [.. _watchers];
        foreach (var watcher in watchers) watcher();
    }
}
