using System.Net;
using Connectors.Sandbox.Shopify;
using Connectors.Testing;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Connectors.Shopify.Tests.Sandbox;

/// <summary>The emulator's bulk operations answer in Shopify's documented shapes, so that the connector's bulk reads mean something.</summary>
public sealed class ShopifySandboxBulkTests
{
    private const string RunMutation = """
        mutation($query: String!, $group: Boolean) {
          bulkOperationRunQuery(query: $query, groupObjects: $group) {
            bulkOperation { id status }
            userErrors { field message code }
          }
        }
        """;

    private const string StatusQuery = """
        query($id: ID!) {
          node(id: $id) { ... on BulkOperation { id status errorCode objectCount rootObjectCount url partialDataUrl completedAt } }
        }
        """;

    private const string CustomersBulkQuery = "{ customers { edges { node { id firstName defaultEmailAddress { emailAddress } } } } }";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunQuery_AnswersCreated_ThenTheOperationCompletesWithAFileOfOneLinePerCustomer()
    {
        var clock = new WaitObservingClock();
        await using var sandbox = await ShopifySandbox.StartAsync(new ShopifySandboxOptions(), clock, Token);
        var customers = sandbox.Seed(3, seed: 5);

        var (_, run) = await PostAsync(sandbox, RunMutation, new JObject { ["query"] = CustomersBulkQuery });
        var created = run["data"]!["bulkOperationRunQuery"]!;
        var id = created["bulkOperation"]!.Value<string>("id")!;
        var (_, polled) = await PostAsync(sandbox, StatusQuery, new JObject { ["id"] = id });
        var operation = polled["data"]!["node"]!;
        var lines = await DownloadLinesAsync(operation.Value<string>("url")!);

        Assert.StartsWith("gid://shopify/BulkOperation/", id, StringComparison.Ordinal);
        Assert.Equal("CREATED", created["bulkOperation"]!.Value<string>("status"));
        Assert.Empty((JArray)created["userErrors"]!);
        Assert.Equal(10, run["extensions"]!["cost"]!.Value<double>("requestedQueryCost"));
        Assert.Equal("COMPLETED", operation.Value<string>("status"));
        // UnsignedInt64 travels as a string.
        Assert.Equal(JTokenType.String, operation["objectCount"]!.Type);
        Assert.Equal("3", operation.Value<string>("objectCount"));
        Assert.Equal("3", operation.Value<string>("rootObjectCount"));
        Assert.Equal("2026-11-23T09:00:00Z", operation.Value<string>("completedAt"));
        Assert.Equal(customers.Select(c => c.Gid), lines.Select(l => l.Value<string>("id")));
        Assert.Equal(["id", "firstName", "defaultEmailAddress"], lines[0].Properties().Select(p => p.Name));
        Assert.Equal(customers[0].Email, lines[0]["defaultEmailAddress"]!.Value<string>("emailAddress"));
    }

    [Fact]
    public async Task ResultUrl_IsSignedAndNeedsNoAccessToken_AndRefusesAWrongSignature()
    {
        await using var sandbox = await ShopifySandbox.StartAsync(new ShopifySandboxOptions(), new WaitObservingClock(), Token);
        sandbox.Seed(2, seed: 5);
        var url = await RunAndPollAsync(sandbox, CustomersBulkQuery);

        using var http = new HttpClient();
        using var good = await http.GetAsync(url, Token);
        using var forged = await http.GetAsync(url[..^4] + "zzzz", Token);

        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
    }

    [Fact]
    public async Task Orders_LineItemsAreLinesOfTheirOwnWithParentId_RightAfterTheirOrderWhenGrouped()
    {
        await using var sandbox = await ShopifySandbox.StartAsync(new ShopifySandboxOptions(), new WaitObservingClock(), Token);
        sandbox.Seed(20, seed: 2);
        sandbox.SeedProducts(10, seed: 2);
        var orders = sandbox.SeedOrders(15, seed: 2);
        // A block string, as Shopify's own examples write bulk queries.
        const string mutation = """"
            mutation {
              bulkOperationRunQuery(groupObjects: true, query: """
                {
                  orders {
                    edges { node { id name lineItems { edges { node { id sku } } } } }
                  }
                }
                """) {
                bulkOperation { id }
                userErrors { message }
              }
            }
            """";

        var (_, run) = await PostAsync(sandbox, mutation, []);
        var id = run["data"]!["bulkOperationRunQuery"]!["bulkOperation"]!.Value<string>("id")!;
        var (_, polled) = await PostAsync(sandbox, StatusQuery, new JObject { ["id"] = id });
        var lines = await DownloadLinesAsync(polled["data"]!["node"]!.Value<string>("url")!);

        var expected = orders.SelectMany(o => o.LineItems.Select(l => (Order: o.Gid, Item: $"gid://shopify/LineItem/{l.Id}"))).ToList();
        Assert.Equal(orders.Count + expected.Count, lines.Count);
        Assert.Equal((orders.Count + expected.Count).ToString(), polled["data"]!["node"]!.Value<string>("objectCount"));
        Assert.Equal(orders.Count.ToString(), polled["data"]!["node"]!.Value<string>("rootObjectCount"));
        Assert.All(lines.Where(l => l["__parentId"] is null), order => Assert.Null(order["lineItems"]));
        var parent = "";
        var items = new List<(string Order, string Item)>();
        foreach (var line in lines)
        {
            if (line["__parentId"] is null)
            {
                parent = line.Value<string>("id")!;
                continue;
            }
            Assert.Equal(parent, line.Value<string>("__parentId"));
            Assert.Equal("__parentId", line.Properties().Last().Name);
            items.Add((parent, line.Value<string>("id")!));
        }
        Assert.Equal(expected, items);
    }

