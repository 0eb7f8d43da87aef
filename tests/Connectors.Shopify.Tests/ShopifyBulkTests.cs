using System.ComponentModel.DataAnnotations;
using Connectors.Core.Connectors;
using Connectors.Core.Records;
using Connectors.Core.Sync;
using Connectors.Sandbox.Shopify;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Newtonsoft.Json.Linq;
using Record = Connectors.Core.Records.Record;

namespace Connectors.Shopify.Tests;

/// <summary>Whole streams through Shopify bulk operations, over real HTTP against the emulator.</summary>
public sealed class ShopifyBulkTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Count_MoreThanTenThousandCustomers_IsExactInOneCall()
    {
        await using var harness = await ShopifyHarness.StartAsync();
        harness.Sandbox.Seed(10_050, seed: 3);

        var count = await harness.Connector.CountAsync("customers", Token);

        Assert.Equal(10_050, count);
        Assert.Equal(1, harness.CallsToShopify);
    }

    [Fact]
    public async Task ReadAllInBulk_ThreeThousandCustomers_GivesTheSameRecordsAsThePagedRead_InThreeCalls()
    {
        await using var harness = await ShopifyHarness.StartAsync();
        harness.Sandbox.Seed(3000, seed: 21);
        var paged = (await harness.ReadPagesAsync(Watermark.Start)).SelectMany(p => p.Records).ToList();
        var callsBefore = harness.CallsToShopify;

        var pages = await harness.DriveAsync(CollectBulkAsync(harness.Connector, "customers"));

        // Run the operation, ask its status once (it is done at once in the emulator), download the file.
        Assert.Equal(3, harness.CallsToShopify - callsBefore);
        Assert.Equal(1, harness.Sandbox.BulkOperationCount);
        Assert.Equal(Enumerable.Repeat(ShopifyConnector.BulkReadChunk, 3000 / ShopifyConnector.BulkReadChunk), pages.Select(p => p.Records.Count));
        Assert.All(pages, p => Assert.Null(p.Checkpoint));
        AssertSameRecords(paged, pages.SelectMany(p => p.Records).ToList());
    }

    [Fact]
    public async Task ReadAllInBulk_Orders_PutsEachOrdersLineItemsBack_AsThePagedReadHasThem()
    {
        await using var harness = await ShopifyHarness.StartAsync();
        harness.Sandbox.Seed(200, seed: 8);
        harness.Sandbox.SeedProducts(60, seed: 8);
        var seeded = harness.Sandbox.SeedOrders(400, seed: 8);
        var paged = (await harness.ReadPagesAsync(Watermark.Start, "orders")).SelectMany(p => p.Records).ToList();

        var bulk = (await harness.DriveAsync(CollectBulkAsync(harness.Connector, "orders"))).SelectMany(p => p.Records).ToList();

        Assert.Contains(seeded, o => o.LineItems.Count > ShopifyStream.LineItemsPerOrder);
        Assert.Equal(seeded.Sum(o => o.LineItems.Count), bulk.Sum(r => ((JArray)r.Data["lineItems"]!["nodes"]!).Count));
        // A bulk result has no cursors: the only difference allowed is lineItems.pageInfo.endCursor, which the paged read
        // fills with its last page's cursor.
        Assert.All(bulk, r => Assert.Equal(JTokenType.Null, r.Data["lineItems"]!["pageInfo"]!["endCursor"]!.Type));
        foreach (var record in paged) record.Data["lineItems"]!["pageInfo"]!["endCursor"] = null;
        AssertSameRecords(paged, bulk);
    }

    [Fact]
    public async Task ReadAllInBulk_OperationStillRunning_PollsAgainAfterTheIntervalOnTheClock()
    {
        await using var harness = await ShopifyHarness.StartAsync(o => o.BulkPollInterval = TimeSpan.FromSeconds(5),
            new ShopifySandboxOptions { BulkOperationDuration = TimeSpan.FromSeconds(12) });
        harness.Sandbox.Seed(10, seed: 1);

        var read = CollectBulkAsync(harness.Connector, "customers");
        for (var i = 0; i < 3; i++) await harness.Clock.AdvancePastNextWaitAsync(w => w == TimeSpan.FromSeconds(5), Token);
        var pages = await read;

        // Polled at 0, 5, 10 (running) and 15 s (completed).
        Assert.Equal(4, harness.Sandbox.RequestLog.Count(r => r.Body.Contains("BulkOperationStatus", StringComparison.Ordinal)));
        Assert.Equal(10, pages.Sum(p => p.Records.Count));
    }

    [Theory]
    [InlineData("ACCESS_DENIED", ConnectorErrorCode.AuthenticationFailed)]
    [InlineData("INTERNAL_SERVER_ERROR", ConnectorErrorCode.Unavailable)]
    [InlineData("TIMEOUT", ConnectorErrorCode.Unavailable)]
    public async Task ReadAllInBulk_OperationFails_ThrowsWithShopifysErrorCode_AndHandsOnNothing(string errorCode, ConnectorErrorCode expected)
    {
        await using var harness = await ShopifyHarness.StartAsync();
        harness.Sandbox.Seed(50, seed: 1);
        harness.Sandbox.FailNextBulkOperation(errorCode);
        var pages = new List<RecordPage>();

        var error = await Assert.ThrowsAsync<ConnectorException>(async () =>
        {
            await foreach (var page in harness.Connector.ReadAllInBulkAsync("customers", Token)) pages.Add(page);
        });

        Assert.Equal((expected, errorCode), (error.Code, error.VendorCode));
        Assert.Contains("failed at Shopify", error.Message, StringComparison.Ordinal);
        Assert.Contains("25 object(s) were read before it stopped", error.Message, StringComparison.Ordinal);
        Assert.Empty(pages);
        Assert.Equal(0, harness.Sandbox.RequestLog.Count(r => r.Method == "GET"));
    }

    [Fact]
    public async Task ReadAllInBulk_WhileAnotherBulkQueryRuns_IsRefusedNamingTheRunningOperation()
    {
        await using var harness = await ShopifyHarness.StartAsync(o => o.BulkPollInterval = TimeSpan.FromSeconds(5),
            new ShopifySandboxOptions { BulkOperationDuration = TimeSpan.FromSeconds(20) });
        harness.Sandbox.Seed(10, seed: 1);
        var first = CollectBulkAsync(harness.Connector, "customers");
        // Once the first read waits to poll again, its operation is running at the shop.
        await harness.Clock.AdvancePastNextWaitAsync(w => w == TimeSpan.FromSeconds(5), Token);

        var refused = await Assert.ThrowsAsync<ConnectorException>(() => CollectBulkAsync(harness.Connector, "customers"));
        var pages = await harness.DriveAsync(first);

        Assert.Equal((ConnectorErrorCode.Throttled, "OPERATION_IN_PROGRESS"), (refused.Code, refused.VendorCode));
        Assert.Contains("A bulk query operation for this app and shop is already in progress: gid://shopify/BulkOperation/", refused.Message, StringComparison.Ordinal);
        Assert.Equal(1, harness.Sandbox.BulkOperationCount);
        Assert.Equal(10, pages.Sum(p => p.Records.Count));
    }

    [Fact]
    public async Task ReadAllInBulk_LargeStore_HandsOnPagesWhileTheFileIsStillBeingWritten()
    {
        await using var harness = await ShopifyHarness.StartAsync();
        var customers = harness.Sandbox.Seed(80_000, seed: 4);
        var counts = new List<int>();

        await using (var pages = harness.Connector.ReadAllInBulkAsync("customers", Token).GetAsyncEnumerator(Token))
        {
            Assert.True(await pages.MoveNextAsync());
            counts.Add(pages.Current.Records.Count);
            // The emulator writes the file from the store as it is sent. Had the connector read the whole file before
            // handing on its first page (into memory or a temporary file), these customers would still be in it.
            foreach (var customer in customers.Skip(50_000)) harness.Sandbox.DeleteCustomer(customer.Id);
            while (await pages.MoveNextAsync()) counts.Add(pages.Current.Records.Count);
        }

        Assert.Equal(50_000 / ShopifyConnector.BulkReadChunk, counts.Count);
        Assert.All(counts, c => Assert.Equal(ShopifyConnector.BulkReadChunk, c));
    }

    [Fact]
    public async Task ReadAllInBulk_WithoutAResultFileClient_FailsAsAnInvalidRequest()
    {
        await using var harness = await ShopifyHarness.StartAsync();
        var bare = new ShopifyConnector("shop", ShopifyHarness.OptionsFor(harness.Sandbox), harness.Services.GetRequiredKeyedService<IShopifyAdminApi>("shop"),
            harness.Clock, NullLogger<ShopifyConnector>.Instance);

        var error = await Assert.ThrowsAsync<ConnectorException>(() => CollectBulkAsync(bare, "customers"));

        Assert.Equal(ConnectorErrorCode.InvalidRequest, error.Code);
        Assert.Equal(0, harness.Sandbox.BulkOperationCount);
    }

    [Fact]
    public void Options_PollIntervalOutOfRange_FailsValidationNamingTheSetting()
    {
        var options = new ShopifyOptions { ShopUrl = new Uri("https://shop.example/"), AccessToken = "shpat_x", BulkPollInterval = TimeSpan.Zero };

        var error = Assert.Throws<ValidationException>(options.Validate);

        Assert.Contains("BulkPollInterval", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Limits_OneBulkJobReadsTheWholeStream_AndCostsNoCredits()
    {
        var connector = new ShopifyConnector("shop", new ShopifyOptions { ShopUrl = new Uri("https://shop.example/"), AccessToken = "shpat_x" },
            new UnusedApi(), TimeProvider.System, NullLogger<ShopifyConnector>.Instance);

        Assert.Equal(int.MaxValue, connector.RecordsPerCall(ApiOperation.BulkReadJob, "customers"));
        Assert.Equal(0, connector.CreditsPerCall(ApiOperation.BulkReadJob, int.MaxValue));
    }

    private static async Task<List<RecordPage>> CollectBulkAsync(ShopifyConnector connector, string stream)
    {
        var pages = new List<RecordPage>();
        await foreach (var page in connector.ReadAllInBulkAsync(stream, Token)) pages.Add(page);
        return pages;
    }

    private static void AssertSameRecords(IReadOnlyList<Record> expected, IReadOnlyList<Record> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        var byKey = actual.ToDictionary(r => r.Key);
        foreach (var record in expected)
        {
            Assert.True(byKey.TryGetValue(record.Key, out var other), $"{record.Key} is missing from the bulk read.");
            Assert.Equal(record.Modified, other.Modified);
            Assert.True(JToken.DeepEquals(record.Data, other.Data), $"{record.Key} differs:\n{record.Data}\n{other.Data}");
            Assert.Equal(record.Data.Properties().Select(p => p.Name), other.Data.Properties().Select(p => p.Name));
        }
    }

    private sealed class UnusedApi : IShopifyAdminApi
    {
        public Task<Refit.IApiResponse<ShopifyGraphQLResponse>> QueryAsync(string version, ShopifyGraphQLRequest request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("Limits are answered without a call.");
    }
}
