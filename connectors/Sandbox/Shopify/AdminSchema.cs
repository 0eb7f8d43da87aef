using System.Globalization;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Connectors.Sandbox.Shopify;

/// <summary>
/// The slice of the Admin GraphQL schema (2025-10) the emulator serves: field names per type, checked
/// before a query is charged, so a misspelt or invented field fails here as it would at Shopify, and
/// answers carry exactly the selected fields. Deprecated fields Shopify still serves in 2025-10
/// (<c>email</c>, <c>phone</c>, <c>emailMarketingConsent</c>) are served too.
/// </summary>
/// <remarks>
/// Cost follows Shopify's calculated query cost: scalars and enums 0, an object 1 plus what is selected on
/// it, a connection 2 plus <c>first</c> times the cost of one node (so nested connections multiply), an
/// interface or a list of nodes the most expensive of its possible selections. The requested cost is that
/// worst case; the actual cost counts what was returned.
/// </remarks>
internal static class AdminSchema
{
    /// <summary>The Node interface <c>nodes(ids:)</c> returns.</summary>
    public const string Node = "Node";

    /// <summary>An asynchronous bulk query (a Node too).</summary>
    public const string BulkOperation = "BulkOperation";

    /// <summary>The most nodes a connection returns per page.</summary>
    public const int MaxPageSize = 250;

    /// <summary>What a connection costs on top of its nodes: the connection and its page info.</summary>
    public const int ConnectionCost = 2;

    // Field name → the object type it returns, or null for scalars and enums. Lists are told apart by the value.
    private static readonly Dictionary<string, Dictionary<string, string?>> Types = new(StringComparer.Ordinal)
    {
        ["Customer"] = Fields(
            "id legacyResourceId firstName lastName displayName email phone createdAt updatedAt note state tags verifiedEmail",
            ("defaultAddress", "MailingAddress"),
            ("defaultEmailAddress", "CustomerEmailAddress"),
            ("defaultPhoneNumber", "CustomerPhoneNumber"),
            ("emailMarketingConsent", "CustomerEmailMarketingConsentState")),
        ["MailingAddress"] = Fields("id address1 address2 city province provinceCode zip country countryCodeV2 company phone firstName lastName name"),
        ["CustomerEmailAddress"] = Fields("emailAddress marketingState marketingOptInLevel marketingUpdatedAt"),
        ["CustomerPhoneNumber"] = Fields("phoneNumber"),
        ["CustomerEmailMarketingConsentState"] = Fields("marketingState marketingOptInLevel consentUpdatedAt"),
        ["CustomerConnection"] = Fields("", ("nodes", "Customer"), ("edges", "CustomerEdge"), ("pageInfo", "PageInfo")),
        ["CustomerEdge"] = Fields("cursor", ("node", "Customer")),
        ["Order"] = Fields(
            "id legacyResourceId name email phone note tags createdAt updatedAt processedAt closed closedAt cancelledAt cancelReason "
            + "currencyCode presentmentCurrencyCode displayFinancialStatus displayFulfillmentStatus test",
            ("customer", "Customer"),
            ("totalPriceSet", "MoneyBag"),
            ("subtotalPriceSet", "MoneyBag"),
            ("totalTaxSet", "MoneyBag"),
            ("totalDiscountsSet", "MoneyBag"),
            ("lineItems", "LineItemConnection")),
        ["OrderConnection"] = Fields("", ("nodes", "Order"), ("edges", "OrderEdge"), ("pageInfo", "PageInfo")),
        ["OrderEdge"] = Fields("cursor", ("node", "Order")),
        ["LineItem"] = Fields("id name title variantTitle sku quantity currentQuantity vendor",
            ("originalUnitPriceSet", "MoneyBag"),
            ("discountedTotalSet", "MoneyBag"),
            ("product", "Product")),
        ["LineItemConnection"] = Fields("", ("nodes", "LineItem"), ("edges", "LineItemEdge"), ("pageInfo", "PageInfo")),
        ["LineItemEdge"] = Fields("cursor", ("node", "LineItem")),
        ["MoneyBag"] = Fields("", ("shopMoney", "MoneyV2"), ("presentmentMoney", "MoneyV2")),
        ["MoneyV2"] = Fields("amount currencyCode"),
        ["Product"] = Fields("id legacyResourceId title handle vendor productType status tags createdAt updatedAt",
            ("priceRangeV2", "ProductPriceRangeV2")),
        ["ProductPriceRangeV2"] = Fields("", ("minVariantPrice", "MoneyV2"), ("maxVariantPrice", "MoneyV2")),
        ["ProductConnection"] = Fields("", ("nodes", "Product"), ("edges", "ProductEdge"), ("pageInfo", "PageInfo")),
        ["ProductEdge"] = Fields("cursor", ("node", "Product")),
        ["PageInfo"] = Fields("hasNextPage hasPreviousPage startCursor endCursor"),
        ["Count"] = Fields("count precision"),
        [BulkOperation] = Fields("id status errorCode createdAt completedAt objectCount rootObjectCount fileSize url partialDataUrl query type"),
        ["BulkOperationRunQueryPayload"] = Fields("", ("bulkOperation", BulkOperation), ("userErrors", "BulkOperationUserError")),
        ["BulkOperationUserError"] = Fields("field message code"),
        [Node] = Fields("id"),
    };

