using System.Globalization;
using System.Net;
using System.Text;
using Connectors.Core.Queue;
using Connectors.Functions.Hosting;
using Connectors.Functions.Tests.Infrastructure;
using Connectors.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Newtonsoft.Json.Linq;

namespace Connectors.Functions.Tests.Protocol;

/// <summary>
/// The <c>webhook</c> function taking Business Central's subscription handshake and change notifications, forwarded
/// by the Functions host or sent straight, with the ledger and queue on Azurite.
/// </summary>
public sealed class BusinessCentralWebhookContractTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string ValidationToken = "b1c9+Xq/7w==:handshake";

    private readonly WaitObservingClock _clock = new();
    private ErpToCrm _world = null!;
    private RunningApp _app = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await azurite.EnsureStartedAsync();
        _world = await ErpToCrm.StartAsync(_clock, Token);
        var settings = new FunctionAppSettings
        {
            QueueName = TestNames.Queue(),
            TablePrefix = TestNames.Table(),
            WebhookMaxAge = TimeSpan.FromMinutes(10),
        };
        var storage = HostStorage.Azure(azurite.Account!, settings.QueueName, settings.TablePrefix, _clock, NullLoggerFactory.Instance);
        _app = await RunningApp.StartAsync(_world.BuildApp(_clock, settings, storage), Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _world.DisposeAsync();
    }

    private static JObject HttpTrigger(string body, string query = "") => new()
    {
        ["Data"] = new JObject
        {
            ["req"] = new JObject
            {
                ["Url"] = "http://localhost:7071/api/webhooks/erp" + query,
                ["Method"] = "POST",
                ["Query"] = "{}",
                ["Headers"] = new JObject { ["Content-Type"] = new JArray("application/json") },
                ["Params"] = new JObject { ["system"] = "erp" },
                ["Body"] = body,
            },
        },
        ["Metadata"] = new JObject { ["sys"] = new JObject { ["MethodName"] = "webhook", ["UtcNow"] = "2026-11-23T09:00:00Z", ["RandGuid"] = Guid.NewGuid().ToString() } },
    };

    private async Task<IReadOnlyList<SyncRequest>> DrainQueueAsync()
    {
        var messages = await _app.App.Storage.Queue.ReceiveAsync(32, TimeSpan.FromMinutes(5), Token);
        return messages.Select(m => SyncRequest.FromJson(m.Body)).ToArray();
    }

    /// <summary>The clock's now as Business Central writes <c>lastModifiedDateTime</c>.</summary>
    private string Now() => _clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A customer just changed in the company, and the notification Business Central sends about it.</summary>
    private (string Id, byte[] Body) UpdatedCustomer(int seed)
    {
        var customer = _world.Erp.Seed(1, seed)[0];
        var id = (string)customer["id"]!;
        var changed = _world.Erp.Edit(id, c => c["phoneNumber"] = "+1 555 010 0000");
        return (id, ErpToCrm.Batch(_world.Change("customers", id, "updated", (string)changed["lastModifiedDateTime"]!)));
    }

    [Fact]
    public async Task Handshake_EchoesTheValidationTokenAsPlainText200_ForwardedOrSentStraight()
    {
        var query = "?validationToken=" + Uri.EscapeDataString(ValidationToken);

        var (_, forwarded) = await _app.InvokeAsync("webhook", HttpTrigger("", query), Token);
        using var direct = await _app.Client.PostAsync("api/webhooks/erp" + query, new ByteArrayContent([]), Token);

        var res = forwarded["Outputs"]!["res"]!;
        Assert.Equal((200, ValidationToken, "text/plain"), ((int)res["statusCode"]!, (string?)res["body"], (string?)res["headers"]!["Content-Type"]));
        Assert.Equal(HttpStatusCode.OK, direct.StatusCode);
        Assert.Equal("text/plain", direct.Content.Headers.ContentType!.MediaType);
        Assert.Equal(ValidationToken, await direct.Content.ReadAsStringAsync(Token));
        Assert.Empty(await DrainQueueAsync());
    }

    [Fact]
    public async Task Notification_WithTheWrongClientState_Is401AndQueuesNothing_ForwardedOrSentStraight()
    {
        var customer = _world.Erp.Seed(1, seed: 1)[0];
        var body = ErpToCrm.Batch(_world.Change("customers", (string)customer["id"]!, "updated", (string)customer["lastModifiedDateTime"]!,
            clientState: "not-the-client-state"));

        var (invoked, forwarded) = await _app.InvokeAsync("webhook", HttpTrigger(Encoding.UTF8.GetString(body)), Token);
        using var direct = await _app.Client.SendAsync(ErpToCrm.Post(_app.Address, body), Token);

        Assert.Equal(200, invoked);
        Assert.Equal(401, (int)forwarded["Outputs"]!["res"]!["statusCode"]!);
        Assert.Equal(HttpStatusCode.Unauthorized, direct.StatusCode);
        Assert.DoesNotContain(ErpToCrm.ClientState, forwarded.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(ErpToCrm.ClientState, await direct.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Empty(await DrainQueueAsync());
    }

    [Fact]
    public async Task Notification_Genuine_QueuesOneRequestForTheFlowOfItsEntitySet_WithTheCustomersId()
    {
        var (id, body) = UpdatedCustomer(seed: 2);

        using var response = await _app.Client.SendAsync(ErpToCrm.Post(_app.Address, body), Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("queued", await response.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        var request = Assert.Single(await DrainQueueAsync());
        Assert.Equal((ErpToCrm.Flow, "erp.customers"), (request.Flow, request.Stream));
        Assert.Equal([id], request.RecordIds);
        Assert.NotNull(request.EventId);
    }

    [Fact]
    public async Task Notification_SentAgain_IsADuplicateQueuedOnce_AndTheNextChangeOfTheSameCustomerIsQueuedAgain()
    {
        var (id, body) = UpdatedCustomer(seed: 3);

        using var first = await _app.Client.SendAsync(ErpToCrm.Post(_app.Address, body), Token);
        var (_, forwardedAgain) = await _app.InvokeAsync("webhook", HttpTrigger(Encoding.UTF8.GetString(body)), Token);
        using var again = await _app.Client.SendAsync(ErpToCrm.Post(_app.Address, body), Token);
        _clock.Advance(TimeSpan.FromMinutes(2));
        var later = _world.Erp.Edit(id, c => c["city"] = "Atlanta");
        using var next = await _app.Client.SendAsync(ErpToCrm.Post(_app.Address,
            ErpToCrm.Batch(_world.Change("customers", id, "updated", (string)later["lastModifiedDateTime"]!))), Token);

        Assert.All(new[] { first, again, next }, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Contains("duplicate", (string?)forwardedAgain["Outputs"]!["res"]!["body"], StringComparison.Ordinal);
        Assert.Contains("duplicate", await again.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Contains("queued", await next.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        var queued = await DrainQueueAsync();
        Assert.Equal([id, id], queued.Select(r => r.RecordIds.Single()));
        Assert.Equal(2, queued.Select(r => r.EventId).Distinct().Count());
    }

    [Fact]
    public async Task Notification_ForAnEntitySetNoFlowListensTo_IsAcknowledgedAndQueuesNothing()
    {
        var body = ErpToCrm.Batch(_world.Change("salesOrders", "5d115c9c-44e3-ea11-bb43-000d3a2feca1", "updated", Now()));

        using var response = await _app.Client.SendAsync(ErpToCrm.Post(_app.Address, body), Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("ignored", await response.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Empty(await DrainQueueAsync());
    }

    [Fact]
    public async Task Notification_OfAnotherCompany_IsAcknowledgedAndQueuesNothing()
    {
        var customer = _world.Erp.Seed(1, seed: 6)[0];
        var mine = _world.Change("customers", (string)customer["id"]!, "updated", Now());
        var body = ErpToCrm.Batch(
            Elsewhere(_world.Change("customers", (string)customer["id"]!, "updated", Now())),
            Elsewhere(_world.Change("customers", null, "collection", Now())));

        using var response = await _app.Client.SendAsync(ErpToCrm.Post(_app.Address, body), Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("ignored", await response.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Empty(await DrainQueueAsync());
        // The same change of the configured company is queued: only the company made the difference.
        using var own = await _app.Client.SendAsync(ErpToCrm.Post(_app.Address, ErpToCrm.Batch(mine)), Token);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Single(await DrainQueueAsync());
    }

    private JObject Elsewhere(JObject change)
    {
        change["resource"] = ((string)change["resource"]!).Replace(_world.Erp.CompanyId, "5d4b3c2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a", StringComparison.OrdinalIgnoreCase);
        return change;
    }

    [Fact]
    public async Task Notification_OfADeletedCustomerAndOfACollection_QueuesTheDeletedIdAndAWholeFlowRequest()
    {
        var customer = _world.Erp.Seed(1, seed: 5)[0];
        var id = (string)customer["id"]!;
        _world.Erp.Delete(id);
        var body = ErpToCrm.Batch(_world.Change("customers", id, "deleted", Now()), _world.Change("customers", null, "collection", Now()));

        using var response = await _app.Client.SendAsync(ErpToCrm.Post(_app.Address, body), Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var queued = await DrainQueueAsync();
        Assert.All(queued, r => Assert.Equal(ErpToCrm.Flow, r.Flow));
        Assert.Equal(new[] { Array.Empty<string>(), new[] { id } }, queued.Select(r => r.RecordIds.ToArray()).OrderBy(ids => ids.Length));
    }
}
