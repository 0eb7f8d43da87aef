using System.Globalization;
using Connectors.Core.Sync;
using Connectors.Sandbox.Shopify;
using Newtonsoft.Json.Linq;

namespace Connectors.Shopify.Tests;

/// <summary>The orders and products streams: pages sized by the nested line-item cost, long orders read to the end, edits and cancellations followed.</summary>
public sealed class ShopifyOrdersTests
{
    [Fact]
    public async Task ReadChanged_Orders_NineteenAPageWithEveryLineCustomerAndTotal()
    {
        await using var harness = await ShopifyHarness.StartAsync(sandboxOptions: new ShopifySandboxOptions { MaximumAvailable = 100_000 });
        harness.Sandbox.Seed(40, seed: 1);
        harness.Sandbox.SeedProducts(25, seed: 1);
        var seeded = harness.Sandbox.SeedOrders(95, seed: 1);
        var longOrders = seeded.Count(o => o.LineItems.Count > ShopifyStream.LineItemsPerOrder);

        var pages = await harness.ReadPagesAsync(Watermark.Start, "orders");

        var records = pages.SelectMany(p => p.Records).ToList();
        Assert.Equal(95, records.Count);
        Assert.All(pages.SkipLast(1), p => Assert.Equal(19, p.Records.Count));
        // Five pages of orders, and one more query for the rest of the lines of each long order.
        Assert.Equal(5 + longOrders, harness.GraphQLRequests);
        Assert.Equal(0, harness.Sandbox.ThrottledCount);
        foreach (var record in records)
        {
            var order = seeded.Single(o => o.Id.ToString(CultureInfo.InvariantCulture) == record.Key.Id);
            Assert.Equal("shop.orders", record.Key.Stream);
            Assert.Equal(order.UpdatedAt, record.Modified);
            var lines = (JArray)record.Data["lineItems"]!["nodes"]!;
            Assert.Equal(order.LineItems.Select(l => (l.Sku, l.Quantity)), lines.Select(l => (l.Value<string>("sku"), l.Value<int>("quantity"))));
            Assert.False(record.Data["lineItems"]!["pageInfo"]!.Value<bool>("hasNextPage"));
            Assert.Equal(order.CustomerId?.ToString(CultureInfo.InvariantCulture), record.Data["customer"]?.Type == JTokenType.Null ? null : record.Data["customer"]!.Value<string>("legacyResourceId"));
            Assert.Equal(order.Total.ToString("0.00", CultureInfo.InvariantCulture), record.Data["totalPriceSet"]!["shopMoney"]!.Value<string>("amount"));
            Assert.Equal("USD", record.Data.Value<string>("currencyCode"));
        }
    }

    [Fact]
    public async Task ReadChanged_OrderWithThirtyLines_ReadsTheRestInOneMoreQueryWithinTheCostLimit()
    {
        await using var harness = await ShopifyHarness.StartAsync();
        var product = harness.Sandbox.SeedProducts(1, seed: 2)[0];
        var order = harness.Sandbox.AddOrder(o => o.LineItems = [.. Enumerable.Range(1, 30).Select(q => Line(product, q))]);

        var record = Assert.Single((await harness.ReadPagesAsync(Watermark.Start, "orders")).SelectMany(p => p.Records));

        Assert.Equal(Enumerable.Range(1, 30), record.Data["lineItems"]!["nodes"]!.Select(l => l.Value<int>("quantity")));
        Assert.Equal(2, harness.GraphQLRequests);
        var rest = harness.Sandbox.RequestLog.Entries[^1];
        Assert.Contains("lineItems(first: $first, after: $after)", JObject.Parse(rest.Body).Value<string>("query"), StringComparison.Ordinal);
        Assert.Equal(order.Gid, JObject.Parse(rest.Body)["variables"]!.Value<string>("id"));
    }

