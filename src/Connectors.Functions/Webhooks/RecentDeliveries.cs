using System.Collections.Concurrent;

namespace Connectors.Functions.Webhooks;

/// <summary>
/// The events this instance is taking in or took in lately, so that a duplicate arriving here is settled
/// by its first copy without a storage round trip: vendors often send a retry while the first delivery is
/// still being answered. Bounded: the oldest settled events are forgotten first, and the ledger still
/// knows them.
/// </summary>
internal sealed class RecentDeliveries(int capacity)
{
    private readonly ConcurrentDictionary<(string System, string Key), Task<IntakeOutcome>> _events = new();
    private readonly ConcurrentQueue<(string System, string Key)> _settled = new();

    /// <summary>
    /// Enters an event about to be taken in, settled by <paramref name="settled"/>: <see langword="null"/> when it
    /// is new here, else the settlement of its first copy.
    /// </summary>
    public Task<IntakeOutcome>? Join(string system, string key, TaskCompletionSource<IntakeOutcome> settled)
    {
        var entry = _events.GetOrAdd((system, key), settled.Task);
        return entry == settled.Task ? null : entry;
    }

    /// <summary>Keeps a taken-in event, forgetting the oldest ones beyond the capacity.</summary>
    public void Remember(string system, string key)
    {
        _settled.Enqueue((system, key));
        while (_settled.Count > capacity && _settled.TryDequeue(out var oldest)) _events.TryRemove(oldest, out _);
    }

    /// <summary>Forgets an event that was not taken in, if <paramref name="settlement"/> is still the one kept for it.</summary>
    public void Forget(string system, string key, Task<IntakeOutcome> settlement) =>
        _events.TryRemove(new KeyValuePair<(string, string), Task<IntakeOutcome>>((system, key), settlement));
}
