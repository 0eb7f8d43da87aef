using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Connectors.Sandbox.WooCommerce;
using Connectors.Testing;
using Newtonsoft.Json.Linq;

namespace Connectors.WooCommerce.Tests;

/// <summary>The emulator answers as WooCommerce's controllers do, so that the connector's tests mean something.</summary>
public sealed class WooCommerceSandboxTests : IAsyncLifetime
{
    private readonly WaitObservingClock _clock = new();
    private WooCommerceSandbox _store = null!;
    private HttpClient _http = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _store = await WooCommerceSandbox.StartAsync(new WooCommerceSandboxOptions(), _clock, Token);
        _http = new HttpClient { BaseAddress = _store.StoreUrl };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_store.ConsumerKey}:{_store.ConsumerSecret}")));
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _store.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, JToken Body, HttpResponseMessage Response)> GetAsync(string path)
    {
        var response = await _http.GetAsync(path, Token);
        return (response.StatusCode, JToken.Parse(await response.Content.ReadAsStringAsync(Token)), response);
    }

    [Fact]
    public async Task Customers_WithoutPaging_AnswerWordPressesDefaultTenWithTheTotals()
    {
        _store.Seed(25, seed: 1);

        var (status, body, response) = await GetAsync("wp-json/wc/v3/customers");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(10, ((JArray)body).Count);
        Assert.Equal("25", response.Headers.GetValues("X-WP-Total").Single());
        Assert.Equal("3", response.Headers.GetValues("X-WP-TotalPages").Single());
        Assert.Contains("rel=\"next\"", response.Headers.GetValues("Link").Single(), StringComparison.Ordinal);
        Assert.Equal(_clock.GetUtcNow(), response.Headers.Date);
    }

    [Fact]
    public async Task Customers_IgnoreModifiedAfter_AsTheEndpointDoesNotDeclareIt()
    {
        _store.Seed(5, seed: 2);

        var (_, body, _) = await GetAsync("wp-json/wc/v3/customers?modified_after=2099-01-01T00:00:00&dates_are_gmt=true");

        Assert.Equal(5, ((JArray)body).Count);
    }

    [Fact]
    public async Task Orders_ModifiedAfter_IsExclusiveAndReadInTheColumnOfDatesAreGmt()
    {
        _store.Seed(3, seed: 3);
        var order = _store.AddOrder(o => o.Status = "processing");
        var gmt = order.ModifiedAt.UtcDateTime;

        var atTheSecond = (JArray)(await GetAsync($"wp-json/wc/v3/orders?modified_after={gmt:yyyy-MM-dd'T'HH:mm:ss}&dates_are_gmt=true")).Body;
        var secondBefore = (JArray)(await GetAsync($"wp-json/wc/v3/orders?modified_after={gmt.AddSeconds(-1):yyyy-MM-dd'T'HH:mm:ss}&dates_are_gmt=true")).Body;
        // Without dates_are_gmt the value is compared with the site's local time (UTC+1 here).
        var localSecondBefore = (JArray)(await GetAsync($"wp-json/wc/v3/orders?modified_after={gmt.AddHours(1).AddSeconds(-1):yyyy-MM-dd'T'HH:mm:ss}")).Body;

        Assert.Empty(atTheSecond);
        Assert.Equal(order.Id, (long)Assert.Single(secondBefore)["id"]!);
        Assert.Equal(order.Id, (long)Assert.Single(localSecondBefore)["id"]!);
    }

    [Theory]
    [InlineData("wp-json/wc/v3/customers?per_page=101", "per_page")]
    [InlineData("wp-json/wc/v3/customers?orderby=modified", "orderby")]
    [InlineData("wp-json/wc/v3/orders?page=0", "page")]
    [InlineData("wp-json/wc/v3/orders?modified_after=yesterday", "modified_after")]
    public async Task List_InvalidParameter_Is400RestInvalidParamNamingIt(string path, string parameter)
    {
        var (status, body, _) = await GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("rest_invalid_param", (string?)body["code"]);
        Assert.NotNull(body["data"]!["params"]![parameter]);
    }

    [Fact]
    public async Task List_PagePastTheLast_IsAnEmptyList()
    {
        _store.Seed(3, seed: 4);

        var (status, body, response) = await GetAsync("wp-json/wc/v3/customers?page=5&per_page=2");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty((JArray)body);
        Assert.Equal("2", response.Headers.GetValues("X-WP-TotalPages").Single());
    }

    [Fact]
    public async Task List_WithoutCredentials_Is401CannotView_AndWithTheWrongSecretConsumerSecretIsInvalid()
    {
        using var anonymous = new HttpClient { BaseAddress = _store.StoreUrl };
        using var wrong = new HttpClient { BaseAddress = _store.StoreUrl };
        wrong.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_store.ConsumerKey}:cs_wrong")));

        using var none = await anonymous.GetAsync("wp-json/wc/v3/orders", Token);
        using var bad = await wrong.GetAsync("wp-json/wc/v3/orders", Token);

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (none.StatusCode, bad.StatusCode));
        Assert.Equal("woocommerce_rest_cannot_view", (string?)JObject.Parse(await none.Content.ReadAsStringAsync(Token))["code"]);
        Assert.Equal("Consumer secret is invalid.", (string?)JObject.Parse(await bad.Content.ReadAsStringAsync(Token))["message"]);
    }

    [Fact]
    public async Task Orders_DefaultStatusAny_LeavesTrashOut_AndIncludeReadsNamedOnes()
    {
        _store.Seed(5, seed: 5);
        var orders = _store.SeedOrders(6, seed: 5);
        _store.UpdateOrder(orders[0].Id, o => o.Status = "trash");

        var (_, all, _) = await GetAsync("wp-json/wc/v3/orders?per_page=100");
        var (_, named, _) = await GetAsync($"wp-json/wc/v3/orders?include={orders[1].Id},{orders[2].Id}");

        Assert.Equal(5, ((JArray)all).Count);
        Assert.Equal([orders[1].Id, orders[2].Id], ((JArray)named).Select(o => (long)o["id"]!).Order());
    }

    [Fact]
    public async Task Seed_SameSeed_GivesTheSameStore()
    {
        await using var other = await WooCommerceSandbox.StartAsync(new WooCommerceSandboxOptions(), _clock, Token);

        var first = _store.Seed(50, seed: 9);
        var second = other.Seed(50, seed: 9);

        Assert.Equal(first.Select(c => (c.Id, c.Email, c.LastName, c.ModifiedAt)), second.Select(c => (c.Id, c.Email, c.LastName, c.ModifiedAt)));
        Assert.Equal(50, first.Select(c => c.Email).Distinct().Count());
    }

    [Fact]
    public async Task SingleResource_IsTheListedOne_AndAnUnknownIdIs404()
    {
        _store.Seed(2, seed: 6);
        var order = _store.SeedOrders(1, seed: 6)[0];

        var (_, listed, _) = await GetAsync("wp-json/wc/v3/orders");
        var (status, single, _) = await GetAsync($"wp-json/wc/v3/orders/{order.Id}");
        var (missing, body, _) = await GetAsync("wp-json/wc/v3/customers/999999");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(JToken.DeepEquals(((JArray)listed)[0], single));
        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Equal("woocommerce_rest_invalid_id", (string?)body["code"]);
    }

    [Fact]
    public async Task UnknownRoute_Is404RestNoRoute()
    {
        var (status, body, _) = await GetAsync("wp-json/wc/v3/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("rest_no_route", (string?)body["code"]);
    }
}
