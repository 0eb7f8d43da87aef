using System.Net;
using System.Net.Http.Headers;
using Connectors.Sandbox.Zoho;
using Connectors.Testing;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Connectors.Zoho.Tests;

/// <summary>The emulator itself keeps Zoho's rules, so that the connector tests mean something.</summary>
public sealed class ZohoSandboxTests : IAsyncLifetime
{
    private readonly WaitObservingClock _clock = new();
    private ZohoSandbox _zoho = null!;
    private HttpClient _http = null!;

    public async ValueTask InitializeAsync()
    {
        _zoho = await ZohoSandbox.StartAsync(new ZohoSandboxOptions { SeedContacts = 2100 }, _clock, TestContext.Current.CancellationToken);
        _http = new HttpClient { BaseAddress = _zoho.ApiDomain };
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _zoho.DisposeAsync();
    }

    private static JObject Json(string text) =>
        JsonConvert.DeserializeObject<JObject>(text, new JsonSerializerSettings { DateParseHandling = DateParseHandling.None })!;

    private async Task<string> TokenAsync()
    {
        // The documented form: every grant field in the query string.
        var query = $"grant_type=refresh_token&client_id={Uri.EscapeDataString(_zoho.ClientId)}" +
            $"&client_secret={Uri.EscapeDataString(_zoho.ClientSecret)}&refresh_token={Uri.EscapeDataString(_zoho.RefreshToken)}";
        using var response = await _http.PostAsync(new Uri($"oauth/v2/token?{query}", UriKind.Relative), null, TestContext.Current.CancellationToken);
        var body = Json(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(3600, body.Value<int>("expires_in"));
        return body.Value<string>("access_token")!;
    }

    private async Task<(HttpStatusCode Status, JObject? Body)> SendAsync(HttpMethod method, string path, string? token, JObject? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Zoho-oauthtoken", token);
        if (body is not null) request.Content = new StringContent(body.ToString(), System.Text.Encoding.UTF8, "application/json");
        using var response = await _http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response.StatusCode, text.Length == 0 ? null : Json(text));
    }

    [Fact]
    public async Task List_WithoutFields_IsRefusedWithRequiredParamMissing()
    {
        var (status, body) = await SendAsync(HttpMethod.Get, "crm/v8/Contacts", await TokenAsync());

        Assert.Equal((HttpStatusCode.BadRequest, "REQUIRED_PARAM_MISSING"), (status, body!.Value<string>("code")));
    }

    [Fact]
    public async Task List_PageElevenAtTwoHundred_IsRefusedWithDiscretePaginationLimitExceeded()
    {
        var token = await TokenAsync();

        var (tenth, _) = await SendAsync(HttpMethod.Get, "crm/v8/Contacts?fields=Email&per_page=200&page=10", token);
        var (eleventh, body) = await SendAsync(HttpMethod.Get, "crm/v8/Contacts?fields=Email&per_page=200&page=11", token);

        Assert.Equal(HttpStatusCode.OK, tenth);
        Assert.Equal((HttpStatusCode.BadRequest, "DISCRETE_PAGINATION_LIMIT_EXCEEDED"), (eleventh, body!.Value<string>("code")));
    }

    [Fact]
    public async Task List_PageTokenUsedWithOtherParameters_IsRefusedAsBoundToItsQuery()
    {
        var token = await TokenAsync();
        var (_, first) = await SendAsync(HttpMethod.Get, "crm/v8/Contacts?fields=Email&per_page=200", token);
        var next = first!["info"]!.Value<string>("next_page_token");

        var (status, body) = await SendAsync(HttpMethod.Get, $"crm/v8/Contacts?fields=Last_Name&per_page=200&page_token={next}", token);

        Assert.True(first["info"]!.Value<bool>("more_records"));
        Assert.Equal((HttpStatusCode.BadRequest, "TOKEN_BOUND_DATA_MISMATCH"), (status, body!.Value<string>("code")));
    }

    [Fact]
    public async Task List_ModifiedTime_IsRenderedInTheUsersTimeZone()
    {
        var (_, body) = await SendAsync(HttpMethod.Get, "crm/v8/Contacts?fields=Modified_Time&per_page=1", await TokenAsync());

        Assert.EndsWith("+05:30", body!["data"]![0]!.Value<string>("Modified_Time"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upsert_MoreThanAHundredRecords_IsRefusedWithLimitExceeded()
    {
        var data = new JArray(Enumerable.Range(0, 101).Select(n => new JObject { ["Last_Name"] = "X", ["Email"] = $"x{n}@example.com" }));

        var (status, body) = await SendAsync(HttpMethod.Post, "crm/v8/Contacts/upsert", await TokenAsync(), new JObject { ["data"] = data });

        Assert.Equal((HttpStatusCode.BadRequest, "LIMIT_EXCEEDED"), (status, body!.Value<string>("code")));
        Assert.Equal(2100, _zoho.Contacts.Count);
    }

    [Fact]
    public async Task Calls_WithUnknownOrExpiredToken_AreRefusedWithInvalidToken()
    {
        var token = await TokenAsync();
        _clock.Advance(TimeSpan.FromHours(1));

        var (expired, body) = await SendAsync(HttpMethod.Get, "crm/v8/Contacts?fields=Email", token);
        var (missing, _) = await SendAsync(HttpMethod.Get, "crm/v8/Contacts?fields=Email", null);

        Assert.Equal((HttpStatusCode.Unauthorized, "INVALID_TOKEN"), (expired, body!.Value<string>("code")));
        Assert.Equal(HttpStatusCode.Unauthorized, missing);
    }

    [Fact]
    public async Task TokenGrant_WithWrongSecret_IsRefusedWithInvalidClient()
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["client_id"] = _zoho.ClientId, ["client_secret"] = "nope", ["refresh_token"] = _zoho.RefreshToken,
        });

        using var response = await _http.PostAsync(new Uri("oauth/v2/token", UriKind.Relative), form, TestContext.Current.CancellationToken);

        var body = Json(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("invalid_client", body.Value<string>("error"));
        Assert.Null(body["access_token"]);
    }

    [Fact]
    public async Task SameSeed_GivesTheSameContacts()
    {
        await using var twin = await ZohoSandbox.StartAsync(new ZohoSandboxOptions { SeedContacts = 2100 }, _clock, TestContext.Current.CancellationToken);

        Assert.Equal(_zoho.Contacts.All().Select(c => c.ToString()), twin.Contacts.All().Select(c => c.ToString()));
    }
}
