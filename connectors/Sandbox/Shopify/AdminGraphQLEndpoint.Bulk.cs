using System.Security.Cryptography;
using Newtonsoft.Json.Linq;

namespace Connectors.Sandbox.Shopify;

// Bulk query operations, the counts and node(id:) (README, "Bulk operations"): bulkOperationRunQuery plans an
// operation over the store, node(id:) / bulkOperation(id:) (2026-01 and later) / currentBulkOperation report it,
// and the result file is streamed by ShopifySandbox from the URL it reports.
internal sealed partial class AdminGraphQLEndpoint
{
    /// <summary>What a mutation requests from the cost bucket (Shopify's default mutation cost).</summary>
    public const int MutationCost = 10;

    /// <summary>What a count field returns by default before it stops counting (<c>limit</c>'s default).</summary>
    public const int DefaultCountLimit = 10_000;

    /// <summary>The first API version with <c>bulkOperation(id:)</c>, up to five concurrent bulk queries and <c>groupObjects</c> off by default.</summary>
    public const string BulkOperationQueryVersion = "2026-01";

    /// <summary>Concurrent bulk query operations per app and shop from <see cref="BulkOperationQueryVersion"/> on; one before it.</summary>
    public const int ConcurrentBulkQueries = 5;

    private readonly List<SandboxBulkOperation> _bulkOperations = [];
    private long _bulkOperationIds = 4_046_676_525_000;

    /// <summary>The sandbox server's address, which result URLs point at. Set once the server listens.</summary>
    public Uri Server { get; set; } = new("http://127.0.0.1/");

    /// <summary>The error code the next bulk operation fails with, or <see langword="null"/>.</summary>
    public string? FailNextBulkOperation { get; set; }

    /// <summary>Bulk operations created so far, oldest first.</summary>
    public IReadOnlyList<SandboxBulkOperation> BulkOperations => _bulkOperations;

    /// <summary>The operation with numeric id <paramref name="id"/>, or <see langword="null"/>.</summary>
    public SandboxBulkOperation? FindBulkOperation(long id) => _bulkOperations.Find(o => o.Id == id);

    /// <summary>Whether API <paramref name="version"/> is <paramref name="minimum"/> or later (<c>unstable</c> is the latest).</summary>
    public static bool ApiVersionAtLeast(string version, string minimum) =>
        version == "unstable" || string.CompareOrdinal(version, minimum) >= 0;

    private RootPlan PlanMutation(GraphQLDocument.Selection selection, string version)
    {
        if (selection is not GraphQLDocument.Field field)
        {
            throw new GraphQLException("Fragments are not supported at the root of the sandbox's mutations.");
        }
        if (field.Name != "bulkOperationRunQuery")
        {
            throw new GraphQLException($"Field '{field.Name}' doesn't exist on type 'Mutation'", "undefinedField");
        }
        if (Argument(field, "query") is not JValue { Type: JTokenType.String, Value: string query })
        {
            throw new GraphQLException("Field 'bulkOperationRunQuery' is missing required arguments: query", "missingRequiredArguments");
        }
        // groupObjects defaulted to true until 2026-01, to false since (changelog "Bulk operations group objects default changed to false").
        var group = Argument(field, "groupObjects")?.Value<bool>() ?? !ApiVersionAtLeast(version, BulkOperationQueryVersion);
        const string payloadType = "BulkOperationRunQueryPayload";
        AdminSchema.Validate(payloadType, field.Selections, field.Name);
        return new RootPlan(field.Alias, MutationCost, () =>
        {
            var payload = RunBulkQuery(query, group, version);
            return (AdminSchema.Project(payloadType, payload, field.Selections), MutationCost);
        });
    }

    private JObject RunBulkQuery(string query, bool group, string version)
    {
        var now = clock.GetUtcNow();
        var running = _bulkOperations.Where(o => o.InProgress(now)).ToList();
        if (!ApiVersionAtLeast(version, BulkOperationQueryVersion) && running.Count > 0)
        {
            return RunQueryRefused($"A bulk query operation for this app and shop is already in progress: {running[^1].Gid}.", "OPERATION_IN_PROGRESS", field: null);
        }
        if (running.Count >= ConcurrentBulkQueries)
        {
            return RunQueryRefused("Bulk operations limit reached. Please try again later.", "LIMIT_REACHED", field: null);
        }

        BulkQuery plan;
        try
        {
            plan = BulkQuery.Parse(query, new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["customers"] = "CustomerConnection",
                ["orders"] = "OrderConnection",
                ["products"] = "ProductConnection",
            });
        }
        catch (GraphQLException e)
        {
            return RunQueryRefused($"Invalid bulk query: {e.Message}", "INVALID", field: ["query"]);
        }

