using System.ComponentModel.DataAnnotations;
using Connectors.Core.Connectors;
using Connectors.Core.Records;
using Connectors.Core.Sync;
using Connectors.Sandbox;
using Connectors.Sandbox.WooCommerce;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Connectors.WooCommerce.Tests;

public sealed class WooCommerceConnectorTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static DateTimeOffset StampOf(WooCustomer customer) => customer.ModifiedAt ?? customer.CreatedAt;

    [Fact]
    public async Task ReadChanged_1234Customers_ThirteenCallsOfAHundredInIdOrder_ThenTheCheckpoint()
    {
        await using var harness = await WooCommerceHarness.StartAsync();
        var customers = harness.Sandbox.Seed(1234, seed: 1);

        var pages = await harness.ReadPagesAsync("customers", Watermark.Start);

        Assert.Equal(13, harness.CallsToTheStore);
        var calls = harness.ListCalls("customers");
        Assert.Equal(13, calls.Count);
        for (var i = 0; i < calls.Count; i++)
        {
            Assert.Equal($"?page={i + 1}&per_page=100&orderby=id&order=asc", calls[i].Query);
        }
        int[] sizes = [.. Enumerable.Repeat(100, 12), 34, 0];
        Assert.Equal(sizes, pages.Select(p => p.Records.Count));
        var records = pages.SelectMany(p => p.Records).ToList();
        Assert.Equal(customers.Select(c => c.Id.ToString()), records.Select(r => r.Key.Id));
        Assert.All(pages.SkipLast(1), p => Assert.Null(p.Checkpoint));
        var newest = customers.Max(StampOf);
        var heldBack = harness.Clock.GetUtcNow() - WooCommerceConnector.CheckpointLag;
        Assert.Equal(newest < heldBack ? newest : heldBack, pages[^1].Checkpoint!.Modified);
    }

    [Fact]
    public async Task ReadChanged_Record_IsTheCustomerAsWooCommerceListsItStampedWithItsGmtModification()
    {
        await using var harness = await WooCommerceHarness.StartAsync();
        var customer = harness.Sandbox.AddCustomer(c =>
        {
            c.Email = "jane@example.com";
            c.FirstName = "Jane";
            c.LastName = "Doe";
            c.Billing = new WooAddress { FirstName = "Jane", LastName = "Doe", City = "Berlin", Country = "DE", Email = "jane@example.com", Phone = "+49301234567" };
        });
        using var http = new HttpClient { BaseAddress = harness.Sandbox.StoreUrl };
        http.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{harness.Sandbox.ConsumerKey}:{harness.Sandbox.ConsumerSecret}")));
        var listed = JsonConvert.DeserializeObject<JArray>(await http.GetStringAsync("wp-json/wc/v3/customers", Token),
            new JsonSerializerSettings { DateParseHandling = DateParseHandling.None })![0];

        var record = Assert.Single((await harness.ReadPagesAsync("customers", Watermark.Start)).SelectMany(p => p.Records));

        Assert.Equal(("shop.customers", customer.Id.ToString()), (record.Key.Stream, record.Key.Id));
        Assert.Equal(customer.ModifiedAt, record.Modified);
        Assert.True(JToken.DeepEquals(listed, record.Data), record.Data.ToString());
        Assert.Equal("+49301234567", record.Data["billing"]!.Value<string>("phone"));
        // The store writes dates without a zone designator; the _gmt one is UTC, the other the site's time (UTC+1 here).
        Assert.Equal(customer.ModifiedAt!.Value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss"), record.Data.Value<string>("date_modified_gmt"));
        Assert.Equal(customer.ModifiedAt.Value.UtcDateTime.AddHours(1).ToString("yyyy-MM-dd'T'HH:mm:ss"), record.Data.Value<string>("date_modified"));
    }

    [Fact]
    public async Task ReadChanged_CustomerWooCommerceNeverStamped_IsStampedWithItsRegistration()
    {
        await using var harness = await WooCommerceHarness.StartAsync();
        var unstamped = harness.Sandbox.Seed(200, seed: 2).First(c => c.ModifiedAt is null);

        var record = (await harness.ReadPagesAsync("customers", Watermark.Start)).SelectMany(p => p.Records).Single(r => r.Key.Id == unstamped.Id.ToString());

        Assert.Equal(JTokenType.Null, record.Data["date_modified_gmt"]!.Type);
        Assert.Equal(unstamped.CreatedAt, record.Modified);
    }

    [Fact]
    public async Task ReadChanged_CustomersSinceTheWatermark_ReadsEveryPage_AndKeepsOnlyTheChanged()
    {
        await using var harness = await WooCommerceHarness.StartAsync();
        var customers = harness.Sandbox.Seed(250, seed: 3);
        var watermark = (await harness.ReadPagesAsync("customers", Watermark.Start))[^1].Checkpoint!;
        harness.Clock.Advance(TimeSpan.FromMinutes(10));
        var changed = new[] { customers[5], customers[130], customers[249] }
            .Select(c => harness.Sandbox.UpdateCustomer(c.Id, x => x.LastName += "-Renamed"))
            .ToList();
        harness.Sandbox.RequestLog.Clear();

        var pages = await harness.ReadPagesAsync("customers", watermark);

        // The customers endpoint has no date filter: all three pages are read, the change filter is applied here.
        var calls = harness.ListCalls("customers");
        Assert.Equal(3, calls.Count);
        Assert.All(calls, c => Assert.DoesNotContain("modified_after", c.Query, StringComparison.Ordinal));
        var records = pages.SelectMany(p => p.Records).ToList();
        Assert.Superset(changed.Select(c => c.Id.ToString()).ToHashSet(), records.Select(r => r.Key.Id).ToHashSet());
        Assert.All(records.Where(r => !changed.Any(c => c.Id.ToString() == r.Key.Id)), r => Assert.Equal(watermark.Modified, r.Modified));
        Assert.All(changed, c => Assert.EndsWith("-Renamed", records.Single(r => r.Key.Id == c.Id.ToString()).Data.Value<string>("last_name"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadChanged_OrdersSinceTheWatermark_AskTheStoreForModifiedAfterTheSecondBefore()
    {
        await using var harness = await WooCommerceHarness.StartAsync();
        harness.Sandbox.Seed(40, seed: 4);
        var orders = harness.Sandbox.SeedOrders(300, seed: 5);
        var first = await harness.ReadPagesAsync("orders", Watermark.Start);
        var watermark = first[^1].Checkpoint!;
        harness.Clock.Advance(TimeSpan.FromMinutes(10));
        var changed = new[] { orders[17], orders[260] }.Select(o => harness.Sandbox.UpdateOrder(o.Id, x => x.Status = "completed")).ToList();
        harness.Sandbox.RequestLog.Clear();

        var pages = await harness.ReadPagesAsync("orders", watermark);

        Assert.Equal(300, first.Sum(p => p.Records.Count));
        var call = Assert.Single(harness.ListCalls("orders"));
        var after = watermark.Modified!.Value.AddSeconds(-1).UtcDateTime.ToString("yyyy-MM-dd'T'HH'%3A'mm'%3A'ss");
        Assert.Equal($"?page=1&per_page=100&orderby=id&order=asc&modified_after={after}&dates_are_gmt=true", call.Query);
        var records = pages.SelectMany(p => p.Records).ToList();
        Assert.Superset(changed.Select(o => o.Id.ToString()).ToHashSet(), records.Select(r => r.Key.Id).ToHashSet());
        Assert.All(records.Where(r => !changed.Any(o => o.Id.ToString() == r.Key.Id)), r => Assert.Equal(watermark.Modified, r.Modified));
        Assert.All(changed, o => Assert.Equal(o.ModifiedAt, records.Single(r => r.Key.Id == o.Id.ToString()).Modified));
    }

    [Fact]
    public async Task ReadChanged_OrderChangedOnAPageAlreadyRead_IsReadAgainByTheNextRead()
    {
        await using var harness = await WooCommerceHarness.StartAsync(o => o.PageSize = 50);
        harness.Sandbox.Seed(20, seed: 6);
        var orders = harness.Sandbox.SeedOrders(120, seed: 7);
        var pages = new List<RecordPage>();

        await foreach (var page in harness.Connector.ReadChangedAsync("orders", Watermark.Start, Token))
        {
            pages.Add(page);
            if (pages.Count == 1)
            {
                // Changed behind the read (its page is done), then a later one ahead of it: the read sees only the later change.
                harness.Sandbox.UpdateOrder(orders[0].Id, o => o.CustomerNote = "Changed behind the read.");
                harness.Clock.Advance(TimeSpan.FromSeconds(10));
                harness.Sandbox.UpdateOrder(orders[^1].Id, o => o.CustomerNote = "Leave at the door.");
            }
        }
        var checkpoint = pages[^1].Checkpoint!;
        var next = (await harness.ReadPagesAsync("orders", checkpoint)).SelectMany(p => p.Records).ToList();

        Assert.Equal("", pages[0].Records.Single(r => r.Key.Id == orders[0].Id.ToString()).Data.Value<string>("customer_note"));
        Assert.Equal("Leave at the door.", pages.SelectMany(p => p.Records).Single(r => r.Key.Id == orders[^1].Id.ToString()).Data.Value<string>("customer_note"));
        Assert.True(checkpoint.Modified < harness.Sandbox.FindOrder(orders[0].Id)!.ModifiedAt, "the checkpoint passed a change the read did not see");
        Assert.Equal("Changed behind the read.", next.Single(r => r.Key.Id == orders[0].Id.ToString()).Data.Value<string>("customer_note"));
    }

    [Fact]
    public async Task ReadChanged_429WithRetryAfter_WaitsThatLongThenSucceeds()
    {
        await using var harness = await WooCommerceHarness.StartAsync();
        harness.Sandbox.Seed(3, seed: 8);
        harness.Sandbox.Faults.Add(new Fault(_ => true, Times: 1, Status: 429, RetryAfter: TimeSpan.FromSeconds(7)));

        var read = harness.CollectAsync("customers", Watermark.Start);
        var wait = await harness.Clock.AdvancePastNextWaitAsync(w => w == TimeSpan.FromSeconds(7), Token);
        var pages = await harness.DriveAsync(read);

        Assert.Equal(TimeSpan.FromSeconds(7), wait);
        Assert.Equal([429, 200], harness.ListCalls("customers").Select(c => c.Status));
        Assert.Equal(3, pages.Sum(p => p.Records.Count));
    }

    [Fact]
    public async Task ReadChanged_429BeyondTheRetries_FailsAsThrottledWithTheStoresWait()
    {
        await using var harness = await WooCommerceHarness.StartAsync(o => o.Resilience.MaxRetries = 1);
        harness.Sandbox.Faults.Add(new Fault(_ => true, Times: 5, Status: 429, RetryAfter: TimeSpan.FromSeconds(4)));

        var failure = await Assert.ThrowsAsync<ConnectorException>(() => harness.ReadPagesAsync("customers", Watermark.Start));

        Assert.Equal(ConnectorErrorCode.Throttled, failure.Code);
        Assert.Equal(TimeSpan.FromSeconds(4), failure.RetryAfter);
        Assert.Equal(2, harness.ListCalls("customers").Count);
    }

    [Fact]
    public async Task ReadChanged_ServerErrorOnce_IsRetriedAndSucceeds()
    {
        await using var harness = await WooCommerceHarness.StartAsync();
        harness.Sandbox.Seed(3, seed: 9);
        harness.Sandbox.SeedOrders(5, seed: 9);
        harness.Sandbox.Faults.Add(new Fault(_ => true, Times: 1, Status: 503));

        var pages = await harness.ReadPagesAsync("orders", Watermark.Start);

        Assert.Equal([503, 200], harness.ListCalls("orders").Select(c => c.Status));
        Assert.Equal(5, pages.Sum(p => p.Records.Count));
    }

    [Fact]
    public async Task ReadChanged_ServerErrorsBeyondTheRetries_FailAsUnavailableWithWordPressesCode()
    {
        await using var harness = await WooCommerceHarness.StartAsync(o => o.Resilience.MaxRetries = 2);
        harness.Sandbox.Faults.Add(new Fault(_ => true, Times: 10, Status: 500,
            Body: """{"code":"internal_server_error","message":"There has been a critical error on this website.","data":{"status":500}}"""));

        var failure = await Assert.ThrowsAsync<ConnectorException>(() => harness.ReadPagesAsync("orders", Watermark.Start));

        Assert.Equal((ConnectorErrorCode.Unavailable, "internal_server_error"), (failure.Code, failure.VendorCode));
        Assert.Equal(3, harness.ListCalls("orders").Count);
    }

    [Fact]
    public async Task ReadChanged_WrongSecret_FailsAsAuthenticationWithoutTheKeyOrSecretInTheMessage()
    {
        const string wrongSecret = "cs_0000wrong0000secret0000";
        await using var harness = await WooCommerceHarness.StartAsync(o => o.ConsumerSecret = wrongSecret);

        var failure = await Assert.ThrowsAsync<ConnectorException>(() => harness.ReadPagesAsync("customers", Watermark.Start));

        Assert.Equal((ConnectorErrorCode.AuthenticationFailed, "woocommerce_rest_authentication_error"), (failure.Code, failure.VendorCode));
        Assert.Equal([401], harness.ListCalls("customers").Select(c => c.Status));
        Assert.DoesNotContain(wrongSecret, failure.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(harness.Sandbox.ConsumerSecret, failure.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(harness.Sandbox.ConsumerKey, failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadChanged_UnknownKey_FailsAsAuthenticationWithTheCannotViewCode()
    {
        await using var harness = await WooCommerceHarness.StartAsync(o => o.ConsumerKey = "ck_not_a_key_of_this_store");

        var failure = await Assert.ThrowsAsync<ConnectorException>(() => harness.ReadPagesAsync("orders", Watermark.Start));

        Assert.Equal((ConnectorErrorCode.AuthenticationFailed, "woocommerce_rest_cannot_view"), (failure.Code, failure.VendorCode));
    }

    [Fact]
    public async Task ReadChanged_HtmlPageWithStatus200_FailsAsUnexpectedResponse()
    {
        await using var harness = await WooCommerceHarness.StartAsync();
        harness.Sandbox.Faults.Add(new Fault(_ => true, Times: 1, Status: 200, Body: "<!DOCTYPE html><html><body>Just a moment...</body></html>"));

        var failure = await Assert.ThrowsAsync<ConnectorException>(() => harness.ReadPagesAsync("customers", Watermark.Start));

        Assert.Equal(ConnectorErrorCode.UnexpectedResponse, failure.Code);
    }

    [Fact]
    public async Task ReadByIds_150Orders_TwoCallsWithInclude_UnknownAndMalformedIdsLeftOut()
    {
        await using var harness = await WooCommerceHarness.StartAsync();
        harness.Sandbox.Seed(10, seed: 10);
        var orders = harness.Sandbox.SeedOrders(200, seed: 11);
        var wanted = orders.Skip(20).Take(150).Select(o => o.Id.ToString()).ToList();

        var records = await harness.DriveAsync(harness.Connector.ReadByIdsAsync("orders", [.. wanted, "999999", "gid://x/1", "-4", wanted[0]], Token));

        Assert.Equal(wanted.Order(), records.Select(r => r.Key.Id).Order());
        var calls = harness.ListCalls("orders");
        Assert.Equal(2, calls.Count);
        Assert.Contains($"include={string.Join("%2C", wanted.Take(3))}", calls[0].Query, StringComparison.Ordinal);
        Assert.Contains("per_page=100", calls[0].Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadByIds_NoIdThatCouldExist_MakesNoCall()
    {
        await using var harness = await WooCommerceHarness.StartAsync();

        var records = await harness.Connector.ReadByIdsAsync("customers", ["", "abc", "0"], Token);

        Assert.Empty(records);
        Assert.Equal(0, harness.CallsToTheStore);
    }

    [Fact]
    public async Task ReadChanged_OtherStream_IsRefusedWithoutACall()
    {
        await using var harness = await WooCommerceHarness.StartAsync();

        var failure = await Assert.ThrowsAsync<ConnectorException>(() => harness.ReadPagesAsync("products", Watermark.Start));

        Assert.Equal(ConnectorErrorCode.InvalidRequest, failure.Code);
        Assert.Equal(0, harness.CallsToTheStore);
    }

    [Fact]
    public void Options_PlainHttpStoreSwappedKeysAndBadPageSize_FailNamingEachSettingButNoValue()
    {
        var options = new WooCommerceOptions
        {
            StoreUrl = new Uri("http://shop.example.com/"),
            ConsumerKey = "cs_secret_given_as_key",
            ConsumerSecret = "ck_key_given_as_secret",
            PageSize = 101,
        };

        var failure = Assert.Throws<ValidationException>(options.Validate);

        Assert.Contains("StoreUrl", failure.Message, StringComparison.Ordinal);
        Assert.Contains("ConsumerKey", failure.Message, StringComparison.Ordinal);
        Assert.Contains("ConsumerSecret", failure.Message, StringComparison.Ordinal);
        Assert.Contains("PageSize", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("cs_secret_given_as_key", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ck_key_given_as_secret", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_HttpsStoreOrLoopbackEmulator_AreAccepted()
    {
        new WooCommerceOptions { StoreUrl = new Uri("https://shop.example.com/"), ConsumerKey = "ck_1", ConsumerSecret = "cs_1" }.Validate();
        new WooCommerceOptions { StoreUrl = new Uri("http://127.0.0.1:8080/"), ConsumerKey = "ck_1", ConsumerSecret = "cs_1" }.Validate();
    }

    [Fact]
    public void ModifiedAfterFilter_IsTheSecondBeforeInUtcWithoutAZone()
    {
        var filter = WooCommerceConnector.ModifiedAfterFilter(new DateTimeOffset(2026, 11, 23, 10, 15, 30, TimeSpan.FromHours(1)));

        Assert.Equal("2026-11-23T09:15:29", filter);
    }
}
