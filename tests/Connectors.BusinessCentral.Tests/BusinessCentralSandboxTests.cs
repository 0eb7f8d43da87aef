using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Connectors.Sandbox.BusinessCentral;
using Connectors.Testing;
using Newtonsoft.Json.Linq;

namespace Connectors.BusinessCentral.Tests;

/// <summary>The emulator's own contract, spoken to over raw HTTP, so that the connector's tests rest on documented behaviour.</summary>
public sealed class BusinessCentralSandboxTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Patch_WithoutIfMatch_Is400InvalidTokenAndChangesNothing()
    {
        var clock = new WaitObservingClock();
        await using var sandbox = await BusinessCentralSandbox.StartAsync(new BusinessCentralSandboxOptions(), clock, Cancel);
        var customer = sandbox.Seed(1, seed: 1)[0];
        using var http = await AuthorizedClientAsync(sandbox);

        using var response = await http.PatchAsync(CustomerUrl(sandbox, (string)customer["id"]!), Json(new JObject { ["city"] = "Paris" }), Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JObject.Parse(await response.Content.ReadAsStringAsync(Cancel))["error"]!;
        Assert.Equal("BadRequest_InvalidToken", (string)error["code"]!);
        Assert.StartsWith("Could not validate the client concurrency token", (string)error["message"]!);
        Assert.True(JToken.DeepEquals(customer, sandbox.Find((string)customer["id"]!)));
    }

    [Fact]
    public async Task Patch_WithTheCurrentEtag_ChangesTheEtagAndStampsTheClocksTime_AndTheOldEtagIsThenStale()
    {
        var clock = new WaitObservingClock();
        await using var sandbox = await BusinessCentralSandbox.StartAsync(new BusinessCentralSandboxOptions(), clock, Cancel);
        var customer = sandbox.Seed(1, seed: 1)[0];
        var etag = (string)customer["@odata.etag"]!;
        using var http = await AuthorizedClientAsync(sandbox);
        clock.Advance(TimeSpan.FromSeconds(90));

        using var first = await PatchAsync(http, sandbox, (string)customer["id"]!, etag, new JObject { ["city"] = "Paris" });
        using var second = await PatchAsync(http, sandbox, (string)customer["id"]!, etag, new JObject { ["city"] = "Rome" });

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var updated = Parse(await first.Content.ReadAsStringAsync(Cancel));
        Assert.NotEqual(etag, (string)updated["@odata.etag"]!);
        Assert.Matches("^W/\"JzQ0O[A-Za-z0-9+/=]+\"$", (string)updated["@odata.etag"]!);
        Assert.Equal("2026-11-23T09:01:30.000Z", (string)updated["lastModifiedDateTime"]!);
        Assert.Equal(HttpStatusCode.PreconditionFailed, second.StatusCode);
        Assert.Equal("Request_EntityChanged", (string)JObject.Parse(await second.Content.ReadAsStringAsync(Cancel))["error"]!["code"]!);
        Assert.Equal("Paris", (string)sandbox.Find((string)customer["id"]!)!["city"]!);
    }

    [Fact]
    public async Task Api_WithATokenPastItsLifetimeOnTheClock_Is401()
    {
        var clock = new WaitObservingClock();
        await using var sandbox = await BusinessCentralSandbox.StartAsync(new BusinessCentralSandboxOptions { TokenLifetime = TimeSpan.FromMinutes(60) }, clock, Cancel);
        using var http = await AuthorizedClientAsync(sandbox);
        var customers = new Uri($"{sandbox.ApiBaseUrl}/companies({sandbox.CompanyId})/customers");

        using var fresh = await http.GetAsync(customers, Cancel);
        clock.Advance(TimeSpan.FromMinutes(60));
        using var expired = await http.GetAsync(customers, Cancel);

        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Equal("Authentication_InvalidCredentials", (string)JObject.Parse(await expired.Content.ReadAsStringAsync(Cancel))["error"]!["code"]!);
    }

    [Fact]
    public async Task Seed_WithTheSameSeed_GivesTheSameCustomers()
    {
        var clock = new WaitObservingClock();
        await using var one = await BusinessCentralSandbox.StartAsync(new BusinessCentralSandboxOptions(), clock, Cancel);
        await using var two = await BusinessCentralSandbox.StartAsync(new BusinessCentralSandboxOptions(), clock, Cancel);

        var first = one.Seed(10, seed: 42);
        var second = two.Seed(10, seed: 42);

        Assert.Equal(first.Select(c => c.ToString()), second.Select(c => c.ToString()));
        Assert.Equal(10, first.Select(c => (string)c["email"]!).Distinct().Count());
    }

    private static async Task<HttpClient> AuthorizedClientAsync(BusinessCentralSandbox sandbox)
    {
        var http = new HttpClient();
        using var token = await http.PostAsync(sandbox.TokenEndpoint, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = sandbox.ClientId,
            ["client_secret"] = sandbox.ClientSecret,
            ["scope"] = BusinessCentralSandbox.Scope,
        }), Cancel);
        token.EnsureSuccessStatusCode();
        var accessToken = (string)JObject.Parse(await token.Content.ReadAsStringAsync(Cancel))["access_token"]!;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return http;
    }

    private static Uri CustomerUrl(BusinessCentralSandbox sandbox, string id) => new($"{sandbox.ApiBaseUrl}/companies({sandbox.CompanyId})/customers({id})");

    private static Task<HttpResponseMessage> PatchAsync(HttpClient http, BusinessCentralSandbox sandbox, string id, string etag, JObject changes)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, CustomerUrl(sandbox, id)) { Content = Json(changes) };
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        return http.SendAsync(request, Cancel);
    }

    // As the connector reads it: dates stay the strings Business Central sent.
    private static JObject Parse(string json) =>
        Newtonsoft.Json.JsonConvert.DeserializeObject<JObject>(json, new Newtonsoft.Json.JsonSerializerSettings { DateParseHandling = Newtonsoft.Json.DateParseHandling.None })!;

    private static StringContent Json(JObject body) => new(body.ToString(), Encoding.UTF8, "application/json");
}
