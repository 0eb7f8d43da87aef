using System.Globalization;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;

namespace Connectors.Sandbox.Shopify;

/// <summary>
/// Runs one GraphQL Admin request against the emulated store the way Shopify meters it: parse and
/// validate (free), check the requested cost against the single-query limit and the bucket (THROTTLED
/// if short), run, refund the unused cost, and report <c>extensions.cost</c> in every answer.
/// Root fields: <c>customers</c>, <c>customer(id:)</c>, <c>orders</c>, <c>order(id:)</c>, <c>products</c>,
/// <c>product(id:)</c>, <c>nodes(ids:)</c>, <c>node(id:)</c>, the counts and the bulk operation queries; the one
/// mutation is <c>bulkOperationRunQuery</c> (AdminGraphQLEndpoint.Bulk.cs). Anything else is a GraphQL error.
/// </summary>
internal sealed partial class AdminGraphQLEndpoint(ShopifySandboxOptions options, TimeProvider clock)
{
    /// <summary>The most ids an array argument takes.</summary>
    public const int MaxInputSize = 250;

    /// <summary>The highest requested cost Shopify accepts for a single query.</summary>
    public const int MaxQueryCost = 1000;

    /// <summary>How far back orders are readable without the <c>read_all_orders</c> scope.</summary>
    public static readonly TimeSpan OrderHistoryWithoutReadAllOrders = TimeSpan.FromDays(60);

    private static readonly Dictionary<string, Func<SandboxCustomer, string?>> CustomerText = new(StringComparer.Ordinal) { ["email"] = c => c.Email };
    private static readonly Dictionary<string, Func<SandboxOrder, string?>> OrderText = new(StringComparer.Ordinal)
    {
        ["email"] = o => o.Email,
        ["name"] = o => o.Name,
    };
    private static readonly Dictionary<string, Func<SandboxProduct, string?>> ProductText = new(StringComparer.Ordinal)
    {
        ["sku"] = p => p.Sku,
        ["status"] = p => p.Status,
    };

    private long _lineItemIds = 13_100_000_000_000;
    private int _orderNumbers = 1000;

    public Lock Gate { get; } = new();

    public NodeStore<SandboxCustomer> Customers { get; } = new(7_100_000_000_000);

    public NodeStore<SandboxOrder> Orders { get; } = new(5_900_000_000_000);

    public NodeStore<SandboxProduct> Products { get; } = new(8_800_000_000_000);

    public CostBucket Bucket { get; } = new(options.MaximumAvailable, options.RestoreRate, clock);

    public int Throttled { get; private set; }

    private sealed record RootPlan(string Alias, double RequestedCost, Func<(JToken Value, double ActualCost)> Run);

    /// <summary>Answers one request to API <paramref name="version"/>; returns the HTTP status and the JSON body. Callers do not hold the lock.</summary>
    public (int Status, JObject Body) Execute(string query, JObject variables, string version)
    {
        lock (Gate)
        {
            List<RootPlan> plans;
            try
            {
                var operation = GraphQLDocument.ParseOperation(query, variables);
                plans = operation.Kind == "mutation"
                    ? [.. operation.Selections.Select(s => PlanMutation(s, version))]
                    : [.. operation.Selections.Select(s => PlanRoot(s, version))];
            }
            catch (GraphQLException e)
            {
                return (200, Errors(Error(e.Message, e.Code), Cost(0, 0)));
            }

            var requested = plans.Sum(p => p.RequestedCost);
            if (requested > MaxQueryCost)
            {
                var error = Error($"Query cost is {requested}, which exceeds the single query max cost limit ({MaxQueryCost}).", "MAX_COST_EXCEEDED");
                return (200, Errors(error, Cost(requested, null)));
            }
            if (!Bucket.TryTake(requested))
            {
                Throttled++;
                var error = Error("Throttled", "THROTTLED");
                ((JObject)error["extensions"]!)["documentation"] = "https://shopify.dev/api/usage/rate-limits";
                return (options.ThrottledStatusCode, Errors(error, Cost(requested, null)));
            }

            var data = new JObject();
            var actual = 0.0;
            try
            {
                foreach (var plan in plans)
                {
                    var (value, cost) = plan.Run();
                    data[plan.Alias] = value;
                    actual += cost;
                }
            }
            catch (GraphQLException e)
            {
                // A bad nested cursor is found while running; the points taken are given back.
                Bucket.Refund(requested);
                return (200, Errors(Error(e.Message, e.Code), Cost(requested, 0)));
            }
            Bucket.Refund(requested - actual);
            return (200, new JObject { ["data"] = data, ["extensions"] = new JObject { ["cost"] = Cost(requested, actual) } });
        }
    }

