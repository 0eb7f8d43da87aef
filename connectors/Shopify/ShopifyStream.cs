using System.Globalization;

namespace Connectors.Shopify;

/// <summary>
/// What the connector needs to read one Shopify stream: the root connection, the GID type, the fields
/// selected on each node, what one node costs, and (for orders) the nested connection whose further pages
/// are read per node. Every stream is one instance here.
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

    // One line item: LineItem 1, originalUnitPriceSet (MoneyBag) 1, its shopMoney (MoneyV2) 1, product 1 = 4 points.
    // sku, name and variantTitle are scalars of LineItem (free), so the variant object is not selected.
    private const string LineItemSelection = """
        id
        name
        title
        variantTitle
        sku
        quantity
        originalUnitPriceSet { shopMoney { amount currencyCode } }
        product { id legacyResourceId }
        """;

    private const int LineItemCost = 4;

    /// <summary>
    /// Line items read with each order. Nested connections multiply: an order costs 1 (Order) + 1 (customer)
    /// + 3 × 2 (three MoneyBags with their shopMoney) + 2 + 10 × 4 (line items) = 50 points, so a page holds
    /// (1000 − 2) / 50 = 19 orders. Most orders have fewer lines; the rest of a longer order is read with
    /// <see cref="RestQuery"/>.
    /// </summary>
    public const int LineItemsPerOrder = 10;

    private const string OrderOwnSelection = """
        id
        legacyResourceId
        name
        email
        note
        tags
        createdAt
        updatedAt
        processedAt
        closed
        closedAt
        cancelledAt
        cancelReason
        currencyCode
        displayFinancialStatus
        displayFulfillmentStatus
        customer { id legacyResourceId }
        totalPriceSet { shopMoney { amount currencyCode } }
        subtotalPriceSet { shopMoney { amount currencyCode } }
        totalTaxSet { shopMoney { amount currencyCode } }
        """;

    private const int OrderOwnCost = 1 + 1 + 3 * 2;

    // Product 1, priceRangeV2 1, minVariantPrice 1 = 3 points: 250 products request 752.
    private const string ProductSelection = """
        id
        legacyResourceId
        title
        handle
        vendor
        productType
        status
        tags
        createdAt
        updatedAt
        priceRangeV2 { minVariantPrice { amount currencyCode } }
        """;

    /// <summary>Customers, changed-since via <c>updated_at</c> search and <c>sortKey: UPDATED_AT</c>.</summary>
    public static ShopifyStream Customers { get; } = new("customers", "customers", "customer", "Customer", CustomerSelection, nodeCost: 3);

    /// <summary>Orders with their totals, customer and first line items, changed-since as customers are.</summary>
    public static ShopifyStream Orders { get; } = new("orders", "orders", "order", "Order",
        OrderOwnSelection, nodeCost: OrderOwnCost + NestedConnection.LineItems.Cost(LineItemsPerOrder), NestedConnection.LineItems);

    /// <summary>Products with their lowest variant price, changed-since as customers are.</summary>
    public static ShopifyStream Products { get; } = new("products", "products", "product", "Product", ProductSelection, nodeCost: 3);

    /// <summary>The streams the connector reads, by name.</summary>
    public static IReadOnlyDictionary<string, ShopifyStream> All { get; } =
        new Dictionary<string, ShopifyStream>(StringComparer.Ordinal) { [Customers.Name] = Customers, [Orders.Name] = Orders, [Products.Name] = Products };

    private ShopifyStream(string name, string rootField, string singleField, string gidType, string ownSelection, int nodeCost, NestedConnection? nested = null)
    {
        Name = name;
        RootField = rootField;
        GidType = gidType;
        NodeCost = nodeCost;
        Nested = nested;
        var selection = ownSelection + (nested?.Selection(LineItemsPerOrder) ?? "");
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
        // A bulk query reads every node and every item of a nested connection: no first/after, no pageInfo; nested
        // items come back as lines of their own (README, "Bulk operations").
        BulkQuery = $$"""
            {
              {{rootField}} {
                edges {
                  node {
            {{ownSelection}}
            {{nested?.BulkSelection ?? ""}}
                  }
                }
              }
            }
            """;
        CountQuery = $$"""
            query {{char.ToUpperInvariant(rootField[0])}}{{rootField[1..]}}Count {
              count: {{rootField}}Count(limit: null) { count precision }
            }
            """;
        RestQuery = nested is null ? null : $$"""
            query {{gidType}}{{char.ToUpperInvariant(nested.Field[0])}}{{nested.Field[1..]}}($id: ID!, $first: Int!, $after: String) {
              node: {{singleField}}(id: $id) {
                {{nested.Field}}(first: $first, after: $after) {
                  nodes {
            {{nested.ItemSelection}}
                  }
                  pageInfo { hasNextPage endCursor }
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

    /// <summary>Cost points one node of the selection requests, nested connections included.</summary>
    public int NodeCost { get; }

    /// <summary>The nested connection read in full for every node (line items of an order), or <see langword="null"/>.</summary>
    public NestedConnection? Nested { get; }

    /// <summary>The changed-since page query; variables <c>first</c>, <c>after</c>, <c>query</c>.</summary>
    public string ChangedQuery { get; }

    /// <summary>The read-by-ids query; variable <c>ids</c> (GIDs).</summary>
    public string ByIdsQuery { get; }

    /// <summary>
    /// The whole stream as a bulk query (the inner query of <c>bulkOperationRunQuery</c>): the same fields as
    /// <see cref="ChangedQuery"/>, nodes through <c>edges { node }</c>, a nested connection without paging.
    /// </summary>
    public string BulkQuery { get; }

    /// <summary>The exact count of the stream's records (<c>customersCount(limit: null)</c>, aliased <c>count</c>).</summary>
    public string CountQuery { get; }

    /// <summary>The query for the further pages of <see cref="Nested"/> on one node (aliased <c>node</c>); variables <c>id</c>, <c>first</c>, <c>after</c>.</summary>
    public string? RestQuery { get; }

    /// <summary>The page size to ask for: the configured one, lowered if the page would exceed the single-query cost limit.</summary>
    public int PageSizeFor(int configured) =>
        Math.Min(configured, (ShopifyConnector.MaxQueryCost - ConnectionCost) / NodeCost);

    /// <summary>Ids asked for in one <c>nodes(ids:)</c> call: at most 250, fewer when the nodes are expensive (1 + ids × node cost ≤ 1000).</summary>
    public int IdsPerRequest => Math.Min(ShopifyConnector.MaxIdsPerRequest, (ShopifyConnector.MaxQueryCost - 1) / NodeCost);

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

    /// <summary>A connection nested in every node of a stream, read to its end per node.</summary>
    internal sealed class NestedConnection
    {
        /// <summary>An order's line items.</summary>
        public static NestedConnection LineItems { get; } = new("lineItems", LineItemSelection, LineItemCost);

        private NestedConnection(string field, string itemSelection, int itemCost)
        {
            Field = field;
            ItemSelection = itemSelection;
            ItemCost = itemCost;
        }

        /// <summary>The field on the node, for example <c>lineItems</c>.</summary>
        public string Field { get; }

        /// <summary>The fields selected on each item.</summary>
        public string ItemSelection { get; }

        /// <summary>Cost points one item requests.</summary>
        public int ItemCost { get; }

        /// <summary>
        /// Items asked for per page of <see cref="ShopifyStream.RestQuery"/>: the single root object (1) plus the connection
        /// (2 + n × <see cref="ItemCost"/>) must stay within the single-query limit, and a page holds at most 250.
        /// </summary>
        public int RestPageSize => Math.Min(ShopifyConnector.MaxPageSize, (ShopifyConnector.MaxQueryCost - 1 - ConnectionCost) / ItemCost);

        /// <summary>The connection inside a node of a bulk query: every item, no paging arguments, no page info.</summary>
        public string BulkSelection => $$"""
            {{Field}} {
              edges {
                node {
            {{ItemSelection}}
                }
              }
            }
            """;

        /// <summary>What the connection costs with <paramref name="first"/> items.</summary>
        public int Cost(int first) => ConnectionCost + first * ItemCost;

        /// <summary>The connection's selection inside a node, its first <paramref name="first"/> items and its page info.</summary>
        public string Selection(int first) => $$"""
            {{Field}}(first: {{first.ToString(CultureInfo.InvariantCulture)}}) {
              nodes {
            {{ItemSelection}}
              }
              pageInfo { hasNextPage endCursor }
            }

            """;
    }
}
