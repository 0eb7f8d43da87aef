namespace Connectors.Azure.State;

/// <summary>
/// The <see cref="EntityVersion"/>s this store has seen, bounded: the least recently used are
/// forgotten first, and a forgotten entity is written unconditionally, as one never read.
/// </summary>
internal sealed class VersionCache(int capacity)
{
    private readonly Dictionary<string, LinkedListNode<(string Key, EntityVersion Version)>> _index = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Key, EntityVersion Version)> _order = new();
    private readonly Lock _lock = new();

    public bool TryGet(string key, out EntityVersion version)
    {
        lock (_lock)
        {
            if (_index.TryGetValue(key, out var node))
            {
                _order.Remove(node);
                _order.AddFirst(node);
                version = node.Value.Version;
                return true;
            }
        }
        version = default;
        return false;
    }

    public void Set(string key, EntityVersion version)
    {
        if (capacity == 0) return;
        lock (_lock)
        {
            if (_index.TryGetValue(key, out var node))
            {
                _order.Remove(node);
                node.Value = (key, version);
                _order.AddFirst(node);
                return;
            }
            _index[key] = _order.AddFirst((key, version));
            if (_index.Count > capacity)
            {
                var oldest = _order.Last!;
                _order.RemoveLast();
                _index.Remove(oldest.Value.Key);
            }
        }
    }
}
