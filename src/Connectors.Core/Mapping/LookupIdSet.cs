namespace Connectors.Core.Mapping;

/// <summary>The source ids a page's lookups will ask for, by the flow whose links answer them.</summary>
internal sealed class LookupIdSet
{
    private readonly Dictionary<string, HashSet<string>> _byFlow = new(StringComparer.Ordinal);

    /// <summary>The ids collected so far, by flow.</summary>
    public IReadOnlyDictionary<string, HashSet<string>> ByFlow => _byFlow;

    /// <summary>Notes that a lookup into <paramref name="flow"/> will ask for <paramref name="sourceId"/>.</summary>
    public void Add(string flow, string sourceId)
    {
        if (!_byFlow.TryGetValue(flow, out var ids))
        {
            ids = new HashSet<string>(StringComparer.Ordinal);
            _byFlow.Add(flow, ids);
        }
        ids.Add(sourceId);
    }
}
