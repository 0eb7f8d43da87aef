using System.ComponentModel.DataAnnotations;
using System.Net;
using Connectors.Core.Connectors;
using Connectors.Core.Records;
using Connectors.Core.Sync;
using Connectors.Sandbox;
using Connectors.Sandbox.Shopify;
using Connectors.Testing;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;

namespace Connectors.Shopify.Tests;

public sealed class ShopifyConnectorTests
{
    [Fact]
    public async Task ReadChanged_FiveThousandCustomers_TakesTwentyCallsAndReturnsEachOnceInUpdatedAtOrder()
    {
        await using var harness = await ShopifyHarness.StartAsync();
        harness.Sandbox.Seed(5000, seed: 7);

        var pages = await harness.ReadPagesAsync(Watermark.Start);

        var records = pages.SelectMany(p => p.Records).ToList();
        Assert.Equal(20, harness.GraphQLRequests);
        Assert.Equal(20, harness.CallsToShopify);
        Assert.Equal(0, harness.Sandbox.ThrottledCount);
        Assert.Equal(20, pages.Count);
        Assert.All(pages, p => Assert.Equal(250, p.Records.Count));
        Assert.Equal(5000, records.Select(r => r.Key.Id).Distinct().Count());
        Assert.Equal(harness.Sandbox.Customers.Select(c => c.Id.ToString()).Order(), records.Select(r => r.Key.Id).Order());
        Assert.True(records.Zip(records.Skip(1)).All(pair => pair.First.Modified <= pair.Second.Modified), "records are not in updatedAt order");
        Assert.All(pages, p => Assert.Equal(p.Records[^1].Modified, p.Checkpoint!.Modified));
    }

    [Fact]
    public async Task ReadChanged_AfterThreeCustomersChange_ReturnsThoseAndTheBoundaryStampOnly()
    {
        await using var harness = await ShopifyHarness.StartAsync();
        var customers = harness.Sandbox.Seed(600, seed: 11);
        var first = await harness.ReadPagesAsync(Watermark.Start);
        var watermark = first[^1].Checkpoint!;
        harness.Clock.Advance(TimeSpan.FromMinutes(5));
        var changed = customers.Skip(100).Take(3).Select(c => c.Id).ToList();
        foreach (var id in changed)
        {
            harness.Sandbox.UpdateCustomer(id, c => c.Tags.Add("changed"));
        }

        var second = (await harness.ReadPagesAsync(watermark)).SelectMany(p => p.Records).ToList();

        var changedIds = changed.Select(id => id.ToString()).ToHashSet();
        Assert.Superset(changedIds, second.Select(r => r.Key.Id).ToHashSet());
        var others = second.Where(r => !changedIds.Contains(r.Key.Id)).ToList();
        Assert.NotEmpty(others);
        Assert.All(others, r => Assert.Equal(watermark.Modified, r.Modified));
        Assert.All(second, r => Assert.True(r.Modified >= watermark.Modified));
        Assert.Equal(second.Count, second.Select(r => r.Key.Id).Distinct().Count());
    }

    [Fact]
    public async Task ReadChanged_Throttled_WaitsExactlyTheComputedTimeOnTheClockThenSucceeds()
    {
        await using var harness = await ShopifyHarness.StartAsync();
        harness.Sandbox.Seed(10, seed: 3);
        harness.Sandbox.DrainCostBucket(100);

        var read = ShopifyHarness.CollectAsync(harness.Connector, Watermark.Start);
        var wait = await harness.Clock.AdvancePastNextWaitAsync(ShopifyHarness.IsShortWait, TestContext.Current.CancellationToken);
        var pages = await read;

        // A customer node costs 3 (Customer, defaultEmailAddress, defaultAddress): requested 2 + 250 × 3 = 752,
        // available 100, restore 100/s: (752 - 100) / 100 = 6.52 s.
        Assert.Equal(TimeSpan.FromMilliseconds(6520), wait);
        Assert.Equal(1, harness.Sandbox.ThrottledCount);
        Assert.Equal(2, harness.GraphQLRequests);
        Assert.Equal(10, pages.Sum(p => p.Records.Count));
    }

