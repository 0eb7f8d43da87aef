using Connectors.Core.Connectors;
using Newtonsoft.Json.Linq;

namespace Connectors.BusinessCentral.Tests;

public sealed class BusinessCentralConnectorReadTests
{
    [Fact]
    public async Task ReadChanged_FromTheStart_FollowsNextLinksAndReturnsEachCustomerOnceInModifiedOrder()
    {
        await using var bc = await SandboxedBusinessCentral.StartAsync(o => o.PageSize = 10);
        var seeded = bc.Sandbox.Seed(25, seed: 7);

        var pages = await bc.ReadAllAsync(BusinessCentralConnector.Customers, Watermark.Start);

        Assert.Equal([10, 10, 5], pages.Select(p => p.Records.Count));
        var records = pages.SelectMany(p => p.Records).ToList();
        Assert.Equal(seeded.Select(c => (string)c["id"]!).Order(), records.Select(r => r.Key.Id).Order());
        Assert.Equal(records.Select(r => r.Modified).Order(), records.Select(r => r.Modified));
        Assert.All(pages, p => Assert.Equal(p.Records[^1].Modified, p.Checkpoint!.Modified));
        Assert.All(records, r => Assert.StartsWith("W/\"JzQ0", (string)r.Data[BusinessCentralConnector.EtagField]!));
        Assert.All(records, r => Assert.Equal("erp.customers", r.Key.Stream));
        Assert.Equal(3, bc.Requests("GET", "/customers"));
        Assert.Equal(2, bc.Sandbox.Log.Count(r => r.Path.EndsWith("/customers", StringComparison.Ordinal) && r.Query.Contains("$skiptoken=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ReadChanged_SinceAWatermark_ReturnsTheRecordsModifiedAtOrAfterItAndNoOthers()
    {
        await using var bc = await SandboxedBusinessCentral.StartAsync();
        var seeded = bc.Sandbox.Seed(25, seed: 11);
        var stamps = seeded.Select(c => DateTimeOffset.Parse((string)c["lastModifiedDateTime"]!, System.Globalization.CultureInfo.InvariantCulture)).Order().ToList();
        var since = stamps[12];

        var records = (await bc.ReadAllAsync(BusinessCentralConnector.Customers, new Watermark(since))).SelectMany(p => p.Records).ToList();

        Assert.Equal(stamps.Count(s => s >= since), records.Count);
        Assert.All(records, r => Assert.True(r.Modified >= since));
        Assert.Contains(records, r => r.Modified == since);
        Assert.Contains(bc.Sandbox.Log.Entries, r => r.Query.Contains("lastModifiedDateTime%20ge%20", StringComparison.Ordinal)
            || r.Query.Contains("lastModifiedDateTime ge ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadChanged_AfterAnErpUserEditsACustomer_ReturnsThatCustomerWithItsNewEtagAndStamp()
    {
        await using var bc = await SandboxedBusinessCentral.StartAsync();
        var seeded = bc.Sandbox.Seed(12, seed: 3);
        var first = await bc.ReadAllAsync(BusinessCentralConnector.Customers, Watermark.Start);
        var watermark = first.Last(p => p.Checkpoint is not null).Checkpoint!;
        var edited = (string)seeded[4]["id"]!;
        var before = first.SelectMany(p => p.Records).Single(r => r.Key.Id == edited);

        bc.Clock.Advance(TimeSpan.FromMinutes(1));
        bc.Sandbox.Edit(edited, c => c["phoneNumber"] = "+1 555 010 0000");
        var next = (await bc.ReadAllAsync(BusinessCentralConnector.Customers, watermark)).SelectMany(p => p.Records).ToList();

        var after = Assert.Single(next, r => r.Key.Id == edited);
        Assert.Equal(after, next[^1]);
        Assert.Equal("+1 555 010 0000", (string)after.Data["phoneNumber"]!);
        Assert.NotEqual((string)before.Data[BusinessCentralConnector.EtagField]!, (string)after.Data[BusinessCentralConnector.EtagField]!);
        Assert.Equal(bc.Clock.GetUtcNow(), after.Modified);
    }

    [Fact]
    public async Task ReadByIds_ReturnsTheNamedCustomersInCallsOfFortyAndLeavesOutIdsBusinessCentralDoesNotHave()
    {
        await using var bc = await SandboxedBusinessCentral.StartAsync(o => o.PageSize = 100);
        var seeded = bc.Sandbox.Seed(50, seed: 5);
        var wanted = seeded.Take(45).Select(c => (string)c["id"]!).ToList();

        var records = await bc.Connector.ReadByIdsAsync(BusinessCentralConnector.Customers,
            [.. wanted, Guid.NewGuid().ToString(), "not-a-guid"], TestContext.Current.CancellationToken);

        Assert.Equal(wanted.Order(), records.Select(r => r.Key.Id).Order());
        Assert.Equal(2, bc.Sandbox.Log.Count(r => r.Path.EndsWith("/customers", StringComparison.Ordinal)
            && Uri.UnescapeDataString(r.Query).Contains("id in (", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task SalesOrder_CreatedWithItsLinesInOneCall_IsReadBackWithTheLinesAndTotals()
    {
        await using var bc = await SandboxedBusinessCentral.StartAsync();
        var customer = bc.Sandbox.Seed(1, seed: 1)[0];
        var order = new JObject
        {
            ["externalDocumentNumber"] = "#1001",
            ["customerNumber"] = customer["number"]!.DeepClone(),
            ["salesOrderLines"] = new JArray(
                new JObject { ["lineObjectNumber"] = "1896-S", ["description"] = "Desk", ["quantity"] = 2, ["unitPrice"] = 150.25 },
                new JObject { ["lineObjectNumber"] = "1900-S", ["description"] = "Chair", ["quantity"] = 4, ["unitPrice"] = 60 }),
        };

        var outcome = Assert.Single(await bc.Connector.WriteAsync(BusinessCentralConnector.SalesOrders,
            [SandboxedBusinessCentral.Write("order-1001", null, order, null, "externalDocumentNumber")], TestContext.Current.CancellationToken));
        var read = (await bc.ReadAllAsync(BusinessCentralConnector.SalesOrders, Watermark.Start)).SelectMany(p => p.Records).Single();

        var written = Assert.IsType<WriteOutcome.Written>(outcome);
        Assert.True(written.Created);
        Assert.Equal(written.TargetId, read.Key.Id);
        Assert.Equal(1, bc.Requests("POST", "/salesOrders"));
        Assert.Equal(["Desk", "Chair"], read.Data["salesOrderLines"]!.Select(l => (string)l["description"]!));
        Assert.Equal(540.50m, (decimal)read.Data["totalAmountExcludingTax"]!);
        Assert.Equal((string)customer["id"]!, (string)read.Data["customerId"]!);
    }
}