    /// <summary>A new line item id, unique in the store.</summary>
    public long NextLineItemId() => ++_lineItemIds;

    /// <summary>The next order name, <c>#1001</c> onwards.</summary>
    public string NextOrderName() => "#" + (++_orderNumbers).ToString(CultureInfo.InvariantCulture);

    /// <summary>Whether the app may read <paramref name="order"/>: without <c>read_all_orders</c>, only the last 60 days.</summary>
    public bool CanRead(SandboxOrder order) =>
        options.ReadAllOrders || order.CreatedAt >= clock.GetUtcNow() - OrderHistoryWithoutReadAllOrders;

    /// <summary>The store's GraphQL shape of an order, its customer and line-item products resolved.</summary>
    public JObject OrderNode(SandboxOrder order) => order.ToGraphQL(
        id => Customers.Find(id)?.ToGraphQL(),
        id => Products.Find(id)?.ToGraphQL(options.Currency));

    private RootPlan PlanRoot(GraphQLDocument.Selection selection, string version)
    {
        if (selection is not GraphQLDocument.Field field)
        {
            throw new GraphQLException("Fragments are not supported at the root of the sandbox's queries.");
        }
        return field.Name switch
        {
            "customersCount" => PlanCount(field, Customers, _ => true, CustomerText),
            "ordersCount" => PlanCount(field, Orders, CanRead, OrderText),
            "productsCount" => PlanCount(field, Products, _ => true, ProductText),
            "node" => PlanNode(field),
            "currentBulkOperation" => PlanCurrentBulkOperation(field),
            "bulkOperation" when ApiVersionAtLeast(version, BulkOperationQueryVersion) => PlanOne(field, AdminSchema.BulkOperation),
            "customers" => PlanConnection(field, "CustomerConnection", Customers, _ => true, CustomerText, c => c.ToGraphQL()),
            "orders" => PlanConnection(field, "OrderConnection", Orders, CanRead, OrderText, OrderNode),
            "products" => PlanConnection(field, "ProductConnection", Products, _ => true, ProductText, p => p.ToGraphQL(options.Currency)),
            "customer" => PlanOne(field, "Customer"),
            "order" => PlanOne(field, "Order"),
            "product" => PlanOne(field, "Product"),
            "nodes" => PlanNodes(field),
            _ => throw new GraphQLException($"Field '{field.Name}' doesn't exist on type 'QueryRoot'", "undefinedField"),
        };
    }

    private static RootPlan PlanConnection<T>(GraphQLDocument.Field field, string connectionType, NodeStore<T> store, Func<T, bool> visible,
        IReadOnlyDictionary<string, Func<T, string?>> textFields, Func<T, JObject> toGraphQL) where T : class, IStoredNode
    {
        var first = AdminSchema.First(field);
        var after = Argument(field, "after")?.Value<string>();
        var search = SearchFilter<T>.Parse(Argument(field, "query")?.Value<string>(), textFields);
        var sortKey = Argument(field, "sortKey")?.Value<string>() ?? "ID";
        var reverse = Argument(field, "reverse")?.Value<bool>() ?? false;
        AdminSchema.Validate(connectionType, field.Selections, field.Name);
        var requested = AdminSchema.ConnectionCost + first * AdminSchema.NodeCost(connectionType, field.Selections);
        return new RootPlan(field.Alias, requested, () =>
        {
            var (page, hasNext, hasPrevious) = store.Page(visible, search, sortKey, reverse, after, first);
            var connection = AdminSchema.Connection([.. page.Select(toGraphQL)], [.. page.Select(n => NodeStore<T>.CursorOf(n, sortKey))], hasNext, hasPrevious);
            var projected = AdminSchema.Project(connectionType, connection, field.Selections);
            return (projected, AdminSchema.ActualConnectionCost(connectionType, projected, field.Selections));
        });
    }

