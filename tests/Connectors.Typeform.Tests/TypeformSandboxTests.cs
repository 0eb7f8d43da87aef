using System.Net;
using System.Net.Http.Headers;
using Connectors.Sandbox.Typeform;
using Connectors.Testing;
using Newtonsoft.Json.Linq;

namespace Connectors.Typeform.Tests;

/// <summary>The emulator answers the way Typeform's Responses API is documented, so that connector tests against it mean something.</summary>
public sealed class TypeformSandboxTests
{
    [Fact]
    public async Task List_WithoutParameters_Gives25NewestFirstAndThePageCount()
    {
        await using var sandbox = await StartAsync();
        var responses = sandbox.Seed(TypeformHarness.Emails(60), seed: 1);

        var (status, body) = await GetAsync(sandbox, "");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((60, 3), (body!.Value<int>("total_items"), body.Value<int>("page_count")));
        Assert.Equal(responses.Reverse().Take(25).Select(r => r.Token), body["items"]!.Select(i => i.Value<string>("token")));
    }

    [Fact]
    public async Task List_AfterTogetherWithSort_IsRefused()
    {
        await using var sandbox = await StartAsync();
        var responses = sandbox.Seed(TypeformHarness.Emails(3), seed: 2);

        var (status, body) = await GetAsync(sandbox, $"?after={responses[0].Token}&sort=submitted_at,asc");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("VALIDATION_ERROR", body!.Value<string>("code"));
    }

    [Fact]
    public async Task List_PageSizeOverAThousand_IsRefused()
    {
        await using var sandbox = await StartAsync();

        var (status, _) = await GetAsync(sandbox, "?page_size=1001");

        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    [Fact]
    public async Task List_SinceIsInclusiveToTheSecond()
    {
        await using var sandbox = await StartAsync();
        var responses = sandbox.Seed(TypeformHarness.Emails(5), seed: 3);
        var since = responses[2].SubmittedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

        var (_, body) = await GetAsync(sandbox, $"?since={since}&sort=submitted_at,asc");

        Assert.Equal(responses.Skip(2).Select(r => r.Token), body!["items"]!.Select(i => i.Value<string>("token")));
    }

    [Fact]
    public async Task List_ThirdRequestInOneSecond_Is429()
    {
        await using var sandbox = await StartAsync();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++) statuses.Add((await GetAsync(sandbox, "")).Status);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(1, sandbox.RateLimitedCount);
    }

    [Fact]
    public async Task List_WithoutTheToken_Is401()
    {
        await using var sandbox = await StartAsync();
        using var http = new HttpClient { BaseAddress = sandbox.BaseUrl };

        using var response = await http.GetAsync(new Uri($"forms/{sandbox.FormId}/responses", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static Task<TypeformSandbox> StartAsync() =>
        TypeformSandbox.StartAsync(new TypeformSandboxOptions(), new WaitObservingClock(), TestContext.Current.CancellationToken);

    private static async Task<(HttpStatusCode Status, JObject? Body)> GetAsync(TypeformSandbox sandbox, string query)
    {
        using var http = new HttpClient { BaseAddress = sandbox.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", sandbox.AccessToken);
        using var response = await http.GetAsync(new Uri($"forms/{sandbox.FormId}/responses{query}", UriKind.Relative), TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response.StatusCode, text.Length == 0 ? null : JObject.Parse(text));
    }
}