    [Fact]
    public async Task ReadChanged_AfterAnEditAndACancellation_ReturnsBothOrdersWithTheirNewState()
    {
        await using var harness = await ShopifyHarness.StartAsync(sandboxOptions: new ShopifySandboxOptions { MaximumAvailable = 100_000 });
        harness.Sandbox.Seed(10, seed: 3);
        harness.Sandbox.SeedProducts(5, seed: 3);
        var orders = harness.Sandbox.SeedOrders(30, seed: 3);
        var watermark = (await harness.ReadPagesAsync(Watermark.Start, "orders"))[^1].Checkpoint!;
        harness.Clock.Advance(TimeSpan.FromMinutes(10));
        var edited = orders[4];
        var cancelled = orders[7];

        harness.Sandbox.UpdateOrder(edited.Id, o => o.LineItems[0].Quantity += 5);
        harness.Sandbox.CancelOrder(cancelled.Id, "CUSTOMER");
        var changed = (await harness.ReadPagesAsync(watermark, "orders")).SelectMany(p => p.Records).ToList();

        var editedRecord = Assert.Single(changed, r => r.Key.Id == edited.Id.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(edited.LineItems[0].Quantity + 5, editedRecord.Data["lineItems"]!["nodes"]![0]!.Value<int>("quantity"));
        var cancelledRecord = Assert.Single(changed, r => r.Key.Id == cancelled.Id.ToString(CultureInfo.InvariantCulture));
        Assert.Equal("CUSTOMER", cancelledRecord.Data.Value<string>("cancelReason"));
        Assert.NotNull(cancelledRecord.Data.Value<string>("cancelledAt"));
        Assert.True(cancelledRecord.Data.Value<bool>("closed"));
        Assert.All(changed.Where(r => r.Key.Id != edited.Id.ToString(CultureInfo.InvariantCulture) && r.Key.Id != cancelled.Id.ToString(CultureInfo.InvariantCulture)),
            r => Assert.Equal(watermark.Modified, r.Modified));
    }

    [Fact]
    public async Task ReadByIds_FortyOrders_NineteenIdsACall()
    {
        await using var harness = await ShopifyHarness.StartAsync(sandboxOptions: new ShopifySandboxOptions { MaximumAvailable = 100_000 });
        harness.Sandbox.Seed(10, seed: 4);
        harness.Sandbox.SeedProducts(5, seed: 4);
        var orders = harness.Sandbox.SeedOrders(40, seed: 4).Where(o => o.LineItems.Count <= ShopifyStream.LineItemsPerOrder).ToList();

        var records = await harness.DriveAsync(harness.Connector.ReadByIdsAsync("orders",
            [.. orders.Select(o => o.Id.ToString(CultureInfo.InvariantCulture)), "123", "gid://shopify/Customer/1"], TestContext.Current.CancellationToken));

        Assert.Equal(orders.Select(o => o.Id.ToString(CultureInfo.InvariantCulture)).Order(), records.Select(r => r.Key.Id).Order());
        Assert.Equal((orders.Count + 1 + 18) / 19, harness.GraphQLRequests);
    }

    [Fact]
    public async Task ReadChanged_Products_TwoHundredFiftyAPageWithTheirPrice()
    {
        await using var harness = await ShopifyHarness.StartAsync(sandboxOptions: new ShopifySandboxOptions { MaximumAvailable = 100_000 });
        var products = harness.Sandbox.SeedProducts(300, seed: 5);

        var pages = await harness.ReadPagesAsync(Watermark.Start, "products");

        Assert.Equal([250, 50], pages.Select(p => p.Records.Count));
        var first = pages[0].Records.First();
        var product = products.Single(p => p.Id.ToString(CultureInfo.InvariantCulture) == first.Key.Id);
        Assert.Equal(product.Title, first.Data.Value<string>("title"));
        Assert.Equal(product.Price.ToString("0.00", CultureInfo.InvariantCulture), first.Data["priceRangeV2"]!["minVariantPrice"]!.Value<string>("amount"));
    }

    private static SandboxLineItem Line(SandboxProduct product, int quantity) =>
        new() { ProductId = product.Id, Title = product.Title, Sku = product.Sku, Quantity = quantity, UnitPrice = product.Price };
}
