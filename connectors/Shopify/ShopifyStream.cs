using System.Globalization;

namespace Connectors.Shopify;

/// <summary>
/// What the connector needs to read one Shopify stream: the root connection, the GID type, and the
/// fields selected on each node. A new stream (orders) is one more instance here plus its selection.
/// </summary>
internal sealed class ShopifyStream
{
    /// <summary>What a connection costs on top of its nodes (Shopify: 2 for the connection itself).</summary>
    public const int ConnectionCost = 2;

    // Field names checked against the 2025-10 Admin schema (README, "Customer fields"). Each selected object
    // costs 1 point per node: Customer, defaultEmailAddress and defaultAddress make 3, so 250 customers
    // request 2 + 250 × 3 = 752 points, under the 1000-point single-query limit. `phone` stays the (deprecated)
    // scalar rather than defaultPhoneNumber { phoneNumber }: that object would make it 1002 and Shopify would
    // refuse a full page.
    private const string CustomerSelection = """
        id
        firstName
        lastName
        phone
        createdAt
        updatedAt
        tags
        note
        state
        defaultEmailAddress { emailAddress marketingState marketingOptInLevel marketingUpdatedAt }
        defaultAddress { address1 address2 city province provinceCode zip country countryCodeV2 company phone }
        """;

    /// <summary>Customers, changed-since via <c>updated_at</c> search and <c>sortKey: UPDATED_AT</c>.</summary>
    public static ShopifyStream Customers { get; } = new("customers", "customers", "Customer", CustomerSelection, nodeCost: 3);

    /// <summary>The streams the connector reads, by name.</summary>
    public static IReadOnlyDictionary<string, ShopifyStream> All { get; } =
        new Dictionary<string, ShopifyStream>(StringComparer.Ordinal) { [Customers.Name] = Customers };

    private ShopifyStream(string name, string rootField, string gidType, string selection, int nodeCost)
    {
        Name = name;
        RootField = rootField;
        GidType = gidType;
        NodeCost = nodeCost;
        ChangedQuery = $$"""
            query {{char.ToUpperInvariant(rootField[0])}}{{rootField[1..]}}ChangedSince($first: Int!, $after: String, $query: String) {
              {{rootField}}(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
                nodes {
            {{selection}}
                }
                pageInfo { hasNextPage endCursor }
              }
            }
            """;
        ByIdsQuery = $$"""
            query {{gidType}}sByIds($ids: [ID!]!) {
              nodes(ids: $ids) {
                ... on {{gidType}} {
            {{selection}}
                }
              }
            }
            """;
    }

    /// <summary>The stream's name in configs, for example <c>customers</c>.</summary>
    public string Name { get; }

    /// <summary>The root connection field, for example <c>customers</c>.</summary>
    public string RootField { get; }

    /// <summary>The object type in the stream's GIDs, for example <c>Customer</c>.</summary>
    public string GidType { get; }

    /// <summary>Cost points one node of the selection requests.</summary>
    public int NodeCost { get; }

    /// <summary>The changed-since page query; variables <c>first</c>, <c>after</c>, <c>query</c>.</summary>
    public string ChangedQuery { get; }

    /// <summary>The read-by-ids query; variable <c>ids</c> (GIDs).</summary>
    public string ByIdsQuery { get; }

    /// <summary>The page size to ask for: the configured one, lowered if the page would exceed the single-query cost limit.</summary>
    public int PageSizeFor(int configured) =>
        Math.Min(configured, (ShopifyConnector.MaxQueryCost - ConnectionCost) / NodeCost);

    /// <summary>The GID of a record, from its numeric id (a GID is passed through).</summary>
    public string? GidOf(string id)
    {
        if (id.StartsWith(GidPrefix, StringComparison.Ordinal)) return ulong.TryParse(id.AsSpan(GidPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out _) ? id : null;
        return ulong.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out _) ? GidPrefix + id : null;
    }

    /// <summary>The numeric id inside a GID such as <c>gid://shopify/Customer/123</c>, which is what webhooks carry.</summary>
    public static string? NumericIdOf(string gid)
    {
        var slash = gid.LastIndexOf('/');
        if (slash < 0) return null;
        var tail = gid.AsSpan(slash + 1);
        var query = tail.IndexOf('?');
        if (query >= 0) tail = tail[..query];
        return ulong.TryParse(tail, NumberStyles.None, CultureInfo.InvariantCulture, out _) ? tail.ToString() : null;
    }

    private string GidPrefix => $"gid://shopify/{GidType}/";
}