    [Fact]
    public async Task ReadChanged_ThrottledBeyondTheAllowedRetries_FailsAsThrottled()
    {
        await using var harness = await ShopifyHarness.StartAsync(o => o.MaxThrottleRetries = 0);
        harness.Sandbox.Seed(10, seed: 3);
        harness.Sandbox.DrainCostBucket(0);

        var failure = await Assert.ThrowsAsync<ConnectorException>(() => ShopifyHarness.CollectAsync(harness.Connector, Watermark.Start));

        Assert.Equal(ConnectorErrorCode.Throttled, failure.Code);
        Assert.Equal("THROTTLED", failure.VendorCode);
        // Requested 2 + 250 × 3 = 752 with nothing available, restore 100/s.
        Assert.Equal(TimeSpan.FromMilliseconds(7520), failure.RetryAfter);
        Assert.Equal(1, harness.GraphQLRequests);
    }

    [Fact]
    public async Task ReadChanged_ThrottledWithHttp429_IsRetriedUntilTheBucketRefills()
    {
        await using var harness = await ShopifyHarness.StartAsync(sandboxOptions: new ShopifySandboxOptions { ThrottledStatusCode = 429 });
        harness.Sandbox.Seed(10, seed: 3);
        harness.Sandbox.DrainCostBucket(100);

        var pages = await harness.ReadPagesAsync(Watermark.Start);

        Assert.Equal(10, pages.Sum(p => p.Records.Count));
        Assert.True(harness.Sandbox.ThrottledCount >= 1);
        Assert.Equal(harness.Sandbox.ThrottledCount + 1, harness.GraphQLRequests);
    }

    [Fact]
    public async Task ReadChanged_429WithRetryAfter_WaitsThatLongThenSucceeds()
    {
        await using var harness = await ShopifyHarness.StartAsync();
        harness.Sandbox.Seed(10, seed: 3);
        harness.Sandbox.Faults.Add(new Fault(_ => true, Times: 1, Status: 429, RetryAfter: TimeSpan.FromSeconds(2)));

        var read = ShopifyHarness.CollectAsync(harness.Connector, Watermark.Start);
        var wait = await harness.Clock.AdvancePastNextWaitAsync(ShopifyHarness.IsShortWait, TestContext.Current.CancellationToken);
        var pages = await read;

        Assert.Equal(TimeSpan.FromSeconds(2), wait);
        Assert.Equal([429, 200], harness.Sandbox.RequestLog.Entries.Select(e => e.Status));
        Assert.Equal(10, pages.Sum(p => p.Records.Count));
    }

    [Fact]
    public async Task ReadChanged_ServerErrorOnce_IsRetriedAndSucceeds()
    {
        await using var harness = await ShopifyHarness.StartAsync();
        harness.Sandbox.Seed(10, seed: 3);
        harness.Sandbox.Faults.Add(new Fault(_ => true, Times: 1, Status: 503));

        var pages = await harness.ReadPagesAsync(Watermark.Start);

        Assert.Equal([503, 200], harness.Sandbox.RequestLog.Entries.Select(e => e.Status));
        Assert.Equal(10, pages.Sum(p => p.Records.Count));
    }

