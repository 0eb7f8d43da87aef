using System.Net;
using Connectors.Sandbox.Shopify;
using Connectors.Testing;
using Newtonsoft.Json.Linq;

namespace Connectors.Shopify.Tests.Sandbox;

/// <summary>Orders in the emulator: nested line items cost what Shopify charges, edits and cancellations stamp updatedAt, the 60-day window holds.</summary>
public sealed class ShopifySandboxOrderTests
{
    private const string OrdersWithLines = """
        query($first: Int!, $lines: Int!, $query: String) {
          orders(first: $first, query: $query, sortKey: UPDATED_AT) {
            nodes {
              id name cancelledAt cancelReason displayFinancialStatus updatedAt
              customer { id }
              lineItems(first: $lines) { nodes { id quantity originalUnitPriceSet { shopMoney { amount currencyCode } } } pageInfo { hasNextPage endCursor } }
            }
            pageInfo { hasNextPage endCursor }
          }
        }
        """;

    [Fact]
    public async Task Orders_NestedLineItems_MultiplyTheRequestedCostAndTheActualCostCountsWhatCameBack()
    {
        await using var sandbox = await StartAsync(new WaitObservingClock());
        var customer = sandbox.Seed(1, seed: 1)[0];
        sandbox.SeedProducts(5, seed: 1);
        var product = sandbox.Products[0];
        sandbox.AddOrder(o => { o.CustomerId = customer.Id; o.LineItems = [Line(product, 2), Line(product, 1)]; });

        var (status, body) = await PostAsync(sandbox, OrdersWithLines, new JObject { ["first"] = 19, ["lines"] = 10 });

        Assert.Equal(HttpStatusCode.OK, status);
        var cost = body["extensions"]!["cost"]!;
        // Order 1 + customer 1 + lineItems (2 + 10 × (LineItem 1 + MoneyBag 1 + MoneyV2 1)) = 34 per order.
        Assert.Equal(2 + 19 * 34, cost.Value<double>("requestedQueryCost"));
        // One order came back with two lines: 2 + (1 + 1 + 2 + 2 × 3).
        Assert.Equal(2 + 10, cost.Value<double>("actualQueryCost"));
        var lines = (JArray)body["data"]!["orders"]!["nodes"]![0]!["lineItems"]!["nodes"]!;
        Assert.Equal(2, lines.Count);
        Assert.Equal(product.Price.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture),
            lines[0]!["originalUnitPriceSet"]!["shopMoney"]!.Value<string>("amount"));
    }

    [Fact]
    public async Task Orders_RequestedCostOverTheLimit_IsRefusedBeforeAnythingIsCharged()
    {
        await using var sandbox = await StartAsync(new WaitObservingClock());

        var (_, body) = await PostAsync(sandbox, OrdersWithLines, new JObject { ["first"] = 250, ["lines"] = 10 });

        Assert.Equal("MAX_COST_EXCEEDED", body["errors"]![0]!["extensions"]!.Value<string>("code"));
        Assert.Equal(2000, sandbox.CurrentlyAvailable);
    }

    [Fact]
    public async Task LineItems_PageByTheirOwnCursor()
    {
        await using var sandbox = await StartAsync(new WaitObservingClock());
        sandbox.SeedProducts(3, seed: 2);
        var product = sandbox.Products[0];
        var order = sandbox.AddOrder(o => o.LineItems = [.. Enumerable.Range(1, 7).Select(q => Line(product, q))]);
        const string Query = """
            query($id: ID!, $after: String) { order(id: $id) { lineItems(first: 3, after: $after) { nodes { quantity } pageInfo { hasNextPage endCursor } } } }
            """;

        var quantities = new List<int>();
        string? after = null;
        do
        {
            var (_, body) = await PostAsync(sandbox, Query, new JObject { ["id"] = order.Gid, ["after"] = after });
            var connection = body["data"]!["order"]!["lineItems"]!;
            quantities.AddRange(connection["nodes"]!.Select(n => n.Value<int>("quantity")));
            after = connection["pageInfo"]!.Value<bool>("hasNextPage") ? connection["pageInfo"]!.Value<string>("endCursor") : null;
        }
        while (after is not null);

        Assert.Equal([1, 2, 3, 4, 5, 6, 7], quantities);
    }

    [Fact]
    public async Task CancelOrder_StampsUpdatedAtAndMovesTheOrderToTheEndOfTheUpdatedAtOrder()
    {
        var clock = new WaitObservingClock();
        await using var sandbox = await StartAsync(clock);
        sandbox.Seed(20, seed: 3);
        sandbox.SeedProducts(10, seed: 3);
        var orders = sandbox.SeedOrders(30, seed: 3);
        var since = clock.GetUtcNow();
        clock.Advance(TimeSpan.FromMinutes(1));
        var paid = orders.First(o => o.FinancialStatus == "PAID");

        var cancelled = sandbox.CancelOrder(paid.Id, "FRAUD");
        var (_, body) = await PostAsync(sandbox, OrdersWithLines,
            new JObject { ["first"] = 10, ["lines"] = 1, ["query"] = $"updated_at:>='{since:yyyy-MM-dd'T'HH:mm:ss'Z'}'" });

        var node = Assert.Single((JArray)body["data"]!["orders"]!["nodes"]!);
        Assert.Equal(paid.Gid, node.Value<string>("id"));
        Assert.Equal("FRAUD", node.Value<string>("cancelReason"));
        Assert.Equal("REFUNDED", node.Value<string>("displayFinancialStatus"));
        Assert.Equal(cancelled.CancelledAt, DateTimeOffset.Parse(node.Value<string>("cancelledAt")!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(cancelled.UpdatedAt > paid.UpdatedAt);
    }

    [Fact]
    public async Task Orders_OlderThanSixtyDays_AreHiddenWithoutReadAllOrders()
    {
        var clock = new WaitObservingClock();
        await using var limited = await StartAsync(clock);
        await using var full = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { ReadAllOrders = true }, clock, TestContext.Current.CancellationToken);
        foreach (var sandbox in new[] { limited, full })
        {
            var product = sandbox.SeedProducts(1, seed: 5)[0];
            sandbox.AddOrder(o => o.LineItems = [Line(product, 1)]);
        }
        clock.Advance(TimeSpan.FromDays(61));

        var (_, hidden) = await PostAsync(limited, OrdersWithLines, new JObject { ["first"] = 5, ["lines"] = 1 });
        var (_, shown) = await PostAsync(full, OrdersWithLines, new JObject { ["first"] = 5, ["lines"] = 1 });

        Assert.Empty((JArray)hidden["data"]!["orders"]!["nodes"]!);
        Assert.Single((JArray)shown["data"]!["orders"]!["nodes"]!);
    }

    [Fact]
    public async Task SeedOrders_SameSeed_GivesTheSameOrdersOfTheStoresCustomersAndProducts()
    {
        await using var one = await StartAsync(new WaitObservingClock());
        await using var two = await StartAsync(new WaitObservingClock());
        foreach (var sandbox in new[] { one, two })
        {
            sandbox.Seed(50, seed: 6);
            sandbox.SeedProducts(20, seed: 6);
        }

        var a = one.SeedOrders(200, seed: 6);
        var b = two.SeedOrders(200, seed: 6);

        Assert.Equal(a.Select(o => (o.Id, o.Name, o.CustomerId, o.Total)), b.Select(o => (o.Id, o.Name, o.CustomerId, o.Total)));
        var customerIds = one.Customers.Select(c => c.Id).ToHashSet();
        Assert.All(a.Where(o => o.CustomerId is not null), o => Assert.Contains(o.CustomerId!.Value, customerIds));
        Assert.Contains(a, o => o.CustomerId is null);
        Assert.Contains(a, o => o.LineItems.Count > 10);
        Assert.Equal(200, a.Select(o => o.Name).Distinct().Count());
        Assert.All(a, o => Assert.Equal(o.Subtotal + o.TotalTax, o.Total));
    }

    private static SandboxLineItem Line(SandboxProduct product, int quantity) =>
        new() { ProductId = product.Id, Title = product.Title, Sku = product.Sku, Quantity = quantity, UnitPrice = product.Price };

    private static Task<ShopifySandbox> StartAsync(WaitObservingClock clock) =>
        ShopifySandbox.StartAsync(new ShopifySandboxOptions(), clock, TestContext.Current.CancellationToken);

    private static async Task<(HttpStatusCode Status, JObject Body)> PostAsync(ShopifySandbox sandbox, string query, JObject variables)
    {
        using var http = new HttpClient { BaseAddress = sandbox.ShopUrl };
        http.DefaultRequestHeaders.Add("X-Shopify-Access-Token", sandbox.AccessToken);
        using var content = new StringContent(new JObject { ["query"] = query, ["variables"] = variables }.ToString(), System.Text.Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("admin/api/2025-10/graphql.json", content, TestContext.Current.CancellationToken);
        return (response.StatusCode, JObject.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)));
    }
}