    private RootPlan PlanOne(GraphQLDocument.Field field, string type)
    {
        var id = NodeOf(Argument(field, "id")?.Value<string>());
        AdminSchema.Validate(type, field.Selections, field.Name);
        return new RootPlan(field.Alias, 1 + AdminSchema.RequestedCost(type, field.Selections), () =>
        {
            var node = id.Type == type ? Resolve(id) : null;
            if (node is null) return (JValue.CreateNull(), 1);
            var projected = AdminSchema.Project(type, node, field.Selections);
            return (projected, 1 + AdminSchema.ActualCost(type, projected, field.Selections));
        });
    }

    private RootPlan PlanNodes(GraphQLDocument.Field field)
    {
        if (Argument(field, "ids") is not JArray ids)
        {
            throw new GraphQLException("Field 'nodes' is missing required arguments: ids", "missingRequiredArguments");
        }
        if (ids.Count > MaxInputSize)
        {
            throw new GraphQLException($"The input array size of {ids.Count} is greater than the maximum allowed of {MaxInputSize}.", "MAX_INPUT_SIZE_EXCEEDED");
        }
        var nodeIds = ids.Select(id => NodeOf(id.Value<string>())).ToList();
        AdminSchema.Validate(AdminSchema.Node, field.Selections, field.Name);
        var requested = 1 + ids.Count * (1 + AdminSchema.RequestedCost(AdminSchema.Node, field.Selections));
        return new RootPlan(field.Alias, requested, () =>
        {
            var list = new JArray();
            var actual = 1.0;
            foreach (var id in nodeIds)
            {
                if (Resolve(id) is not { } node)
                {
                    list.Add(JValue.CreateNull());
                    continue;
                }
                var projected = AdminSchema.Project(id.Type, node, field.Selections.Where(s => Applies(s, id.Type)).ToList());
                list.Add(projected);
                actual += 1 + AdminSchema.ActualCost(id.Type, projected, field.Selections);
            }
            return (list, actual);
        });
    }

    // On the Node interface only `id`, `__typename` and fragments on the node's own type apply.
    private static bool Applies(GraphQLDocument.Selection selection, string type) => selection switch
    {
        GraphQLDocument.InlineFragment fragment => fragment.TypeCondition == type,
        GraphQLDocument.Field field => field.Name is "id" or "__typename",
        _ => false,
    };

    private JObject? Resolve((string Type, long Id) node) => node.Type switch
    {
        AdminSchema.BulkOperation => FindBulkOperation(node.Id)?.ToGraphQL(clock.GetUtcNow(), Server),
        "Customer" => Customers.Find(node.Id)?.ToGraphQL(),
        "Order" => Orders.Find(node.Id) is { } order && CanRead(order) ? OrderNode(order) : null,
        "Product" => Products.Find(node.Id)?.ToGraphQL(options.Currency),
        _ => null,
    };

    /// <summary>The type and numeric id of a GID; an error for something that is not a GID.</summary>
    private static (string Type, long Id) NodeOf(string? gid)
    {
        var match = gid is null ? null : GidPattern().Match(gid);
        if (match is not { Success: true })
        {
            throw new GraphQLException($"Invalid global id '{gid}'", "argumentLiteralsIncompatible");
        }
        return (match.Groups["type"].Value, long.Parse(match.Groups["id"].Value, CultureInfo.InvariantCulture));
    }

    private static JToken? Argument(GraphQLDocument.Field field, string name) =>
        field.Arguments.TryGetValue(name, out var value) && value.Type != JTokenType.Null ? value : null;

    private JObject Cost(double requested, double? actual) => new()
    {
        ["requestedQueryCost"] = requested,
        ["actualQueryCost"] = actual is { } spent ? spent : null,
        ["throttleStatus"] = new JObject
        {
            ["maximumAvailable"] = Bucket.MaximumAvailable,
            ["currentlyAvailable"] = Bucket.Available(),
            ["restoreRate"] = Bucket.RestoreRate,
        },
    };

    private static JObject Error(string message, string? code) =>
        code is null ? new JObject { ["message"] = message } : new JObject { ["message"] = message, ["extensions"] = new JObject { ["code"] = code } };

    private static JObject Errors(JObject error, JObject cost) =>
        new() { ["errors"] = new JArray(error), ["extensions"] = new JObject { ["cost"] = cost } };

    [GeneratedRegex(@"^gid://shopify/(?<type>[A-Za-z]+)/(?<id>\d{1,19})(\?.*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex GidPattern();
}
