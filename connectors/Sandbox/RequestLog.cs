using System.Collections.Concurrent;

namespace Connectors.Sandbox;

/// <summary>Every request an emulator received, in arrival order. Tests assert on it the way a vendor's API dashboard would show it.</summary>
public sealed class RequestLog
{
    private readonly ConcurrentQueue<LoggedRequest> _entries = new();

    /// <summary>All requests so far.</summary>
    public IReadOnlyList<LoggedRequest> Entries => [.. _entries];

    /// <summary>How many requests match <paramref name="predicate"/>.</summary>
    public int Count(Func<LoggedRequest, bool> predicate) => _entries.Count(predicate);

    /// <summary>Forgets everything logged so far.</summary>
    public void Clear() => _entries.Clear();

    internal void Add(LoggedRequest entry) => _entries.Enqueue(entry);
}
