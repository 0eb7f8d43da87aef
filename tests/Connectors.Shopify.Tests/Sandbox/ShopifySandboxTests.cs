using System.Net;
using System.Net.Http.Json;
using Connectors.Sandbox.Shopify;
using Connectors.Testing;
using Newtonsoft.Json.Linq;

namespace Connectors.Shopify.Tests.Sandbox;

/// <summary>The emulator answers the way Shopify's GraphQL Admin API does, so that connector tests against it mean something.</summary>
public sealed class ShopifySandboxTests
{
    private const string PageQuery = """
        query($first: Int!, $after: String, $query: String) {
          customers(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
            nodes { id updatedAt }
            pageInfo { hasNextPage endCursor }
          }
        }
        """;

    [Fact]
    public async Task Query_ReportsCostAndRefundsWhatWasNotUsed()
    {
        await using var sandbox = await StartAsync();
        sandbox.Seed(10, seed: 1);

        var (status, body) = await PostAsync(sandbox, PageQuery, new JObject { ["first"] = 250 });

        Assert.Equal(HttpStatusCode.OK, status);
        var cost = body["extensions"]!["cost"]!;
        Assert.Equal(252, cost.Value<double>("requestedQueryCost"));
        Assert.Equal(12, cost.Value<double>("actualQueryCost"));
        Assert.Equal(2000 - 12, cost["throttleStatus"]!.Value<double>("currentlyAvailable"));
        Assert.Equal(100, cost["throttleStatus"]!.Value<double>("restoreRate"));
        Assert.Equal(10, ((JArray)body["data"]!["customers"]!["nodes"]!).Count);
    }

    [Fact]
    public async Task Query_MoreThan250PerPage_IsAGraphQLError()
    {
        await using var sandbox = await StartAsync();

        var (status, body) = await PostAsync(sandbox, PageQuery, new JObject { ["first"] = 251 });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Null(body["data"]);
        Assert.Contains("250", body["errors"]![0]!.Value<string>("message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_UnknownRootFieldOrField_IsAGraphQLError()
    {
        await using var sandbox = await StartAsync();

        var (_, unknownRoot) = await PostAsync(sandbox, "{ collections(first: 5) { nodes { id } } }", []);
        var (_, unknownField) = await PostAsync(sandbox, "{ customers(first: 5) { nodes { id loyaltyTier } } }", []);

        Assert.Equal("Field 'collections' doesn't exist on type 'QueryRoot'", unknownRoot["errors"]![0]!.Value<string>("message"));
        Assert.Equal("Field 'loyaltyTier' doesn't exist on type 'Customer'", unknownField["errors"]![0]!.Value<string>("message"));
    }

    [Fact]
    public async Task Query_WithoutTheToken_Is401()
    {
        await using var sandbox = await StartAsync();
        using var http = new HttpClient { BaseAddress = sandbox.ShopUrl };

        using var response = await http.PostAsJsonAsync("admin/api/2025-10/graphql.json", new { query = "{ customers(first: 1) { nodes { id } } }" },
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Query_UpdatedAtFilterAndCursor_PageThroughChangesInOrderWithTiesBrokenById()
    {
        var clock = new WaitObservingClock();
        await using var sandbox = await ShopifySandbox.StartAsync(new ShopifySandboxOptions(), clock, TestContext.Current.CancellationToken);
        var customers = sandbox.Seed(30, seed: 4);
        clock.Advance(TimeSpan.FromHours(1));
        var since = clock.GetUtcNow();
        // Five changes in the same second, so paging must break the tie by id.
        foreach (var customer in customers.Take(5)) sandbox.UpdateCustomer(customer.Id, c => c.Note = "changed");
        var filter = $"updated_at:>='{since:yyyy-MM-dd'T'HH:mm:ss'Z'}'";

        var (_, first) = await PostAsync(sandbox, PageQuery, new JObject { ["first"] = 2, ["query"] = filter });
        var after = first["data"]!["customers"]!["pageInfo"]!.Value<string>("endCursor");
        var (_, rest) = await PostAsync(sandbox, PageQuery, new JObject { ["first"] = 10, ["after"] = after, ["query"] = filter });

        var ids = first["data"]!["customers"]!["nodes"]!.Concat(rest["data"]!["customers"]!["nodes"]!).Select(n => n.Value<string>("id")).ToList();
        Assert.Equal(customers.Take(5).Select(c => c.Gid).Order(StringComparer.Ordinal), ids);
        Assert.False(rest["data"]!["customers"]!["pageInfo"]!.Value<bool>("hasNextPage"));
    }

    [Fact]
    public async Task Query_UnquotedDate_IsRefused()
    {
        await using var sandbox = await StartAsync();

        var (_, body) = await PostAsync(sandbox, PageQuery, new JObject { ["first"] = 5, ["query"] = "updated_at:>=2026-01-01T00:00:00Z" });

        Assert.Contains("quotes", body["errors"]![0]!.Value<string>("message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Seed_SameSeed_GivesTheSameRealisticCustomersWithUniqueEmails()
    {
        await using var one = await StartAsync();
        await using var two = await StartAsync();

        var a = one.Seed(500, seed: 9);
        var b = two.Seed(500, seed: 9);

        Assert.Equal(a.Select(c => (c.Id, c.Email, c.Phone, c.UpdatedAt)), b.Select(c => (c.Id, c.Email, c.Phone, c.UpdatedAt)));
        Assert.Equal(500, a.Select(c => c.Email).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.True(a.Select(c => c.DefaultAddress?.CountryCode).OfType<string>().Distinct().Count() >= 5);
        Assert.All(a.Where(c => c.Phone is not null), c => Assert.Matches(@"^\+[1-9]\d{7,14}$", c.Phone!));
        Assert.Contains(a, c => c.Tags.Count > 0);
    }

    private static Task<ShopifySandbox> StartAsync() =>
        ShopifySandbox.StartAsync(new ShopifySandboxOptions(), new WaitObservingClock(), TestContext.Current.CancellationToken);

    private static async Task<(HttpStatusCode Status, JObject Body)> PostAsync(ShopifySandbox sandbox, string query, JObject variables)
    {
        using var http = new HttpClient { BaseAddress = sandbox.ShopUrl };
        http.DefaultRequestHeaders.Add("X-Shopify-Access-Token", sandbox.AccessToken);
        using var content = new StringContent(new JObject { ["query"] = query, ["variables"] = variables }.ToString(), System.Text.Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("admin/api/2025-10/graphql.json", content, TestContext.Current.CancellationToken);
        return (response.StatusCode, JObject.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)));
    }
}