    /// <summary>
    /// Checks <paramref name="selections"/> against <paramref name="type"/>; throws <see cref="GraphQLException"/> on the first problem.
    /// Connections need <c>first</c> unless <paramref name="paged"/> is false (a bulk query reads connections whole).
    /// </summary>
    public static void Validate(string type, IReadOnlyList<GraphQLDocument.Selection> selections, string owner, bool paged = true)
    {
        if (selections.Count == 0)
        {
            throw new GraphQLException($"Field must have selections (field '{owner}' returns {type} but has no selections. Did you mean '{owner} {{ ... }}'?)",
                "selectionMismatch");
        }
        var fields = Types[type];
        foreach (var selection in selections)
        {
            switch (selection)
            {
                case GraphQLDocument.InlineFragment fragment when fragment.TypeCondition == type:
                    Validate(type, fragment.Selections, owner, paged);
                    break;
                case GraphQLDocument.InlineFragment fragment when type == Node:
                    // Any Node type may be spread; types the emulator does not hold simply never match.
                    if (Types.ContainsKey(fragment.TypeCondition)) Validate(fragment.TypeCondition, fragment.Selections, owner, paged);
                    break;
                case GraphQLDocument.InlineFragment fragment:
                    throw new GraphQLException($"Fragment on {fragment.TypeCondition} can't be spread inside {type}", "fragmentSpreadTypeMismatch");
                case GraphQLDocument.Field { Name: "__typename" }:
                    break;
                case GraphQLDocument.Field field when !fields.TryGetValue(field.Name, out _):
                    throw new GraphQLException($"Field '{field.Name}' doesn't exist on type '{type}'", "undefinedField");
                case GraphQLDocument.Field field when fields[field.Name] is { } objectType:
                    if (paged && IsConnection(objectType)) First(field);
                    Validate(objectType, field.Selections, field.Name, paged);
                    break;
                case GraphQLDocument.Field { Selections.Count: > 0 } field:
                    throw new GraphQLException($"Selections can't be made on scalars (field '{field.Name}' returns a scalar but has selections)",
                        "selectionMismatch");
            }
        }
    }

    /// <summary>The worst-case cost of selecting <paramref name="selections"/> on one <paramref name="type"/> (already validated), the object itself not counted.</summary>
    public static double RequestedCost(string type, IReadOnlyList<GraphQLDocument.Selection> selections)
    {
        if (type == Node)
        {
            // An interface costs the most expensive of the selections it may resolve to.
            var best = 0.0;
            foreach (var fragment in selections.OfType<GraphQLDocument.InlineFragment>().Where(f => Types.ContainsKey(f.TypeCondition)))
            {
                best = Math.Max(best, RequestedCost(fragment.TypeCondition, fragment.Selections));
            }
            return best;
        }
        var fields = Types[type];
        var cost = 0.0;
        foreach (var selection in selections)
        {
            switch (selection)
            {
                case GraphQLDocument.InlineFragment fragment:
                    cost += RequestedCost(type, fragment.Selections);
                    break;
                case GraphQLDocument.Field field when fields.TryGetValue(field.Name, out var objectType) && objectType is not null:
                    cost += IsConnection(objectType)
                        ? ConnectionCost + First(field) * NodeCost(objectType, field.Selections)
                        : 1 + RequestedCost(objectType, field.Selections);
                    break;
            }
        }
        return cost;
    }

