using System.Net;
using System.Text;
using Connectors.Core.Queue;
using Connectors.Functions.Hosting;
using Connectors.Functions.Tests.Infrastructure;
using Connectors.Sandbox.WooCommerce;
using Connectors.Testing;
using Connectors.WooCommerce;
using Newtonsoft.Json.Linq;

namespace Connectors.Functions.Tests.Protocol;

/// <summary>
/// The <c>webhook</c> function taking WooCommerce deliveries, forwarded by the Functions host or sent straight, with
/// the headers and bodies the emulator makes as WooCommerce's <c>WC_Webhook::deliver</c> and <c>deliver_ping</c> do.
/// </summary>
public sealed class WooCommerceWebhookContractTests : IAsyncLifetime
{
    private const string KnownBody = """{"id":123,"email":"jane@example.com"}""";
    private const string KnownSignature = "bXcNEfIfV+zunWaWSCXt0gsM8Q0sFfB1PHTCdyz2NHw=";

    private readonly WaitObservingClock _clock = new();
    private WooToCrm _world = null!;
    private RunningApp _app = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _world = await WooToCrm.StartAsync(_clock, Token);
        _app = await RunningApp.StartAsync(_world.BuildApp(_clock, new FunctionAppSettings { WebhookMaxBodyBytes = 4096, WebhookMaxAge = TimeSpan.FromMinutes(10) }), Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _world.DisposeAsync();
    }

    private static JObject HttpTrigger(string body, IReadOnlyDictionary<string, string> headers) => new()
    {
        ["Data"] = new JObject
        {
            ["req"] = new JObject
            {
                ["Url"] = "http://localhost:7071/api/webhooks/shop",
                ["Method"] = "POST",
                ["Query"] = "{}",
                ["Headers"] = new JObject(headers.Select(h => new JProperty(h.Key, new JArray(h.Value)))),
                ["Params"] = new JObject { ["system"] = "shop" },
                ["Body"] = body,
            },
        },
        ["Metadata"] = new JObject { ["sys"] = new JObject { ["MethodName"] = "webhook", ["UtcNow"] = "2026-11-23T09:00:00Z", ["RandGuid"] = Guid.NewGuid().ToString() } },
    };

    private static Dictionary<string, string> Headers(string? signature, string topic = "customer.updated") => new()
    {
        ["Content-Type"] = "application/json",
        [WooCommerceWebhooks.TopicHeader] = topic,
        [WooCommerceWebhooks.ResourceHeader] = topic.Split('.')[0],
        [WooCommerceWebhooks.EventHeader] = topic.Split('.')[1],
        [WooCommerceWebhooks.WebhookIdHeader] = "4",
        [WooCommerceWebhooks.DeliveryIdHeader] = "0c1d6f3e1b2a49c8a7e3d5f6b8c9d0e1",
        [WooCommerceWebhooks.SignatureHeader] = signature ?? "",
    };

    private async Task<IReadOnlyList<SyncRequest>> DrainQueueAsync()
    {
        var messages = await _app.App.Storage.Queue.ReceiveAsync(32, TimeSpan.FromMinutes(5), Token);
        return messages.Select(m => SyncRequest.FromJson(m.Body)).ToArray();
    }

    private static async Task<(int Status, string Body)> ResultOf(Task<(int Status, JObject Body)> invocation)
    {
        var (_, answer) = await invocation;
        var res = answer["Outputs"]!["res"]!;
        return ((int)res["statusCode"]!, (string?)res["body"] ?? "");
    }

    [Fact]
    public async Task Webhook_KnownVector_IsVerifiedAndQueuesOneSmallRequest()
    {
        Assert.Equal(KnownSignature, WooCommerceWebhooks.Sign(Encoding.UTF8.GetBytes(KnownBody), WooToCrm.WebhookSecret));

        var (status, body) = await ResultOf(_app.InvokeAsync("webhook", HttpTrigger(KnownBody, Headers(KnownSignature)), Token));

        Assert.Equal(200, status);
        Assert.Contains("queued", body, StringComparison.Ordinal);
        var request = Assert.Single(await DrainQueueAsync());
        Assert.Equal((WooToCrm.Flow, "shop.customers"), (request.Flow, request.Stream));
        Assert.Equal(["123"], request.RecordIds);
    }

