using System.Globalization;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;

namespace Connectors.Sandbox.Shopify;

/// <summary>
/// Runs one GraphQL Admin request against the emulated store the way Shopify meters it: parse and
/// validate (free), check the requested cost against the single-query limit and the bucket (THROTTLED
/// if short), run, refund the unused cost, and report <c>extensions.cost</c> in every answer.
/// Root fields: <c>customers</c>, <c>customer(id:)</c>, <c>nodes(ids:)</c>; anything else is a GraphQL error.
/// </summary>
internal sealed partial class AdminGraphQLEndpoint(ShopifySandboxOptions options, TimeProvider clock)
{
    /// <summary>The most nodes a connection returns per page, and the most ids an array argument takes.</summary>
    public const int MaxPageSize = 250;

    /// <summary>The highest requested cost Shopify accepts for a single query.</summary>
    public const int MaxQueryCost = 1000;

    // Requested cost: a connection costs its page size plus 2 (the connection and its page info), a list of
    // nodes one per id plus 1, a single object 1. Actual cost counts what was returned instead.
    private const int ConnectionCost = 2;

    public Lock Gate { get; } = new();

    public CustomerStore Customers { get; } = new();

    public CostBucket Bucket { get; } = new(options.MaximumAvailable, options.RestoreRate, clock);

    public int Throttled { get; private set; }

    private sealed record RootPlan(string Alias, double RequestedCost, Func<(JToken Value, double ActualCost)> Run);

    /// <summary>Answers one request; returns the HTTP status and the JSON body. Callers do not hold the lock.</summary>
    public (int Status, JObject Body) Execute(string query, JObject variables)
    {
        lock (Gate)
        {
            List<RootPlan> plans;
            try
            {
                plans = [.. GraphQLDocument.Parse(query, variables).Select(PlanRoot)];
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
            foreach (var plan in plans)
            {
                var (value, cost) = plan.Run();
                data[plan.Alias] = value;
                actual += cost;
            }
            Bucket.Refund(requested - actual);
            return (200, new JObject { ["data"] = data, ["extensions"] = new JObject { ["cost"] = Cost(requested, actual) } });
        }
    }

    private RootPlan PlanRoot(GraphQLDocument.Selection selection)
    {
        if (selection is not GraphQLDocument.Field field)
        {
            throw new GraphQLException("Fragments are not supported at the root of the sandbox's queries.");
        }
        return field.Name switch
        {
            "customers" => PlanCustomers(field),
            "customer" => PlanCustomer(field),
            "nodes" => PlanNodes(field),
            _ => throw new GraphQLException($"Field '{field.Name}' doesn't exist on type 'QueryRoot'", "undefinedField"),
        };
    }

    private RootPlan PlanCustomers(GraphQLDocument.Field field)
    {
        if (Argument(field, "last") is not null || Argument(field, "before") is not null)
        {
            throw new GraphQLException("The sandbox pages forward only (first/after).");
        }
        if (Argument(field, "first") is not { Type: JTokenType.Integer } firstToken)
        {
            throw new GraphQLException("you must provide one of first or last", "BAD_REQUEST");
        }
        var first = firstToken.Value<long>();
        if (first is < 0 or > MaxPageSize)
        {
            throw new GraphQLException($"The first argument must be between 0 and {MaxPageSize}; it was {first}.", "BAD_REQUEST");
        }
        var after = Argument(field, "after")?.Value<string>();
        var search = CustomerSearch.Parse(Argument(field, "query")?.Value<string>());
        var sortKey = Argument(field, "sortKey")?.Value<string>() ?? "ID";
        var reverse = Argument(field, "reverse")?.Value<bool>() ?? false;
        AdminSchema.Validate("CustomerConnection", field.Selections, field.Name);
        return new RootPlan(field.Alias, first + ConnectionCost, () =>
        {
            var (page, hasNext, hasPrevious) = Customers.Page(search, sortKey, reverse, after, (int)first);
            // Only what the query selects is built: a page of a full read is built four thousand times.
            var selected = field.Selections.OfType<GraphQLDocument.Field>().Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
            var connection = new JObject
            {
                ["pageInfo"] = new JObject
                {
                    ["hasNextPage"] = hasNext,
                    ["hasPreviousPage"] = hasPrevious,
                    ["startCursor"] = page.Count > 0 ? CustomerStore.CursorOf(page[0], sortKey) : null,
                    ["endCursor"] = page.Count > 0 ? CustomerStore.CursorOf(page[^1], sortKey) : null,
                },
            };
            if (selected.Contains("nodes") || field.Selections.Any(s => s is not GraphQLDocument.Field))
            {
                connection["nodes"] = new JArray(page.Select(c => c.ToGraphQL()));
            }
            if (selected.Contains("edges") || field.Selections.Any(s => s is not GraphQLDocument.Field))
            {
                connection["edges"] = new JArray(page.Select(c => new JObject { ["cursor"] = CustomerStore.CursorOf(c, sortKey), ["node"] = c.ToGraphQL() }));
            }
            return (AdminSchema.Project("CustomerConnection", connection, field.Selections), page.Count + ConnectionCost);
        });
    }

    private RootPlan PlanCustomer(GraphQLDocument.Field field)
    {
        var id = CustomerIdOf(Argument(field, "id")?.Value<string>());
        AdminSchema.Validate("Customer", field.Selections, field.Name);
        return new RootPlan(field.Alias, 1, () =>
        {
            var customer = id is { } found ? Customers.Find(found) : null;
            return (customer is null ? JValue.CreateNull() : AdminSchema.Project("Customer", customer.ToGraphQL(), field.Selections), 1);
        });
    }

    private RootPlan PlanNodes(GraphQLDocument.Field field)
    {
        if (Argument(field, "ids") is not JArray ids)
        {
            throw new GraphQLException("Field 'nodes' is missing required arguments: ids", "missingRequiredArguments");
        }
        if (ids.Count > MaxPageSize)
        {
            throw new GraphQLException($"The input array size of {ids.Count} is greater than the maximum allowed of {MaxPageSize}.", "MAX_INPUT_SIZE_EXCEEDED");
        }
        var customerIds = ids.Select(id => CustomerIdOf(id.Value<string>())).ToList();
        AdminSchema.Validate(AdminSchema.Node, field.Selections, field.Name);
        return new RootPlan(field.Alias, ids.Count + 1, () =>
        {
            var found = customerIds.Select(id => id is { } known ? Customers.Find(known) : null).ToList();
            var list = new JArray(found.Select(c => c is null ? JValue.CreateNull() : (JToken)AdminSchema.Project("Customer", c.ToGraphQL(), field.Selections)));
            return (list, found.Count(c => c is not null) + 1);
        });
    }

    /// <summary>The numeric id of a Customer GID; null for a valid GID of another type; an error for something that is not a GID.</summary>
    private static long? CustomerIdOf(string? gid)
    {
        var match = gid is null ? null : GidPattern().Match(gid);
        if (match is not { Success: true })
        {
            throw new GraphQLException($"Invalid global id '{gid}'", "argumentLiteralsIncompatible");
        }
        return match.Groups["type"].Value == "Customer"
            ? long.Parse(match.Groups["id"].Value, CultureInfo.InvariantCulture)
            : null;
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
