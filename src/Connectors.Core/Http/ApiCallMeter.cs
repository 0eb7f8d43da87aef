using System.Collections.Concurrent;

namespace Connectors.Core.Http;

/// <summary>
/// Counts the HTTP requests each system really received, retries included, because that is what a
/// vendor bills against its API credits. One meter per process; runs read it before and after.
/// </summary>
public sealed class ApiCallMeter
{
    private readonly ConcurrentDictionary<string, long[]> _calls = new(StringComparer.Ordinal);

    /// <summary>Counts one request to <paramref name="system"/>.</summary>
    public void Count(string system) => Interlocked.Increment(ref _calls.GetOrAdd(system, static _ => new long[1])[0]);

    /// <summary>The requests made to <paramref name="system"/> so far.</summary>
    public long CallsTo(string system) => _calls.TryGetValue(system, out var count) ? Interlocked.Read(ref count[0]) : 0;
}
