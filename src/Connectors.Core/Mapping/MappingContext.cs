using Connectors.Core.State;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Mapping;

/// <summary>
/// What a mapping may consult besides the record: the links of the flows its lookups read, for the ids
/// one page of records asks for. Loaded once per page with one <see cref="ISyncStateStore.GetLinksAsync"/>
/// call per looked-up flow (see <see cref="LoadAsync"/>), then shared by every record of the page.
/// </summary>
public sealed class MappingContext
{
    private readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, Link>> _links;

    /// <summary>Creates a context from links already read, keyed by flow and then by source id.</summary>
    public MappingContext(IReadOnlyDictionary<string, IReadOnlyDictionary<string, Link>> links)
    {
        ArgumentNullException.ThrowIfNull(links);
        _links = links;
    }

    /// <summary>The context of a mapping without lookups.</summary>
    public static MappingContext Empty { get; } = new(new Dictionary<string, IReadOnlyDictionary<string, Link>>());

    /// <summary>
    /// Reads the links that <paramref name="mapping"/>'s lookups need for <paramref name="sources"/>:
    /// one <see cref="ISyncStateStore.GetLinksAsync"/> call per looked-up flow, none when it has no lookups.
    /// </summary>
    public static async Task<MappingContext> LoadAsync(FieldMapping mapping, IEnumerable<JObject> sources, ISyncStateStore state,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(state);
        if (mapping.LookupFlows.Count == 0) return Empty;
        var ids = mapping.LookupIds(sources);
        var links = new Dictionary<string, IReadOnlyDictionary<string, Link>>(StringComparer.Ordinal);
        foreach (var flow in mapping.LookupFlows)
        {
            links[flow] = ids.TryGetValue(flow, out var wanted) && wanted.Count > 0
                ? await state.GetLinksAsync(flow, wanted, cancellationToken).ConfigureAwait(false)
                : new Dictionary<string, Link>();
        }
        return new MappingContext(links);
    }

    /// <summary>The target id that <paramref name="flow"/> linked to <paramref name="sourceId"/>, or <see langword="null"/> when none is.</summary>
    /// <exception cref="InvalidOperationException">The context was not loaded for <paramref name="flow"/>: a mapping with lookups was applied without its links.</exception>
    public string? FindTarget(string flow, string sourceId)
    {
        if (!_links.TryGetValue(flow, out var links))
        {
            throw new InvalidOperationException(
                $"The mapping looks up links of flow '{flow}', but its context has none; load it with {nameof(MappingContext)}.{nameof(LoadAsync)}.");
        }
        return links.TryGetValue(sourceId, out var link) ? link.TargetId : null;
    }
}