    [Fact]
    public async Task Webhook_ForgedSignature_Is401AndQueuesNothing()
    {
        var forged = WooCommerceWebhooks.Sign(Encoding.UTF8.GetBytes(KnownBody), "not-the-secret");

        var (invoked, answer) = await _app.InvokeAsync("webhook", HttpTrigger(KnownBody, Headers(forged)), Token);

        Assert.Equal(200, invoked);
        Assert.Equal(401, (int)answer["Outputs"]!["res"]!["statusCode"]!);
        Assert.DoesNotContain(WooToCrm.WebhookSecret, answer.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(KnownSignature, answer.ToString(), StringComparison.Ordinal);
        Assert.Empty(await DrainQueueAsync());
    }

    [Fact]
    public async Task Webhook_MissingSignatureHeader_Is401AndQueuesNothing()
    {
        var headers = Headers(KnownSignature);
        headers.Remove(WooCommerceWebhooks.SignatureHeader);

        var (status, body) = await ResultOf(_app.InvokeAsync("webhook", HttpTrigger(KnownBody, headers), Token));

        Assert.Equal(401, status);
        Assert.Contains("X-WC-Webhook-Signature", body, StringComparison.Ordinal);
        Assert.Empty(await DrainQueueAsync());
    }

    [Fact]
    public async Task Webhook_BodyOverTheLimit_Is413_ForwardedOrSentStraight()
    {
        var body = "{\"id\":123,\"customer_note\":\"" + new string('x', 5000) + "\"}";
        var signature = WooCommerceWebhooks.Sign(Encoding.UTF8.GetBytes(body), WooToCrm.WebhookSecret);

        var (forwarded, _) = await ResultOf(_app.InvokeAsync("webhook", HttpTrigger(body, Headers(signature, "order.updated")), Token));
        using var direct = new HttpRequestMessage(HttpMethod.Post, "api/webhooks/shop") { Content = new StringContent(body + new string(' ', 1_000_000)) };
        direct.Headers.Add(WooCommerceWebhooks.SignatureHeader, signature);
        using var response = await _app.Client.SendAsync(direct, Token);

        Assert.Equal(413, forwarded);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(await DrainQueueAsync());
    }

    [Fact]
    public async Task Webhook_PingOfANewWebhook_Is200AndQueuesNothing_ForwardedOrSentStraight()
    {
        _world.Shop.Seed(3, seed: 1);
        var ping = _world.Shop.Ping(webhookId: 9);

        var (forwarded, _) = await ResultOf(_app.InvokeAsync("webhook", HttpTrigger(Encoding.UTF8.GetString(ping.Body), ping.Headers), Token));
        using var direct = await _app.Client.SendAsync(WooToCrm.Post(_app.Address, ping), Token);

        Assert.Equal(200, forwarded);
        Assert.Equal(HttpStatusCode.OK, direct.StatusCode);
        Assert.Empty(await DrainQueueAsync());
        Assert.Equal(0, _world.Crm.Contacts.Count);
    }

    [Fact]
    public async Task Webhook_SameChangeDeliveredTwiceAndByASecondWebhook_IsAcceptedEachTimeAndQueuedOnce()
    {
        var customers = _world.Shop.Seed(2, seed: 2);
        var updated = _world.Shop.WebhookDelivery("customer.updated", customers[0].Id, WooToCrm.WebhookSecret, webhookId: 4);
        var created = _world.Shop.WebhookDelivery("customer.created", customers[0].Id, WooToCrm.WebhookSecret, webhookId: 3);
        // The same webhook, the same second, another customer: the same delivery id, a different change.
        var other = _world.Shop.WebhookDelivery("customer.updated", customers[1].Id, WooToCrm.WebhookSecret, webhookId: 4);

        using var first = await _app.Client.SendAsync(WooToCrm.Post(_app.Address, updated), Token);
        using var again = await _app.Client.SendAsync(WooToCrm.Post(_app.Address, updated), Token);
        using var second = await _app.Client.SendAsync(WooToCrm.Post(_app.Address, created), Token);
        using var third = await _app.Client.SendAsync(WooToCrm.Post(_app.Address, other), Token);
        _clock.Advance(TimeSpan.FromMinutes(2));
        _world.Shop.UpdateCustomer(customers[0].Id, c => c.LastName = "Changed");
        using var later = await _app.Client.SendAsync(WooToCrm.Post(_app.Address, _world.Shop.WebhookDelivery("customer.updated", customers[0].Id, WooToCrm.WebhookSecret, webhookId: 4)), Token);

        Assert.All(new[] { first, again, second, third, later }, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Contains("duplicate", await again.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Contains("duplicate", await second.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Equal(updated.Headers[WooCommerceWebhooks.DeliveryIdHeader], other.Headers[WooCommerceWebhooks.DeliveryIdHeader]);
        var queued = await DrainQueueAsync();
        Assert.Equal([customers[0].Id.ToString(), customers[1].Id.ToString(), customers[0].Id.ToString()], queued.Select(r => r.RecordIds.Single()));
        Assert.Equal(3, queued.Select(r => r.EventId).Distinct().Count());
    }

    [Fact]
    public async Task Webhook_OrderDelivery_IsQueuedForNoFlow_WhenNoFlowReadsOrders()
    {
        _world.Shop.Seed(2, seed: 4);
        var order = _world.Shop.SeedOrders(1, seed: 4)[0];

        using var response = await _app.Client.SendAsync(WooToCrm.Post(_app.Address, _world.Shop.WebhookDelivery("order.updated", order.Id, WooToCrm.WebhookSecret)), Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("ignored", await response.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Empty(await DrainQueueAsync());
    }
}