    /// <summary>The worst-case cost of one node of a connection: the node object plus what is selected on it (through <c>nodes</c> or <c>edges.node</c>).</summary>
    public static double NodeCost(string connectionType, IReadOnlyList<GraphQLDocument.Selection> selections)
    {
        var nodeType = Types[connectionType]["nodes"]!;
        var cost = 0.0;
        foreach (var field in selections.OfType<GraphQLDocument.Field>())
        {
            if (field.Name == "nodes") cost = Math.Max(cost, RequestedCost(nodeType, field.Selections));
            if (field.Name == "edges")
            {
                foreach (var node in field.Selections.OfType<GraphQLDocument.Field>().Where(f => f.Name == "node"))
                {
                    cost = Math.Max(cost, RequestedCost(nodeType, node.Selections));
                }
            }
        }
        return 1 + cost;
    }

    /// <summary>What an answer actually cost: the same rules, counting the nodes and objects that came back.</summary>
    public static double ActualCost(string type, JToken? value, IReadOnlyList<GraphQLDocument.Selection> selections)
    {
        if (value is not JObject answer) return 0;
        var fields = Types[type];
        var cost = 0.0;
        foreach (var field in Flatten(selections, type).Where(f => fields.ContainsKey(f.Name)))
        {
            if (fields[field.Name] is not { } objectType || answer[field.Alias] is not { } returned) continue;
            if (IsConnection(objectType))
            {
                cost += ActualConnectionCost(objectType, returned, field.Selections);
            }
            else if (returned is JArray array)
            {
                cost += array.Sum(item => item.Type == JTokenType.Null ? 0 : 1 + ActualCost(objectType, item, field.Selections));
            }
            else if (returned.Type != JTokenType.Null)
            {
                cost += 1 + ActualCost(objectType, returned, field.Selections);
            }
        }
        return cost;
    }

    /// <summary>What a returned connection actually cost: 2, plus each node that came back and what was selected on it.</summary>
    public static double ActualConnectionCost(string connectionType, JToken returned, IReadOnlyList<GraphQLDocument.Selection> selections)
    {
        var nodeType = Types[connectionType]["nodes"]!;
        var cost = (double)ConnectionCost;
        var fields = Flatten(selections, connectionType).ToList();
        if (fields.FirstOrDefault(f => f.Name == "nodes") is { } nodes && returned[nodes.Alias] is JArray items)
        {
            return cost + items.Sum(item => item.Type == JTokenType.Null ? 0 : 1 + ActualCost(nodeType, item, nodes.Selections));
        }
        if (fields.FirstOrDefault(f => f.Name == "edges") is { } edges && returned[edges.Alias] is JArray edgeItems)
        {
            var node = Flatten(edges.Selections, Types[connectionType]["edges"]!).FirstOrDefault(f => f.Name == "node");
            return cost + edgeItems.Sum(edge => 1 + (node is null ? 0 : ActualCost(nodeType, edge[node.Alias], node.Selections)));
        }
        return cost;
    }

    /// <summary>
    /// The selected fields of <paramref name="value"/>, a <paramref name="type"/> (already validated). A connection
    /// field whose value is a list (line items on an order) is paged here by its own <c>first</c>/<c>after</c>.
    /// </summary>
    public static JObject Project(string type, JObject value, IReadOnlyList<GraphQLDocument.Selection> selections)
    {
        var result = new JObject();
        var fields = Types[type];
        foreach (var selection in selections)
        {
            switch (selection)
            {
                case GraphQLDocument.InlineFragment fragment when fragment.TypeCondition == type:
                    result.Merge(Project(type, value, fragment.Selections));
                    break;
                case GraphQLDocument.Field { Name: "__typename" } field:
                    result[field.Alias] = type;
                    break;
                case GraphQLDocument.Field field when fields.TryGetValue(field.Name, out var objectType):
                    result[field.Alias] = objectType is not null && IsConnection(objectType) && value[field.Name] is JArray items
                        ? Project(objectType, Page(items, field), field.Selections)
                        : ProjectValue(objectType, value[field.Name], field.Selections);
                    break;
            }
        }
        return result;
    }

