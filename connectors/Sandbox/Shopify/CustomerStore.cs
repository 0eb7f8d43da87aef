using System.Globalization;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Connectors.Sandbox.Shopify;

/// <summary>
/// The emulated store's customers and the paging over them: filtered by <see cref="CustomerSearch"/>,
/// sorted by a sort key with ties broken by id, resumed after an opaque keyset cursor, so that a
/// customer that changes mid-read moves to the end rather than being skipped. Callers hold the sandbox lock.
/// </summary>
internal sealed class CustomerStore
{
    private readonly SortedDictionary<long, SandboxCustomer> _byId = [];

    // The UPDATED_AT order kept as customers change, so that a page costs O(log n + page) rather than a
    // sort of the whole store: a full read of a million customers is four thousand pages.
    private readonly SortedSet<(long Ticks, long Id)> _byUpdated = [];
    private long _lastId = 7_100_000_000_000;
    private long _created;

    public IEnumerable<SandboxCustomer> All => _byId.Values;

    public SandboxCustomer? Find(long id) => _byId.GetValueOrDefault(id);

    public SandboxCustomer Add(int idGap, Action<SandboxCustomer, long> fill)
    {
        _lastId += Math.Max(1, idGap);
        _created++;
        var customer = new SandboxCustomer { Id = _lastId };
        fill(customer, _created);
        _byId.Add(customer.Id, customer);
        _byUpdated.Add((customer.UpdatedAt.UtcTicks, customer.Id));
        return customer;
    }

    /// <summary>Changes a customer and keeps the UPDATED_AT order right.</summary>
    public void Change(SandboxCustomer customer, Action<SandboxCustomer> change)
    {
        _byUpdated.Remove((customer.UpdatedAt.UtcTicks, customer.Id));
        try
        {
            change(customer);
        }
        finally
        {
            _byUpdated.Add((customer.UpdatedAt.UtcTicks, customer.Id));
        }
    }

    public bool Remove(long id)
    {
        if (!_byId.Remove(id, out var customer)) return false;
        _byUpdated.Remove((customer.UpdatedAt.UtcTicks, customer.Id));
        return true;
    }

    /// <summary>One page: up to <paramref name="first"/> customers after <paramref name="after"/> in the sort order.</summary>
    public (List<SandboxCustomer> Page, bool HasNextPage, bool HasPreviousPage) Page(CustomerSearch search, string sortKey, bool reverse,
        string? after, int first)
    {
        if (sortKey == "UPDATED_AT" && !reverse)
        {
            return PageByUpdated(search, after, first);
        }
        Func<SandboxCustomer, long> key = sortKey switch
        {
            "UPDATED_AT" => c => c.UpdatedAt.UtcTicks,
            "CREATED_AT" => c => c.CreatedAt.UtcTicks,
            "ID" => c => c.Id,
            _ => throw new GraphQLException($"The sandbox does not support sortKey {sortKey}; use ID, CREATED_AT or UPDATED_AT."),
        };
        var ordered = (reverse
            ? _byId.Values.Where(search.Matches).OrderByDescending(key).ThenByDescending(c => c.Id)
            : _byId.Values.Where(search.Matches).OrderBy(key).ThenBy(c => c.Id)).ToList();
        var start = 0;
        if (after is not null)
        {
            var cursor = DecodeCursor(after);
            var sign = reverse ? -1 : 1;
            start = ordered.FindIndex(c => sign * Compare(key(c), c.Id, cursor) > 0);
            if (start < 0) start = ordered.Count;
        }
        var page = ordered.Skip(start).Take(first).ToList();
        var hasNext = start + page.Count < ordered.Count;
        var hasPrevious = start > 0;
        return (page, hasNext, hasPrevious);
    }

    private (List<SandboxCustomer> Page, bool HasNextPage, bool HasPreviousPage) PageByUpdated(CustomerSearch search, string? after, int first)
    {
        var view = _byUpdated.AsEnumerable();
        if (after is not null)
        {
            var cursor = DecodeCursor(after);
            view = cursor.Id == long.MaxValue
                ? _byUpdated.GetViewBetween((cursor.Value + 1, long.MinValue), (long.MaxValue, long.MaxValue))
                : _byUpdated.GetViewBetween((cursor.Value, cursor.Id + 1), (long.MaxValue, long.MaxValue));
        }
        var page = new List<SandboxCustomer>(first);
        var hasNext = false;
        foreach (var (_, id) in view)
        {
            var customer = _byId[id];
            if (!search.Matches(customer)) continue;
            if (page.Count == first)
            {
                hasNext = true;
                break;
            }
            page.Add(customer);
        }
        return (page, hasNext, after is not null);
    }

    /// <summary>The opaque cursor of <paramref name="customer"/> in the <paramref name="sortKey"/> order.</summary>
    public static string CursorOf(SandboxCustomer customer, string sortKey)
    {
        var value = sortKey switch
        {
            "UPDATED_AT" => customer.UpdatedAt.UtcTicks,
            "CREATED_AT" => customer.CreatedAt.UtcTicks,
            _ => customer.Id,
        };
        var json = new JObject { ["last_id"] = customer.Id, ["last_value"] = value.ToString(CultureInfo.InvariantCulture) };
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json.ToString(Formatting.None)));
    }

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