    [Fact]
    public async Task ReadChanged_WrongToken_FailsAsAuthenticationWithoutTheTokenInTheMessage()
    {
        const string wrongToken = "shpat_wrong_token_4242";
        await using var harness = await ShopifyHarness.StartAsync(o => o.AccessToken = wrongToken);
        harness.Sandbox.Seed(10, seed: 3);

        var failure = await Assert.ThrowsAsync<ConnectorException>(() => ShopifyHarness.CollectAsync(harness.Connector, Watermark.Start));

        Assert.Equal(ConnectorErrorCode.AuthenticationFailed, failure.Code);
        Assert.DoesNotContain(wrongToken, failure.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(harness.Sandbox.AccessToken, failure.ToString(), StringComparison.Ordinal);
        Assert.Equal([401], harness.Sandbox.RequestLog.Entries.Select(e => e.Status));
    }

    [Fact]
    public async Task ReadChanged_GraphQLError_FailsAsInvalidRequestWithTheVendorMessage()
    {
        await using var harness = await ShopifyHarness.StartAsync();
        harness.Sandbox.Faults.Add(new Fault(_ => true, Times: 1, Status: 200,
            Body: """{"errors":[{"message":"Field 'loyaltyTier' doesn't exist on type 'Customer'","extensions":{"code":"undefinedField"}}]}"""));

        var failure = await Assert.ThrowsAsync<ConnectorException>(() => ShopifyHarness.CollectAsync(harness.Connector, Watermark.Start));

        Assert.Equal(ConnectorErrorCode.InvalidRequest, failure.Code);
        Assert.Equal("undefinedField", failure.VendorCode);
        Assert.Contains("Field 'loyaltyTier' doesn't exist on type 'Customer'", failure.Message, StringComparison.Ordinal);
        Assert.Equal(1, harness.GraphQLRequests);
    }

    [Fact]
    public async Task ReadChanged_UnknownStream_FailsAsInvalidRequestWithoutCallingShopify()
    {
        await using var harness = await ShopifyHarness.StartAsync();

        var failure = await Assert.ThrowsAsync<ConnectorException>(async () =>
        {
            await foreach (var _ in harness.Connector.ReadChangedAsync("refunds", Watermark.Start, TestContext.Current.CancellationToken))
            {
            }
        });

        Assert.Equal(ConnectorErrorCode.InvalidRequest, failure.Code);
        Assert.Equal(0, harness.GraphQLRequests);
    }

    [Fact]
    public async Task Records_AreKeyedByTheNumericIdAndCarryTheGidAndTheSelectedFields()
    {
        await using var harness = await ShopifyHarness.StartAsync();
        var customer = harness.Sandbox.AddCustomer(c =>
        {
            c.FirstName = "Jane";
            c.LastName = "Doe";
            c.Email = "jane@example.com";
            c.Phone = "+12125550123";
            c.Tags = ["vip", "newsletter"];
            c.EmailMarketingState = "SUBSCRIBED";
            c.EmailMarketingOptInLevel = "CONFIRMED_OPT_IN";
            c.DefaultAddress = new SandboxAddress { Address1 = "1 Main Street", City = "Toronto", ProvinceCode = "ON", Zip = "M5V 2T6", Country = "Canada", CountryCode = "CA" };
        });

        var record = Assert.Single((await harness.ReadPagesAsync(Watermark.Start)).SelectMany(p => p.Records));

        Assert.Equal(new RecordKey("shop.customers", customer.Id.ToString()), record.Key);
        Assert.Equal(customer.UpdatedAt, record.Modified);
        Assert.Equal(customer.Gid, record.Data.Value<string>("id"));
        Assert.Equal("Jane", record.Data.Value<string>("firstName"));
        Assert.Equal("+12125550123", record.Data.Value<string>("phone"));
        Assert.Equal("jane@example.com", record.Data["defaultEmailAddress"]!.Value<string>("emailAddress"));
        Assert.Equal("SUBSCRIBED", record.Data["defaultEmailAddress"]!.Value<string>("marketingState"));
        Assert.Equal("CA", record.Data["defaultAddress"]!.Value<string>("countryCodeV2"));
        Assert.Equal(["newsletter", "vip"], record.Data["tags"]!.Values<string>());
        // Only what the connector selected comes back, as from Shopify.
        Assert.Null(record.Data.Property("email"));
        Assert.Null(record.Data.Property("emailMarketingConsent"));
    }

    [Fact]
    public async Task ReadByIds_ReturnsCurrentVersionsAndLeavesOutIdsShopifyDoesNotHave()
    {
        await using var harness = await ShopifyHarness.StartAsync();
        var customers = harness.Sandbox.Seed(20, seed: 5);
        harness.Clock.Advance(TimeSpan.FromMinutes(1));
        var updated = harness.Sandbox.UpdateCustomer(customers[3].Id, c => c.LastName = "Renamed");
        harness.Sandbox.DeleteCustomer(customers[4].Id);
        string[] ids = [customers[3].Id.ToString(), customers[4].Id.ToString(), customers[5].Gid, "not-an-id"];

        var records = await harness.DriveAsync(harness.Connector.ReadByIdsAsync("customers", ids, TestContext.Current.CancellationToken));

        Assert.Equal([customers[3].Id.ToString(), customers[5].Id.ToString()], records.Select(r => r.Key.Id).Order());
        var renamed = records.Single(r => r.Key.Id == customers[3].Id.ToString());
        Assert.Equal("Renamed", renamed.Data.Value<string>("lastName"));
        Assert.Equal(updated.UpdatedAt, renamed.Modified);
        Assert.Equal(1, harness.GraphQLRequests);
    }

    [Fact]
    public async Task TwoStoresInOneContainer_EachSystemReadsItsOwnStore()
    {
        var clock = new WaitObservingClock();
        var ct = TestContext.Current.CancellationToken;
        await using var eu = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { AccessToken = "shpat_eu" }, clock, ct);
        await using var us = await ShopifySandbox.StartAsync(new ShopifySandboxOptions { AccessToken = "shpat_us" }, clock, ct);
        eu.Seed(3, seed: 1);
        us.Seed(5, seed: 2);
        await using var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(clock)
            .AddShopifyConnector("shop-eu", ShopifyHarness.OptionsFor(eu))
            .AddShopifyConnector("shop-us", ShopifyHarness.OptionsFor(us))
            .BuildServiceProvider();

        var euRecords = (await ShopifyHarness.CollectAsync(services.GetShopifyConnector("shop-eu"), Watermark.Start)).SelectMany(p => p.Records).ToList();
        var usRecords = (await ShopifyHarness.CollectAsync(services.GetShopifyConnector("shop-us"), Watermark.Start)).SelectMany(p => p.Records).ToList();

        Assert.Equal(eu.Customers.Select(c => c.Id.ToString()).Order(), euRecords.Select(r => r.Key.Id).Order());
        Assert.Equal(us.Customers.Select(c => c.Id.ToString()).Order(), usRecords.Select(r => r.Key.Id).Order());
        Assert.All(euRecords, r => Assert.Equal("shop-eu.customers", r.Key.Stream));
        Assert.Same(services.GetShopifyConnector("shop-us"), services.GetRequiredKeyedService<ISourceConnector>("shop-us"));
    }

