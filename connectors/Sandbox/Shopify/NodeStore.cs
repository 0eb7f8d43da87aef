using System.Globalization;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Connectors.Sandbox.Shopify;

/// <summary>
/// One node type of the emulated store (customers, orders, products) and the paging over it: filtered by a
/// <see cref="SearchFilter{T}"/>, sorted by a sort key with ties broken by id, resumed after an opaque keyset
/// cursor, so that a node that changes mid-read moves to the end rather than being skipped. Callers hold
/// the sandbox lock.
/// </summary>
internal sealed class NodeStore<T>(long firstId) where T : class, IStoredNode
{
    private readonly SortedDictionary<long, T> _byId = [];

    // The UPDATED_AT order kept as nodes change, so that a page costs O(log n + page) rather than a
    // sort of the whole store: a full read of a million customers is four thousand pages.
    private readonly SortedSet<(long Ticks, long Id)> _byUpdated = [];
    private long _lastId = firstId;
    private long _created;

    public IEnumerable<T> All => _byId.Values;

    public int Count => _byId.Count;

    public T? Find(long id) => _byId.GetValueOrDefault(id);

    /// <summary>Adds a node with the next id (ids grow by <paramref name="idGap"/>, as Shopify's are not consecutive).</summary>
    public T Add(int idGap, Func<long, long, T> create)
    {
        _lastId += Math.Max(1, idGap);
        _created++;
        var node = create(_lastId, _created);
        _byId.Add(node.Id, node);
        _byUpdated.Add((node.UpdatedAt.UtcTicks, node.Id));
        return node;
    }

    /// <summary>Changes a node and keeps the UPDATED_AT order right; every change of a stored node goes through here.</summary>
    public void Change(T node, Action<T> change)
    {
        _byUpdated.Remove((node.UpdatedAt.UtcTicks, node.Id));
        try
        {
            change(node);
        }
        finally
        {
            _byUpdated.Add((node.UpdatedAt.UtcTicks, node.Id));
        }
    }

    public bool Remove(long id)
    {
        if (!_byId.Remove(id, out var node)) return false;
        _byUpdated.Remove((node.UpdatedAt.UtcTicks, node.Id));
        return true;
    }

    /// <summary>One page: up to <paramref name="first"/> nodes after <paramref name="after"/> in the sort order.</summary>
    public (List<T> Page, bool HasNextPage, bool HasPreviousPage) Page(Func<T, bool> visible, SearchFilter<T> search, string sortKey,
        bool reverse, string? after, int first)
    {
        if (sortKey == "UPDATED_AT" && !reverse)
        {
            return PageByUpdated(visible, search, after, first);
        }
        var key = KeyOf(sortKey);
        var matching = _byId.Values.Where(n => visible(n) && search.Matches(n));
        var ordered = (reverse ? matching.OrderByDescending(key).ThenByDescending(n => n.Id) : matching.OrderBy(key).ThenBy(n => n.Id)).ToList();
        var start = 0;
        if (after is not null)
        {
            var cursor = DecodeCursor(after);
            var sign = reverse ? -1 : 1;
            start = ordered.FindIndex(n => sign * Compare(key(n), n.Id, cursor) > 0);
            if (start < 0) start = ordered.Count;
        }
        var page = ordered.Skip(start).Take(first).ToList();
        return (page, start + page.Count < ordered.Count, start > 0);
    }

    private (List<T> Page, bool HasNextPage, bool HasPreviousPage) PageByUpdated(Func<T, bool> visible, SearchFilter<T> search, string? after, int first)
    {
        var view = _byUpdated.AsEnumerable();
        if (after is not null)
        {
            var cursor = DecodeCursor(after);
            view = cursor.Id == long.MaxValue
                ? _byUpdated.GetViewBetween((cursor.Value + 1, long.MinValue), (long.MaxValue, long.MaxValue))
                : _byUpdated.GetViewBetween((cursor.Value, cursor.Id + 1), (long.MaxValue, long.MaxValue));
        }
        var page = new List<T>(first);
        var hasNext = false;
        foreach (var (_, id) in view)
        {
            var node = _byId[id];
            if (!visible(node) || !search.Matches(node)) continue;
            if (page.Count == first)
            {
                hasNext = true;
                break;
            }
            page.Add(node);
        }
        return (page, hasNext, after is not null);
    }

    /// <summary>The opaque cursor of <paramref name="node"/> in the <paramref name="sortKey"/> order.</summary>
    public static string CursorOf(T node, string sortKey)
    {
        var value = KeyOf(sortKey)(node);
        var json = new JObject { ["last_id"] = node.Id, ["last_value"] = value.ToString(CultureInfo.InvariantCulture) };
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json.ToString(Formatting.None)));
    }

    private static Func<T, long> KeyOf(string sortKey) => sortKey switch
    {
        "UPDATED_AT" => n => n.UpdatedAt.UtcTicks,
        "CREATED_AT" => n => n.CreatedAt.UtcTicks,
        "ID" => n => n.Id,
        _ => throw new GraphQLException($"The sandbox does not support sortKey {sortKey}; use ID, CREATED_AT or UPDATED_AT."),
    };

    private static int Compare(long value, long id, (long Value, long Id) cursor)
    {
        var byValue = value.CompareTo(cursor.Value);
        return byValue != 0 ? byValue : id.CompareTo(cursor.Id);
    }

    private static (long Value, long Id) DecodeCursor(string cursor)
    {
        try
        {
            var json = JObject.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(cursor)));
            return (long.Parse(json.Value<string>("last_value")!, CultureInfo.InvariantCulture), json.Value<long>("last_id"));
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentNullException or InvalidCastException)
        {
            throw new GraphQLException($"Invalid cursor '{cursor}'.");
        }
    }
}