        var (ids, objects, node) = plan.Root.Name switch
        {
            "customers" => Snapshot(plan, Customers, _ => true, CustomerText, c => c.ToGraphQL()),
            "orders" => Snapshot(plan, Orders, CanRead, OrderText, OrderNode),
            _ => Snapshot(plan, Products, _ => true, ProductText, p => p.ToGraphQL(options.Currency)),
        };
        var operation = new SandboxBulkOperation
        {
            Id = ++_bulkOperationIds,
            Query = query,
            Plan = plan,
            GroupObjects = group,
            CreatedAt = now,
            FinishesAt = now + options.BulkOperationDuration,
            FailsWith = FailNextBulkOperation,
            Ids = ids,
            ObjectCount = objects,
            Signature = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            Node = node,
        };
        FailNextBulkOperation = null;
        _bulkOperations.Add(operation);
        var created = operation.ToGraphQL(now, Server);
        // The mutation answers with the operation as created, whatever its duration.
        created["status"] = "CREATED";
        created["url"] = null;
        created["completedAt"] = null;
        return new JObject { ["bulkOperation"] = created, ["userErrors"] = new JArray() };
    }

    private static JObject RunQueryRefused(string message, string code, string[]? field) => new()
    {
        ["bulkOperation"] = null,
        ["userErrors"] = new JArray(new JObject { ["field"] = field is null ? null : new JArray(field), ["message"] = message, ["code"] = code }),
    };

    // The nodes a bulk query exports are fixed when it is created: ids in id order, and how many objects the file holds.
    private (List<long> Ids, long Objects, Func<long, JObject?> Node) Snapshot<T>(BulkQuery plan, NodeStore<T> store, Func<T, bool> visible,
        IReadOnlyDictionary<string, Func<T, string?>> textFields, Func<T, JObject> toGraphQL) where T : class, IStoredNode
    {
        var search = SearchFilter<T>.Parse(Argument(plan.Root, "query")?.Value<string>(), textFields);
        var ids = new List<long>();
        long objects = 0;
        foreach (var node in store.All)
        {
            if (!visible(node) || !search.Matches(node)) continue;
            ids.Add(node.Id);
            objects++;
            if (plan.Nested.Count > 0 && node is SandboxOrder order) objects += plan.Nested.Count * order.LineItems.Count;
        }
        return (ids, objects, id => store.Find(id) is { } found && visible(found) ? toGraphQL(found) : null);
    }

    private RootPlan PlanCurrentBulkOperation(GraphQLDocument.Field field)
    {
        var type = Argument(field, "type")?.Value<string>() ?? "QUERY";
        AdminSchema.Validate(AdminSchema.BulkOperation, field.Selections, field.Name);
        return new RootPlan(field.Alias, 1 + AdminSchema.RequestedCost(AdminSchema.BulkOperation, field.Selections), () =>
        {
            // The sandbox runs bulk queries only, so the current bulk mutation is always none.
            var latest = type == "QUERY" && _bulkOperations.Count > 0 ? _bulkOperations[^1] : null;
            if (latest is null) return (JValue.CreateNull(), 1);
            return (AdminSchema.Project(AdminSchema.BulkOperation, latest.ToGraphQL(clock.GetUtcNow(), Server), field.Selections), 1);
        });
    }

    private RootPlan PlanNode(GraphQLDocument.Field field)
    {
        var id = NodeOf(Argument(field, "id")?.Value<string>());
        AdminSchema.Validate(AdminSchema.Node, field.Selections, field.Name);
        return new RootPlan(field.Alias, 1 + AdminSchema.RequestedCost(AdminSchema.Node, field.Selections), () =>
        {
            if (Resolve(id) is not { } node) return (JValue.CreateNull(), 1);
            var projected = AdminSchema.Project(id.Type, node, field.Selections.Where(s => Applies(s, id.Type)).ToList());
            return (projected, 1 + AdminSchema.ActualCost(id.Type, projected, field.Selections));
        });
    }

    // customersCount(query:, limit:): counts up to limit (10,000 by default; null for no limit) and says whether it stopped there.
    private static RootPlan PlanCount<T>(GraphQLDocument.Field field, NodeStore<T> store, Func<T, bool> visible,
        IReadOnlyDictionary<string, Func<T, string?>> textFields) where T : class, IStoredNode
    {
        var search = SearchFilter<T>.Parse(Argument(field, "query")?.Value<string>(), textFields);
        long? limit = field.Arguments.TryGetValue("limit", out var given)
            ? given.Type == JTokenType.Null ? null : given.Value<long>()
            : DefaultCountLimit;
        AdminSchema.Validate("Count", field.Selections, field.Name);
        return new RootPlan(field.Alias, 1, () =>
        {
            long count = 0;
            foreach (var node in store.All)
            {
                if (!visible(node) || !search.Matches(node)) continue;
                if (++count > limit) break;
            }
            var capped = count > limit;
            if (capped) count = limit!.Value;
            var answer = new JObject { ["count"] = count, ["precision"] = capped ? "AT_LEAST" : "EXACT" };
            return (AdminSchema.Project("Count", answer, field.Selections), 1);
        });
    }
}