    [Theory]
    [InlineData(251, "PageSize")]
    [InlineData(0, "PageSize")]
    public void Register_PageSizeOutOfRange_FailsNamingTheSetting(int pageSize, string setting)
    {
        var options = new ShopifyOptions { ShopUrl = new Uri("https://my-shop.myshopify.com/"), AccessToken = "shpat_secret_value", PageSize = pageSize };

        var failure = Assert.Throws<ValidationException>(() => new ServiceCollection().AddShopifyConnector("shop", options));

        Assert.Contains(setting, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("shpat_secret_value", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Register_BadApiVersion_FailsNamingTheSetting()
    {
        var options = new ShopifyOptions { ShopUrl = new Uri("https://my-shop.myshopify.com/"), AccessToken = "t", ApiVersion = "2025-11" };

        var failure = Assert.Throws<ValidationException>(() => new ServiceCollection().AddShopifyConnector("shop", options));

        Assert.Contains("ApiVersion", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ChangedSinceFilter_IsQuotedWholeSecondsUtcInclusive()
    {
        var since = new DateTimeOffset(2026, 11, 23, 10, 15, 30, 500, TimeSpan.FromHours(1));

        Assert.Equal("updated_at:>='2026-11-23T09:15:30Z'", ShopifyConnector.ChangedSinceFilter(since));
    }
}