    /// <summary>A connection over nodes already in order: <c>nodes</c>, <c>edges</c> with cursors, and <c>pageInfo</c>.</summary>
    public static JObject Connection(IReadOnlyList<JObject> nodes, IReadOnlyList<string> cursors, bool hasNext, bool hasPrevious) => new()
    {
        ["nodes"] = new JArray(nodes),
        ["edges"] = new JArray(nodes.Select((node, i) => new JObject { ["cursor"] = cursors[i], ["node"] = node })),
        ["pageInfo"] = new JObject
        {
            ["hasNextPage"] = hasNext,
            ["hasPreviousPage"] = hasPrevious,
            ["startCursor"] = cursors.Count > 0 ? cursors[0] : null,
            ["endCursor"] = cursors.Count > 0 ? cursors[^1] : null,
        },
    };

    /// <summary>The <c>first</c> argument of a connection field: required, 0 to 250, as Shopify checks it.</summary>
    public static int First(GraphQLDocument.Field field)
    {
        if (field.Arguments.ContainsKey("last") && field.Arguments["last"].Type != JTokenType.Null
            || field.Arguments.ContainsKey("before") && field.Arguments["before"].Type != JTokenType.Null)
        {
            throw new GraphQLException("The sandbox pages forward only (first/after).");
        }
        if (!field.Arguments.TryGetValue("first", out var first) || first.Type != JTokenType.Integer)
        {
            throw new GraphQLException("you must provide one of first or last", "BAD_REQUEST");
        }
        var count = first.Value<long>();
        if (count is < 0 or > MaxPageSize)
        {
            throw new GraphQLException($"The first argument must be between 0 and {MaxPageSize}; it was {count}.", "BAD_REQUEST");
        }
        return (int)count;
    }

    /// <summary>Whether <paramref name="type"/> is a connection (paged list of nodes).</summary>
    public static bool IsConnection(string type) => type.EndsWith("Connection", StringComparison.Ordinal);

    /// <summary>The node type of a connection type, for example <c>Customer</c> for <c>CustomerConnection</c>.</summary>
    public static string NodeTypeOf(string connectionType) => Types[connectionType]["nodes"]!;

    /// <summary>The object type <paramref name="field"/> of <paramref name="type"/> returns, or <see langword="null"/> for a scalar or enum (or an unknown field).</summary>
    public static string? FieldType(string type, string field) => Types[type].GetValueOrDefault(field);

    // A nested connection pages by position: its cursor is the index of the last item returned.
    private static JObject Page(JArray items, GraphQLDocument.Field field)
    {
        var first = First(field);
        var start = 0;
        if (field.Arguments.TryGetValue("after", out var after) && after.Type == JTokenType.String)
        {
            start = IndexCursor((string)after!) + 1;
        }
        var page = items.Skip(start).Take(first).OfType<JObject>().ToList();
        var cursors = page.Select((_, i) => IndexCursor(start + i)).ToList();
        return Connection(page, cursors, start + page.Count < items.Count, start > 0);
    }

    private static string IndexCursor(int index) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(new JObject { ["index"] = index }.ToString(Formatting.None)));

    private static int IndexCursor(string cursor)
    {
        try
        {
            return JObject.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(cursor))).Value<int>("index");
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidCastException or ArgumentNullException)
        {
            throw new GraphQLException($"Invalid cursor '{cursor}'.");
        }
    }

    // The fields selected on a value of <type>: its own, and those of fragments on that type.
    private static IEnumerable<GraphQLDocument.Field> Flatten(IReadOnlyList<GraphQLDocument.Selection> selections, string type) =>
        selections.SelectMany(s => s switch
        {
            GraphQLDocument.Field field => [field],
            GraphQLDocument.InlineFragment fragment when fragment.TypeCondition == type => Flatten(fragment.Selections, type),
            _ => [],
        });

    private static JToken ProjectValue(string? type, JToken? value, IReadOnlyList<GraphQLDocument.Selection> selections) => value switch
    {
        null or { Type: JTokenType.Null } => JValue.CreateNull(),
        JArray list => new JArray(list.Select(item => ProjectValue(type, item, selections))),
        JObject obj when type is not null => Project(type, obj, selections),
        _ => value.DeepClone(),
    };

    private static Dictionary<string, string?> Fields(string scalars, params (string Name, string Type)[] objects)
    {
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var name in scalars.Split(' ', StringSplitOptions.RemoveEmptyEntries)) fields[name] = null;
        foreach (var (name, type) in objects) fields[name] = type;
        return fields;
    }

    /// <summary>Shopify's Decimal scalar: a string, invariant culture, two decimals for money.</summary>
    public static string Decimal(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);
}
