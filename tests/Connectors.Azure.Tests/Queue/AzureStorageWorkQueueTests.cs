using System.Text;
using Azure.Storage.Queues;
using Connectors.Azure.Queue;
using Connectors.Azure.Tests.Infrastructure;
using Connectors.Core.Queue;
using Microsoft.Extensions.Logging.Abstractions;

namespace Connectors.Azure.Tests.Queue;

public sealed class AzureStorageWorkQueueTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset At = new(2026, 11, 23, 9, 0, 0, TimeSpan.FromHours(1));
    private AzureStorageWorkQueue _queue = null!;
    private string _name = "";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _name = TestNames.Queue();
        _queue = new AzureStorageWorkQueue(azurite.Account, new AzureQueueOptions { QueueName = _name }, NullLogger<AzureStorageWorkQueue>.Instance);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _queue.DeleteAsync(CancellationToken.None);

    [Fact]
    public async Task Enqueue_WritesBase64EncodedJsonOnTheWire_AsTheFunctionsHostExpects()
    {
        var request = new SyncRequest("shop-to-crm", "shop.customers", ["101", "102"], "evt-1", At);

        await _queue.EnqueueAsync(request, Ct);

        var raw = (await PlainClient(_name).PeekMessagesAsync(1, Ct)).Value.Single().Body.ToString();
        var json = Encoding.UTF8.GetString(Convert.FromBase64String(raw));
        Assert.Equal(request.ToJson(), json);
        Assert.StartsWith("{\"flow\":\"shop-to-crm\"", json);
    }

    [Fact]
    public async Task Receive_HidesTheMessageUntilItIsReturned_ThenDeliversItAgainWithAHigherCount()
    {
        await _queue.EnqueueAsync(new SyncRequest("f", null, ["1"], null, At), Ct);

        var first = Assert.Single(await _queue.ReceiveAsync(32, TimeSpan.FromMinutes(5), Ct));
        Assert.Empty(await _queue.ReceiveAsync(32, TimeSpan.FromMinutes(5), Ct));
        Assert.NotNull(await _queue.ReturnAsync(first, TimeSpan.Zero, Ct));
        var second = Assert.Single(await _queue.ReceiveAsync(32, TimeSpan.FromMinutes(5), Ct));

        Assert.Equal(1, first.DequeueCount);
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(2, second.DequeueCount);
        Assert.Equal(new SyncRequest("f", null, ["1"], null, At).ToJson(), second.Body);
    }

    [Fact]
    public async Task Complete_WithTheReceiptAnExtensionReplaced_FailsAndTheNewReceiptSucceeds()
    {
        await _queue.EnqueueAsync(new SyncRequest("f", null, [], null, At), Ct);
        var received = Assert.Single(await _queue.ReceiveAsync(1, TimeSpan.FromMinutes(1), Ct));

        var extended = await _queue.ExtendAsync(received, TimeSpan.FromMinutes(10), Ct);

        Assert.NotNull(extended);
        Assert.NotEqual(received.Receipt, extended.Receipt);
        Assert.False(await _queue.CompleteAsync(received, Ct));
        Assert.True(await _queue.CompleteAsync(extended, Ct));
        Assert.Null(await _queue.ExtendAsync(extended, TimeSpan.FromMinutes(1), Ct));
        Assert.Empty((await PlainClient(_name).PeekMessagesAsync(32, Ct)).Value);
    }

    [Fact]
    public async Task MoveToPoison_CopiesTheBodyToThePoisonQueueAndDeletesTheMessage()
    {
        var request = new SyncRequest("f", "crm.Contacts", ["7"], "evt-7", At);
        await _queue.EnqueueAsync(request, Ct);
        var received = Assert.Single(await _queue.ReceiveAsync(1, TimeSpan.FromMinutes(1), Ct));

        Assert.True(await _queue.MoveToPoisonAsync(received, Ct));

        Assert.Equal(_name + "-poison", _queue.PoisonQueueName);
        var poisoned = (await PoisonClient().ReceiveMessagesAsync(32, TimeSpan.FromSeconds(30), Ct)).Value.Single();
        Assert.Equal(request.ToJson(), poisoned.Body.ToString());
        Assert.Empty((await PlainClient(_name).PeekMessagesAsync(32, Ct)).Value);
    }

    [Fact]
    public async Task Enqueue_RequestLargerThanOneMessage_IsSplitByRecordIdsAndLosesNone()
    {
        var ids = Enumerable.Range(0, 4000).Select(i => $"record-with-a-long-native-id-{i:D6}").ToArray();

        await _queue.EnqueueAsync(new SyncRequest("f", "shop.orders", ids, "evt-big", At), Ct);

        var received = await _queue.ReceiveAsync(32, TimeSpan.FromMinutes(1), Ct);
        Assert.True(received.Count > 1);
        Assert.All(received, m => Assert.True(Encoding.UTF8.GetByteCount(m.Body) <= AzureStorageWorkQueue.MaxRequestBytes));
        var requests = received.Select(m => SyncRequest.FromJson(m.Body)).ToArray();
        Assert.Equal(ids.Order(StringComparer.Ordinal), requests.SelectMany(r => r.RecordIds).Order(StringComparer.Ordinal));
        Assert.All(requests, r => Assert.Equal(("f", "shop.orders", "evt-big", At), (r.Flow, r.Stream, r.EventId, r.ReceivedAt)));
    }

    [Fact]
    public async Task Receive_AMessageThatIsNotBase64_MovesItAsideAndStillDeliversTheOthers()
    {
        await _queue.EnqueueAsync(new SyncRequest("f", null, ["1"], null, At), Ct);
        await PlainClient(_name).SendMessageAsync("{\"flow\":\"sent-without-base64\"}", Ct);

        var received = await _queue.ReceiveAsync(32, TimeSpan.FromMinutes(1), Ct);

        Assert.Equal("f", SyncRequest.FromJson(Assert.Single(received).Body).Flow);
        var poisoned = (await PlainClient(_name + "-poison").PeekMessagesAsync(32, Ct)).Value.Single().Body.ToString();
        Assert.Equal("{\"flow\":\"sent-without-base64\"}", Encoding.UTF8.GetString(Convert.FromBase64String(poisoned)));
        Assert.Empty(await _queue.ReceiveAsync(32, TimeSpan.FromMinutes(1), Ct));
    }

    [Fact]
    public void Options_BadQueueName_FailsAtConstructionNamingTheSetting()
    {
        var error = Assert.Throws<System.ComponentModel.DataAnnotations.ValidationException>(() =>
            new AzureStorageWorkQueue(azurite.Account, new AzureQueueOptions { QueueName = "Has_Upper" }, NullLogger<AzureStorageWorkQueue>.Instance));

        Assert.Contains("QueueName", error.Message);
    }

    // A client without message encoding sees the text exactly as it is stored.
    private QueueClient PlainClient(string name) => new(azurite.ConnectionString, name, new QueueClientOptions(QueueClientOptions.ServiceVersion.V2026_06_06));

    private QueueClient PoisonClient() => new(azurite.ConnectionString, _name + "-poison",
        new QueueClientOptions(QueueClientOptions.ServiceVersion.V2026_06_06) { MessageEncoding = QueueMessageEncoding.Base64 });
}
