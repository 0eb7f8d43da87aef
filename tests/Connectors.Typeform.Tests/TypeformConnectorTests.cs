using System.ComponentModel.DataAnnotations;
using Connectors.Core.Connectors;
using Connectors.Core.Sync;
using Connectors.Sandbox;
using Connectors.Sandbox.Typeform;
using Newtonsoft.Json.Linq;

namespace Connectors.Typeform.Tests;

public sealed class TypeformConnectorTests
{
    [Fact]
    public async Task ReadChanged_2500Responses_ThreePagesInSubmittedOrderPacedAtTwoASecondWithNo429()
    {
        await using var harness = await TypeformHarness.StartAsync();
        harness.Sandbox.Seed(TypeformHarness.Emails(2500), seed: 1);
        var started = harness.Clock.GetUtcNow();

        var pages = await harness.ReadPagesAsync(Watermark.Start);

        Assert.Equal([1000, 1000, 500], pages.Select(p => p.Records.Count));
        var records = pages.SelectMany(p => p.Records).ToList();
        Assert.Equal(harness.Sandbox.Responses.Select(r => r.Token), records.Select(r => r.Key.Id));
        Assert.True(records.Zip(records.Skip(1)).All(pair => pair.First.Modified <= pair.Second.Modified), "records are not in submitted_at order");
        Assert.All(pages, p => Assert.Equal(p.Records[^1].Modified, p.Checkpoint!.Modified));
        Assert.Equal(3, harness.CallsToTypeform);
        Assert.Equal(0, harness.Sandbox.RateLimitedCount);
        // Three calls at two a second: the second waits half a second, the third another half.
        Assert.Equal(TimeSpan.FromSeconds(1), harness.Clock.GetUtcNow() - started);
        var calls = harness.ResponseCalls;
        Assert.Contains("sort=submitted_at%2Casc", calls[0].Query, StringComparison.Ordinal);
        Assert.DoesNotContain("after=", calls[0].Query, StringComparison.Ordinal);
        Assert.Contains($"after={records[999].Key.Id}", calls[1].Query, StringComparison.Ordinal);
        Assert.DoesNotContain("sort=", calls[1].Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadChanged_SinceTheWatermark_ReturnsTheNewResponsesAndTheBoundarySecondOnly()
    {
        await using var harness = await TypeformHarness.StartAsync();
        harness.Sandbox.Seed(TypeformHarness.Emails(40), seed: 2);
        var watermark = (await harness.ReadPagesAsync(Watermark.Start))[^1].Checkpoint!;
        harness.Clock.Advance(TimeSpan.FromMinutes(5));
        var added = new[]
        {
            harness.Sandbox.AddResponse(r => { r.Email = "late@example.com"; r.Score = 2; r.Comment = "Still waiting for my parcel."; }),
            harness.Sandbox.AddResponse(r => { r.Email = "later@example.com"; r.Score = 10; }),
        };

        var records = (await harness.ReadPagesAsync(watermark)).SelectMany(p => p.Records).ToList();

        Assert.Superset(added.Select(r => r.Token).ToHashSet(), records.Select(r => r.Key.Id).ToHashSet());
        Assert.All(records.Where(r => !added.Any(a => a.Token == r.Key.Id)), r => Assert.Equal(watermark.Modified, r.Modified));
        Assert.Contains($"since={watermark.Modified!.Value.UtcDateTime:yyyy-MM-dd'T'HH'%3A'mm'%3A'ss}", harness.ResponseCalls[^1].Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadChanged_Record_CarriesTheResponseAndItsAnswersByRef()
    {
        await using var harness = await TypeformHarness.StartAsync();
        var response = harness.Sandbox.AddResponse(r => { r.Email = "ada@example.com"; r.Score = 3; r.Comment = "Parcel damaged."; });

        var record = Assert.Single((await harness.ReadPagesAsync(Watermark.Start)).SelectMany(p => p.Records));

        Assert.Equal(("survey.responses", response.Token), (record.Key.Stream, record.Key.Id));
        Assert.Equal(response.SubmittedAt, record.Modified);
        Assert.Equal(3, record.Data["answers_by_ref"]!.Value<int>("nps"));
        Assert.Equal("Parcel damaged.", record.Data["answers_by_ref"]!.Value<string>("comment"));
        Assert.Equal("ada@example.com", record.Data["hidden"]!.Value<string>("email"));
        Assert.Equal("nps", record.Data["answers"]![0]!["field"]!.Value<string>("type"));
    }

    [Fact]
    public void AnswersByRef_ChoicesBooleansAndQuestionsWithoutRef_AreReadByTheirType()
    {
        var response = JObject.Parse("""
            {"answers":[
              {"field":{"id":"f1","type":"multiple_choice","ref":"reason"},"type":"choice","choice":{"label":"Delivery"}},
              {"field":{"id":"f2","type":"multiple_choice","ref":"topics"},"type":"choices","choices":{"labels":["Price","Quality"]}},
              {"field":{"id":"f3","type":"yes_no"},"type":"boolean","boolean":true},
              {"field":{"id":"f4","type":"rating","ref":"csat"},"type":"number","number":4},
              {"field":{"id":"f5","type":"email","ref":"email"},"type":"email","email":"ada@example.com"}
            ]}
            """);

        var byRef = TypeformConnector.AnswersByRef(response);

        Assert.Equal("Delivery", byRef.Value<string>("reason"));
        Assert.Equal(["Price", "Quality"], byRef["topics"]!.Values<string>());
        Assert.True(byRef.Value<bool>("f3"));
        Assert.Equal(4, byRef.Value<int>("csat"));
        Assert.Equal("ada@example.com", byRef.Value<string>("email"));
    }

    [Fact]
    public async Task ReadChanged_SmallPages_FollowTheAfterTokenToTheEndWithoutRepeats()
    {
        await using var harness = await TypeformHarness.StartAsync(o => o.PageSize = 7);
        harness.Sandbox.Seed(TypeformHarness.Emails(20), seed: 3);

        var pages = await harness.ReadPagesAsync(Watermark.Start);

        Assert.Equal([7, 7, 6], pages.Select(p => p.Records.Count));
        Assert.Equal(20, pages.SelectMany(p => p.Records).Select(r => r.Key.Id).Distinct().Count());
        Assert.Equal(3, harness.ResponseCalls.Count);
    }

    [Fact]
    public async Task ReadChanged_FasterThanTheAccountAllows_Gets429AndRetriesOnTheClockUntilEveryPageIsRead()
    {
        await using var harness = await TypeformHarness.StartAsync(o =>
        {
            o.PageSize = 5;
            o.RequestsPerSecond = 100;
        });
        harness.Sandbox.Seed(TypeformHarness.Emails(30), seed: 4);

        var pages = await harness.ReadPagesAsync(Watermark.Start);

        Assert.Equal(30, pages.Sum(p => p.Records.Count));
        Assert.True(harness.Sandbox.RateLimitedCount >= 1);
        Assert.Equal(harness.Sandbox.RateLimitedCount, harness.ResponseCalls.Count(c => c.Status == 429));
        Assert.Equal(6, harness.ResponseCalls.Count(c => c.Status == 200));
    }

    [Fact]
    public async Task ReadChanged_429WithRetryAfter_WaitsThatLongThenSucceeds()
    {
        await using var harness = await TypeformHarness.StartAsync();
        harness.Sandbox.Seed(TypeformHarness.Emails(3), seed: 5);
        harness.Sandbox.Faults.Add(new Fault(_ => true, Times: 1, Status: 429, RetryAfter: TimeSpan.FromSeconds(3)));

        var read = harness.CollectAsync(Watermark.Start);
        var wait = await harness.Clock.AdvancePastNextWaitAsync(w => w == TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken);
        var pages = await harness.DriveAsync(read);

        Assert.Equal(TimeSpan.FromSeconds(3), wait);
        Assert.Equal([429, 200], harness.ResponseCalls.Select(c => c.Status));
        Assert.Equal(3, pages.Sum(p => p.Records.Count));
    }

    [Fact]
    public async Task ReadChanged_429BeyondTheRetries_FailsAsThrottled()
    {
        await using var harness = await TypeformHarness.StartAsync(o => o.Resilience.MaxRetries = 1);
        harness.Sandbox.Faults.Add(new Fault(_ => true, Times: 5, Status: 429, RetryAfter: TimeSpan.FromSeconds(1)));

        var failure = await Assert.ThrowsAsync<ConnectorException>(() => harness.ReadPagesAsync(Watermark.Start));

        Assert.Equal(ConnectorErrorCode.Throttled, failure.Code);
        Assert.Equal(2, harness.ResponseCalls.Count);
    }

    [Fact]
    public async Task ReadChanged_ServerErrorOnce_IsRetriedAndSucceeds()
    {
        await using var harness = await TypeformHarness.StartAsync();
        harness.Sandbox.Seed(TypeformHarness.Emails(3), seed: 6);
        harness.Sandbox.Faults.Add(new Fault(_ => true, Times: 1, Status: 503));

        var pages = await harness.ReadPagesAsync(Watermark.Start);

        Assert.Equal([503, 200], harness.ResponseCalls.Select(c => c.Status));
        Assert.Equal(3, pages.Sum(p => p.Records.Count));
    }

    [Fact]
    public async Task ReadChanged_WrongToken_FailsAsAuthenticationWithoutTheTokenInTheMessage()
    {
        const string wrongToken = "tfp_wrong_token_77e1";
        await using var harness = await TypeformHarness.StartAsync(o => o.AccessToken = wrongToken);

        var failure = await Assert.ThrowsAsync<ConnectorException>(() => harness.ReadPagesAsync(Watermark.Start));

        Assert.Equal(ConnectorErrorCode.AuthenticationFailed, failure.Code);
        Assert.DoesNotContain(wrongToken, failure.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(harness.Sandbox.AccessToken, failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadChanged_UnknownForm_FailsAsInvalidRequestWithTypeformsCode()
    {
        await using var harness = await TypeformHarness.StartAsync(o => o.FormId = "nope42");

        var failure = await Assert.ThrowsAsync<ConnectorException>(() => harness.ReadPagesAsync(Watermark.Start));

        Assert.Equal((ConnectorErrorCode.InvalidRequest, "FORM_NOT_FOUND"), (failure.Code, failure.VendorCode));
    }

    [Fact]
    public async Task ReadByIds_NamedResponses_OneCallUnknownIdsLeftOut()
    {
        await using var harness = await TypeformHarness.StartAsync();
        var responses = harness.Sandbox.Seed(TypeformHarness.Emails(10), seed: 7);
        var wanted = responses.Take(3).Select(r => r.Token).ToList();

        var records = await harness.DriveAsync(harness.Connector.ReadByIdsAsync("responses", [.. wanted, "unknowntoken"], TestContext.Current.CancellationToken));

        Assert.Equal(wanted.Order(), records.Select(r => r.Key.Id).Order());
        var call = Assert.Single(harness.ResponseCalls);
        Assert.Contains("included_response_ids=", call.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_WithoutTokenOrForm_FailAtRegistrationNamingTheSettings()
    {
        var failure = Assert.Throws<ValidationException>(() => new TypeformOptions { FormId = "", AccessToken = "" }.Validate());

        Assert.Contains("AccessToken", failure.Message, StringComparison.Ordinal);
        Assert.Contains("FormId", failure.Message, StringComparison.Ordinal);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task ReadChanged_OtherStream_IsRefused()
    {
        await using var harness = await TypeformHarness.StartAsync();

        var failure = await Assert.ThrowsAsync<ConnectorException>(async () =>
        {
            await foreach (var _ in harness.Connector.ReadChangedAsync("forms", Watermark.Start, TestContext.Current.CancellationToken))
            {
            }
        });

        Assert.Equal(ConnectorErrorCode.InvalidRequest, failure.Code);
        Assert.Empty(harness.ResponseCalls);
    }
}
