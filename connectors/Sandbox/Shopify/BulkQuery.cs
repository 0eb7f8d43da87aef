namespace Connectors.Sandbox.Shopify;

/// <summary>
/// The inner query of <c>bulkOperationRunQuery</c>, checked the way Shopify's bulk operations guide describes:
/// one top-level field, which must be a connection (here <c>customers</c>, <c>orders</c> or <c>products</c>), its
/// nodes selected through <c>edges { node { … } }</c> or <c>nodes { … }</c>; connections nested in a node (an
/// order's <c>lineItems</c>) are read whole and written as lines of their own with <c>__parentId</c>; at most five
/// connections and two levels. Pagination arguments are not needed: a bulk query reads every node.
/// </summary>
internal sealed class BulkQuery
{
    /// <summary>The most connections one bulk query may select.</summary>
    public const int MaxConnections = 5;

    private BulkQuery(GraphQLDocument.Field root, string connectionType, IReadOnlyList<GraphQLDocument.Selection> nodeSelections,
        IReadOnlyList<NestedConnection> nested)
    {
        Root = root;
        ConnectionType = connectionType;
        NodeSelections = nodeSelections;
        Nested = nested;
    }

    /// <summary>A connection selected on each root node, whose items become lines of their own.</summary>
    /// <param name="Field">The field on the root node, for example <c>lineItems</c>.</param>
    /// <param name="ItemType">The type of its items, for example <c>LineItem</c>.</param>
    /// <param name="ItemSelections">The fields selected on each item.</param>
    internal sealed record NestedConnection(string Field, string ItemType, IReadOnlyList<GraphQLDocument.Selection> ItemSelections);

    /// <summary>The top-level connection field with its arguments (<c>query</c>, <c>sortKey</c>, …).</summary>
    public GraphQLDocument.Field Root { get; }

    /// <summary>The root connection's type, for example <c>CustomerConnection</c>.</summary>
    public string ConnectionType { get; }

    /// <summary>The root nodes' type, for example <c>Customer</c>.</summary>
    public string NodeType => AdminSchema.NodeTypeOf(ConnectionType);

    /// <summary>The fields selected on each root node; nested connections among them are skipped on the node's own line.</summary>
    public IReadOnlyList<GraphQLDocument.Selection> NodeSelections { get; }

    /// <summary>The connections selected on each root node.</summary>
    public IReadOnlyList<NestedConnection> Nested { get; }

    /// <summary>Parses and checks <paramref name="text"/>; throws <see cref="GraphQLException"/> saying what is wrong.</summary>
    /// <param name="text">The bulk query.</param>
    /// <param name="connectionTypes">The root fields the store serves in bulk, with their connection types.</param>
    public static BulkQuery Parse(string text, IReadOnlyDictionary<string, string> connectionTypes)
    {
        var selections = GraphQLDocument.Parse(text, variables: null);
        if (selections is not [GraphQLDocument.Field root])
        {
            throw new GraphQLException("Bulk queries must select exactly one top-level field.");
        }
        if (!connectionTypes.TryGetValue(root.Name, out var connectionType))
        {
            throw new GraphQLException($"Bulk queries must contain at least one connection; the sandbox bulk-queries {string.Join(", ", connectionTypes.Keys)}, not '{root.Name}'.");
        }
        AdminSchema.Validate(connectionType, root.Selections, root.Name, paged: false);
        var nodeSelections = NodeSelectionsOf(root.Selections)
            ?? throw new GraphQLException($"Select the nodes of '{root.Name}' through edges {{ node {{ … }} }} or nodes {{ … }}.");
        var nodeType = AdminSchema.NodeTypeOf(connectionType);
        var nested = new List<NestedConnection>();
        foreach (var field in nodeSelections.OfType<GraphQLDocument.Field>())
        {
            if (AdminSchema.FieldType(nodeType, field.Name) is not { } type || !AdminSchema.IsConnection(type)) continue;
            var items = NodeSelectionsOf(field.Selections)
                ?? throw new GraphQLException($"Select the nodes of '{field.Name}' through edges {{ node {{ … }} }} or nodes {{ … }}.");
            var itemType = AdminSchema.NodeTypeOf(type);
            if (items.OfType<GraphQLDocument.Field>().Any(f => AdminSchema.FieldType(itemType, f.Name) is { } t && AdminSchema.IsConnection(t)))
            {
                throw new GraphQLException("Bulk queries support a maximum nesting depth of two levels of connections.");
            }
            nested.Add(new NestedConnection(field.Name, itemType, items));
        }
        if (1 + nested.Count > MaxConnections)
        {
            throw new GraphQLException($"Bulk queries support at most {MaxConnections} connections.");
        }
        return new BulkQuery(root, connectionType, nodeSelections, nested);
    }

    private static IReadOnlyList<GraphQLDocument.Selection>? NodeSelectionsOf(IReadOnlyList<GraphQLDocument.Selection> connection)
    {
        foreach (var field in connection.OfType<GraphQLDocument.Field>())
        {
            if (field.Name == "nodes") return field.Selections;
            if (field.Name == "edges" && field.Selections.OfType<GraphQLDocument.Field>().FirstOrDefault(f => f.Name == "node") is { } node) return node.Selections;
        }
        return null;
    }
}