    [Fact]
    public async Task RunQuery_WhileOneRuns_IsRefusedBefore2026_01_AndAllowedUpToFiveFrom2026_01()
    {
        var clock = new WaitObservingClock();
        await using var sandbox = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { BulkOperationDuration = TimeSpan.FromMinutes(1) }, clock, Token);
        sandbox.Seed(5, seed: 1);

        var (_, first) = await PostAsync(sandbox, RunMutation, new JObject { ["query"] = CustomersBulkQuery });
        var (_, second) = await PostAsync(sandbox, RunMutation, new JObject { ["query"] = CustomersBulkQuery });
        var newer = new List<JObject>();
        for (var i = 0; i < 5; i++) newer.Add((await PostAsync(sandbox, RunMutation, new JObject { ["query"] = CustomersBulkQuery }, "2026-01")).Body);
        clock.Advance(TimeSpan.FromMinutes(1));
        var (_, afterwards) = await PostAsync(sandbox, RunMutation, new JObject { ["query"] = CustomersBulkQuery });

        var running = first["data"]!["bulkOperationRunQuery"]!["bulkOperation"]!.Value<string>("id");
        var refused = second["data"]!["bulkOperationRunQuery"]!;
        Assert.Equal(JTokenType.Null, refused["bulkOperation"]!.Type);
        var error = refused["userErrors"]!.Single();
        Assert.Equal($"A bulk query operation for this app and shop is already in progress: {running}.", error.Value<string>("message"));
        Assert.Equal("OPERATION_IN_PROGRESS", error.Value<string>("code"));
        Assert.Equal(JTokenType.Null, error["field"]!.Type);
        // 2026-01: the first was still running, so four more fit and the sixth is over the limit.
        Assert.All(newer.Take(4), body => Assert.Empty((JArray)body["data"]!["bulkOperationRunQuery"]!["userErrors"]!));
        Assert.Equal("LIMIT_REACHED", newer[4]["data"]!["bulkOperationRunQuery"]!["userErrors"]![0]!.Value<string>("code"));
        Assert.Empty((JArray)afterwards["data"]!["bulkOperationRunQuery"]!["userErrors"]!);
    }

    [Fact]
    public async Task RunQuery_NotABulkableQuery_IsAUserErrorOnTheQueryArgument()
    {
        await using var sandbox = await ShopifySandbox.StartAsync(new ShopifySandboxOptions(), new WaitObservingClock(), Token);

        var (_, notAConnection) = await PostAsync(sandbox, RunMutation, new JObject { ["query"] = "{ customer(id: \"gid://shopify/Customer/1\") { id } }" });
        var (_, unknownField) = await PostAsync(sandbox, RunMutation, new JObject { ["query"] = "{ customers { edges { node { id loyaltyTier } } } }" });

        foreach (var body in new[] { notAConnection, unknownField })
        {
            var error = body["data"]!["bulkOperationRunQuery"]!["userErrors"]!.Single();
            Assert.Equal("INVALID", error.Value<string>("code"));
            Assert.Equal(["query"], error["field"]!.Values<string>());
        }
        Assert.Contains("Field 'loyaltyTier' doesn't exist on type 'Customer'",
            unknownField["data"]!["bulkOperationRunQuery"]!["userErrors"]![0]!.Value<string>("message"), StringComparison.Ordinal);
        Assert.Equal(0, sandbox.BulkOperationCount);
    }

    [Fact]
    public async Task FailedOperation_RunsItsCourseThenReportsFailedWithItsErrorCodeAndNoUrl()
    {
        var clock = new WaitObservingClock();
        await using var sandbox = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { BulkOperationDuration = TimeSpan.FromSeconds(10) }, clock, Token);
        sandbox.Seed(40, seed: 1);
        sandbox.FailNextBulkOperation("TIMEOUT");

        var (_, run) = await PostAsync(sandbox, RunMutation, new JObject { ["query"] = CustomersBulkQuery });
        var id = run["data"]!["bulkOperationRunQuery"]!["bulkOperation"]!.Value<string>("id");
        clock.Advance(TimeSpan.FromSeconds(5));
        var (_, halfway) = await PostAsync(sandbox, StatusQuery, new JObject { ["id"] = id });
        clock.Advance(TimeSpan.FromSeconds(5));
        var (_, ended) = await PostAsync(sandbox, StatusQuery, new JObject { ["id"] = id });

        Assert.Equal(("RUNNING", "20"), (halfway["data"]!["node"]!.Value<string>("status"), halfway["data"]!["node"]!.Value<string>("objectCount")));
        var failed = ended["data"]!["node"]!;
        Assert.Equal(("FAILED", "TIMEOUT"), (failed.Value<string>("status"), failed.Value<string>("errorCode")));
        Assert.Equal(JTokenType.Null, failed["url"]!.Type);
        Assert.Equal(JTokenType.Null, failed["partialDataUrl"]!.Type);
    }

    [Fact]
    public async Task BulkOperationById_ExistsFrom2026_01_AndCurrentBulkOperationIsTheLatest()
    {
        await using var sandbox = await ShopifySandbox.StartAsync(new ShopifySandboxOptions(), new WaitObservingClock(), Token);
        sandbox.Seed(2, seed: 1);
        var (_, run) = await PostAsync(sandbox, RunMutation, new JObject { ["query"] = CustomersBulkQuery });
        var id = run["data"]!["bulkOperationRunQuery"]!["bulkOperation"]!.Value<string>("id");
        const string byId = "query($id: ID!) { bulkOperation(id: $id) { id status } }";

        var (_, old) = await PostAsync(sandbox, byId, new JObject { ["id"] = id });
        var (_, recent) = await PostAsync(sandbox, byId, new JObject { ["id"] = id }, "2026-01");
        var (_, current) = await PostAsync(sandbox, "{ currentBulkOperation { id status type } }", []);

        Assert.Equal("Field 'bulkOperation' doesn't exist on type 'QueryRoot'", old["errors"]![0]!.Value<string>("message"));
        Assert.Equal(("COMPLETED", id), (recent["data"]!["bulkOperation"]!.Value<string>("status"), recent["data"]!["bulkOperation"]!.Value<string>("id")));
        Assert.Equal((id, "QUERY"), (current["data"]!["currentBulkOperation"]!.Value<string>("id"), current["data"]!["currentBulkOperation"]!.Value<string>("type")));
    }

    [Fact]
    public async Task CustomersCount_StopsAtTenThousandByDefault_AndCountsAllWithANullLimit()
    {
        await using var sandbox = await ShopifySandbox.StartAsync(new ShopifySandboxOptions(), new WaitObservingClock(), Token);
        sandbox.Seed(10_001, seed: 1);

        var (_, capped) = await PostAsync(sandbox, "{ customersCount { count precision } }", []);
        var (_, exact) = await PostAsync(sandbox, "{ customersCount(limit: null) { count precision } }", []);

        Assert.Equal((10_000, "AT_LEAST"), (capped["data"]!["customersCount"]!.Value<int>("count"), capped["data"]!["customersCount"]!.Value<string>("precision")));
        Assert.Equal((10_001, "EXACT"), (exact["data"]!["customersCount"]!.Value<int>("count"), exact["data"]!["customersCount"]!.Value<string>("precision")));
    }

    private static async Task<string> RunAndPollAsync(ShopifySandbox sandbox, string query)
    {
        var (_, run) = await PostAsync(sandbox, RunMutation, new JObject { ["query"] = query });
        var id = run["data"]!["bulkOperationRunQuery"]!["bulkOperation"]!.Value<string>("id");
        var (_, polled) = await PostAsync(sandbox, StatusQuery, new JObject { ["id"] = id });
        return polled["data"]!["node"]!.Value<string>("url")!;
    }

    private static async Task<List<JObject>> DownloadLinesAsync(string url)
    {
        // No access token: the result URL is signed.
        using var http = new HttpClient();
        var text = await http.GetStringAsync(url, Token);
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(JObject.Parse)];
    }

    private static async Task<(HttpStatusCode Status, JObject Body)> PostAsync(ShopifySandbox sandbox, string query, JObject variables, string version = "2025-10")
    {
        using var http = new HttpClient { BaseAddress = sandbox.ShopUrl };
        http.DefaultRequestHeaders.Add("X-Shopify-Access-Token", sandbox.AccessToken);
        using var content = new StringContent(new JObject { ["query"] = query, ["variables"] = variables }.ToString(), System.Text.Encoding.UTF8, "application/json");
        using var response = await http.PostAsync($"admin/api/{version}/graphql.json", content, Token);
        // Stamps stay the strings the emulator sent.
        var text = await response.Content.ReadAsStringAsync(Token);
        return (response.StatusCode, JsonConvert.DeserializeObject<JObject>(text, new JsonSerializerSettings { DateParseHandling = DateParseHandling.None })!);
    }
}
