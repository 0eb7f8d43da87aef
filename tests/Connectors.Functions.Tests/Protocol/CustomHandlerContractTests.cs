using System.Net;
using System.Text;
using Connectors.Core.Queue;
using Connectors.Functions.Hosting;
using Connectors.Functions.Tests.Infrastructure;
using Connectors.Functions.Worker;
using Connectors.Sandbox;
using Connectors.Shopify;
using Connectors.Testing;
using Newtonsoft.Json.Linq;

namespace Connectors.Functions.Tests.Protocol;

/// <summary>
/// The host-to-handler contract, replayed with the payload shapes the Azure Functions documentation gives
/// for each trigger (the real host cannot run here), against the real server, connectors and emulators.
/// </summary>
public sealed class CustomHandlerContractTests : IAsyncLifetime
{
    private const string KnownBody = """{"id":123,"email":"jane@example.com"}""";
    private const string KnownSignature = "bXcNEfIfV+zunWaWSCXt0gsM8Q0sFfB1PHTCdyz2NHw=";

    private readonly WaitObservingClock _clock = new();
    private ShopToCrm _world = null!;
    private RunningApp _app = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _world = await ShopToCrm.StartAsync(_clock, Token);
        _app = await RunningApp.StartAsync(_world.BuildApp(_clock, new FunctionAppSettings { WebhookMaxBodyBytes = 4096, WebhookMaxAge = TimeSpan.FromMinutes(10) }), Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _world.DisposeAsync();
    }

    private static JObject HttpTrigger(string body, Dictionary<string, string> headers, string system = "shop") => new()
    {
        ["Data"] = new JObject
        {
            ["req"] = new JObject
            {
                ["Url"] = $"http://localhost:7071/api/webhooks/{system}",
                ["Method"] = "POST",
                ["Query"] = "{}",
                ["Headers"] = new JObject(headers.Select(h => new JProperty(h.Key, new JArray(h.Value)))),
                ["Params"] = new JObject { ["system"] = system },
                ["Body"] = body,
            },
        },
        ["Metadata"] = new JObject { ["sys"] = new JObject { ["MethodName"] = "webhook", ["UtcNow"] = "2026-11-23T09:00:00Z", ["RandGuid"] = Guid.NewGuid().ToString() } },
    };

    private Dictionary<string, string> ShopifyHeaders(string? signature, string eventId = "evt-1") => new()
    {
        ["Content-Type"] = "application/json",
        [ShopifyWebhooks.TopicHeader] = "customers/update",
        [ShopifyWebhooks.ShopDomainHeader] = _world.Shop.ShopDomain,
        [ShopifyWebhooks.EventIdHeader] = eventId,
        [ShopifyWebhooks.WebhookIdHeader] = Guid.NewGuid().ToString(),
        [ShopifyWebhooks.TriggeredAtHeader] = _clock.GetUtcNow().ToString("o"),
        [ShopifyWebhooks.HmacHeader] = signature ?? "",
    };

    private static JObject QueueTrigger(string message, long dequeueCount) => new()
    {
        ["Data"] = new JObject { ["msg"] = message },
        ["Metadata"] = new JObject
        {
            ["DequeueCount"] = dequeueCount,
            ["ExpirationTime"] = "2026-11-30T09:00:00+00:00",
            ["Id"] = "800ae4b3-bdd2-4c08-badd-f08e5a34b865",
            ["InsertionTime"] = "2026-11-23T09:00:00+00:00",
            ["NextVisibleTime"] = "2026-11-23T09:10:00+00:00",
            ["PopReceipt"] = "AgAAAAMAAAAAAAAAAgtnj8x+1QE=",
            ["sys"] = new JObject { ["MethodName"] = "sync-worker", ["UtcNow"] = "2026-11-23T09:00:01Z", ["RandGuid"] = Guid.NewGuid().ToString() },
        },
    };

    private async Task<IReadOnlyList<SyncRequest>> DrainQueueAsync()
    {
        var messages = await _app.App.Storage.Queue.ReceiveAsync(32, TimeSpan.FromMinutes(5), Token);
        return messages.Select(m => SyncRequest.FromJson(m.Body)).ToArray();
    }

    [Fact]
    public async Task Get_Root_AnswersSoTheHostKnowsTheHandlerIsUp()
    {
        using var response = await _app.Client.GetAsync("/", Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Webhook_KnownShopifyVector_IsVerifiedAndQueuesOneSmallRequest()
    {
        Assert.Equal(KnownSignature, ShopifyWebhooks.Sign(Encoding.UTF8.GetBytes(KnownBody), "test-secret"));

        var (status, answer) = await _app.InvokeAsync("webhook", HttpTrigger(KnownBody, ShopifyHeaders(KnownSignature)), Token);

        Assert.Equal(200, status);
        Assert.Equal(200, (int)answer["Outputs"]!["res"]!["statusCode"]!);
        Assert.Contains("queued", (string)answer["Outputs"]!["res"]!["body"]!, StringComparison.Ordinal);
        Assert.NotNull(answer["Logs"]);
        Assert.True(answer.ContainsKey("ReturnValue"));
        var request = Assert.Single(await DrainQueueAsync());
        Assert.Equal((ShopToCrm.Flow, "shop.customers", "sandbox-shop.myshopify.com/evt-1"), (request.Flow, request.Stream, request.EventId));
        Assert.Equal(["123"], request.RecordIds);
    }

    [Fact]
    public async Task Webhook_WrongSignature_Is401AndQueuesNothing()
    {
        var forged = ShopifyWebhooks.Sign(Encoding.UTF8.GetBytes(KnownBody), "not-the-secret");

        var (_, answer) = await _app.InvokeAsync("webhook", HttpTrigger(KnownBody, ShopifyHeaders(forged)), Token);

        Assert.Equal(401, (int)answer["Outputs"]!["res"]!["statusCode"]!);
        Assert.DoesNotContain("test-secret", answer.ToString(), StringComparison.Ordinal);
        Assert.Empty(await DrainQueueAsync());
    }

    [Fact]
    public async Task Webhook_MissingSignatureHeader_Is401()
    {
        var headers = ShopifyHeaders(KnownSignature);
        headers.Remove(ShopifyWebhooks.HmacHeader);

        var (_, answer) = await _app.InvokeAsync("webhook", HttpTrigger(KnownBody, headers), Token);

        Assert.Equal(401, (int)answer["Outputs"]!["res"]!["statusCode"]!);
        Assert.Empty(await DrainQueueAsync());
    }

    [Fact]
    public async Task Webhook_BodyOverTheLimit_Is413_ForwardedOrSentStraight()
    {
        var body = "{\"id\":123,\"note\":\"" + new string('x', 5000) + "\"}";
        var signature = ShopifyWebhooks.Sign(Encoding.UTF8.GetBytes(body), "test-secret");

        var (_, forwarded) = await _app.InvokeAsync("webhook", HttpTrigger(body, ShopifyHeaders(signature)), Token);
        using var direct = new HttpRequestMessage(HttpMethod.Post, "api/webhooks/shop") { Content = new StringContent(body + new string(' ', 1_000_000)) };
        using var response = await _app.Client.SendAsync(direct, Token);

        Assert.Equal(413, (int)forwarded["Outputs"]!["res"]!["statusCode"]!);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(await DrainQueueAsync());
    }

    [Fact]
    public async Task Webhook_SameEventDeliveredTwice_IsAcceptedBothTimesAndQueuedOnce()
    {
        var customer = _world.Shop.Seed(1, seed: 3)[0];

        using var first = await _app.Client.SendAsync(_world.Delivery(_app.Address, customer.Id, "evt-42", _clock.GetUtcNow()), Token);
        using var again = await _app.Client.SendAsync(_world.Delivery(_app.Address, customer.Id, "evt-42", _clock.GetUtcNow()), Token);
        using var other = await _app.Client.SendAsync(_world.Delivery(_app.Address, customer.Id, "evt-43", _clock.GetUtcNow()), Token);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, again.StatusCode, other.StatusCode));
        Assert.Contains("duplicate", await again.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Equal(["sandbox-shop.myshopify.com/evt-42", "sandbox-shop.myshopify.com/evt-43"], (await DrainQueueAsync()).Select(r => r.EventId).Order());
    }

    [Fact]
    public async Task Webhook_TriggeredLongerAgoThanTheWindow_IsAcknowledgedAndDropped()
    {
        var customer = _world.Shop.Seed(1, seed: 4)[0];

        using var stale = await _app.Client.SendAsync(_world.Delivery(_app.Address, customer.Id, "evt-old", _clock.GetUtcNow().AddMinutes(-11)), Token);

        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.Contains("stale", await stale.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Empty(await DrainQueueAsync());
    }

    [Fact]
    public async Task SyncWorker_DocumentedQueuePayload_SyncsTheNamedCustomersAsTheyAreNow()
    {
        var customers = _world.Shop.Seed(3, seed: 5);
        _world.Shop.UpdateCustomer(customers[0].Id, c => c.LastName = "Changed-After-The-Webhook");
        var message = new SyncRequest(ShopToCrm.Flow, "shop.customers", [.. customers.Select(c => c.Id.ToString())], "evt-1", _clock.GetUtcNow()).ToJson();
        // Property names in another case than the documentation's: the host's reader is case-insensitive, so is ours.
        var payload = QueueTrigger(message, dequeueCount: 1);
        payload = new JObject { ["data"] = payload["Data"], ["metadata"] = payload["Metadata"] };

        var (status, answer) = await _app.InvokeAsync("sync-worker", payload, Token);

        Assert.Equal(200, status);
        Assert.NotEmpty(answer["Logs"]!);
        Assert.Equal(3, _world.Crm.Contacts.Count);
        var changed = _world.Crm.Contacts.FindByEmail(customers[0].Email!.ToLowerInvariant());
        Assert.Equal("Changed-After-The-Webhook", (string?)changed!["Last_Name"]);
    }

    [Fact]
    public async Task SyncWorker_SyncFails_Answers500SoTheHostRetries_AndDeadLettersOnTheLastAttempt()
    {
        var customer = _world.Shop.Seed(1, seed: 6)[0];
        _world.Shop.Faults.Add(new Fault(_ => true, int.MaxValue, 500));
        var message = new SyncRequest(ShopToCrm.Flow, "shop.customers", [customer.Id.ToString()], "evt-9", _clock.GetUtcNow()).ToJson();

        var (firstStatus, first) = await _app.InvokeAsync("sync-worker", QueueTrigger(message, dequeueCount: 1), Token);
        var lettersAfterFirst = await _app.App.Storage.State.GetDeadLettersAsync(ShopToCrm.Flow, Token);
        var (lastStatus, _) = await _app.InvokeAsync("sync-worker", QueueTrigger(message, dequeueCount: 5), Token);

        Assert.Equal(500, firstStatus);
        Assert.Contains("attempt 1 of 5", (string)first["Logs"]![0]!, StringComparison.Ordinal);
        Assert.Empty(lettersAfterFirst);
        Assert.Equal(500, lastStatus);
        var letter = Assert.Single(await _app.App.Storage.State.GetDeadLettersAsync(ShopToCrm.Flow, Token));
        Assert.Equal((SyncWorker.PoisonCode, customer.Id.ToString()), (letter.Code, letter.Source.Id));
        Assert.Contains("Shopify kept failing (HTTP 500)", letter.Message, StringComparison.Ordinal);
        Assert.Equal(0, _world.Crm.Contacts.Count);
    }

    [Fact]
    public async Task SyncWorker_MessageOfSeveralRecordsFailingAgain_IsSplitSoTheBadRecordFailsAlone()
    {
        var customers = _world.Shop.Seed(3, seed: 8);
        var bad = customers[1].Id.ToString();
        _world.Shop.Faults.Add(new Fault(request => BodyOf(request).Contains(bad, StringComparison.Ordinal), int.MaxValue, 500));
        var message = new SyncRequest(ShopToCrm.Flow, "shop.customers", [.. customers.Select(c => c.Id.ToString())], null, _clock.GetUtcNow()).ToJson();

        var (firstStatus, _) = await _app.InvokeAsync("sync-worker", QueueTrigger(message, dequeueCount: 1), Token);
        var afterFirst = await DrainQueueAsync();
        var (secondStatus, _) = await _app.InvokeAsync("sync-worker", QueueTrigger(message, dequeueCount: 2), Token);
        var split = await DrainQueueAsync();
        var statuses = new Dictionary<string, int>();
        foreach (var one in split)
        {
            statuses[one.RecordIds.Single()] = (await _app.InvokeAsync("sync-worker", QueueTrigger(one.ToJson(), dequeueCount: 1), Token)).Status;
        }

        Assert.Equal(500, firstStatus);
        Assert.Empty(afterFirst);
        Assert.Equal(200, secondStatus);
        Assert.Equal(customers.Select(c => c.Id.ToString()).Order(), split.Select(r => r.RecordIds.Single()).Order());
        Assert.Equal(500, statuses[bad]);
        Assert.All(statuses.Where(s => s.Key != bad), s => Assert.Equal(200, s.Value));
        Assert.Equal(2, _world.Crm.Contacts.Count);
    }

    private static string BodyOf(Microsoft.AspNetCore.Http.HttpRequest request)
    {
        // The sandbox buffers every body before it asks its faults, so the body can be read here and rewound.
        request.Body.Position = 0;
        using var reader = new StreamReader(request.Body, Encoding.UTF8, leaveOpen: true);
        var body = reader.ReadToEnd();
        request.Body.Position = 0;
        return body;
    }

    [Fact]
    public async Task ScheduledSync_TimerPayload_RunsADueFlowOnce_AndAfterDowntimeCatchesUpOnce()
    {
        var customers = _world.Shop.Seed(5, seed: 7);

        var (firstStatus, first) = await _app.InvokeAsync("scheduled-sync", TimerPayload.Create(isPastDue: false), Token);
        _clock.Advance(TimeSpan.FromMinutes(15));
        var (dueStatus, due) = await _app.InvokeAsync("scheduled-sync", TimerPayload.Create(isPastDue: false), Token);
        _clock.Advance(TimeSpan.FromHours(3));
        _world.Shop.UpdateCustomer(customers[0].Id, c => c.LastName = "Renamed-While-Down");
        _world.Shop.UpdateCustomer(customers[1].Id, c => c.LastName = "Also-Renamed");
        var (_, catchUp) = await _app.InvokeAsync("scheduled-sync", TimerPayload.Create(isPastDue: true), Token);
        var (_, right) = await _app.InvokeAsync("scheduled-sync", TimerPayload.Create(isPastDue: false), Token);

        Assert.Equal((200, 200), (firstStatus, dueStatus));
        Assert.Contains("No flow is due.", first["Logs"]!.Values<string>());
        Assert.Contains(due["Logs"]!.Values<string>(), l => l!.StartsWith($"Flow {ShopToCrm.Flow}: Completed: read 5, created 5", StringComparison.Ordinal));
        Assert.True(catchUp["Logs"]!.Values<string>().Count(l => l!.Contains("Completed (past due)", StringComparison.Ordinal) && l.Contains("updated 2", StringComparison.Ordinal)) == 1, catchUp.ToString());
        Assert.Contains("No flow is due.", right["Logs"]!.Values<string>());
        Assert.Equal(5, _world.Crm.Contacts.Count);
        Assert.Equal("Renamed-While-Down", (string?)_world.Crm.Contacts.FindByEmail(customers[0].Email!.ToLowerInvariant())!["Last_Name"]);
    }

    [Fact]
    public async Task Reconcile_TimerPayload_WithNoFlowScheduledForIt_RunsNothing()
    {
        var (status, answer) = await _app.InvokeAsync("reconcile", TimerPayload.Create(isPastDue: false, "reconcile"), Token);

        Assert.Equal(200, status);
        Assert.Contains("No flow is due.", answer["Logs"]!.Values<string>());
    }

    [Fact]
    public async Task UnknownFunction_Is404()
    {
        var (status, _) = await _app.InvokeAsync("no-such-function", new JObject { ["Data"] = new JObject() }, Token);

        Assert.Equal(404, status);
    }
}
