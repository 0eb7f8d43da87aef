using System.Collections.Concurrent;
using System.Net;
using Connectors.Functions.Hosting;
using Connectors.Functions.Standalone;
using Connectors.Functions.Tests.Infrastructure;
using Connectors.Functions.Worker;
using Connectors.Sandbox;
using Connectors.Cli.Commands;
using Microsoft.Extensions.Logging.Abstractions;

namespace Connectors.Functions.Tests.EndToEnd;

/// <summary>The standalone app (server, queue listener, timers) on Azurite, fed by webhook deliveries over HTTP.</summary>
public sealed class ServeOnAzuriteTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private ShopToCrm _world = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await azurite.EnsureStartedAsync();
        _world = await ShopToCrm.StartAsync(TimeProvider.System, Token);
    }

    public async ValueTask DisposeAsync() => await _world.DisposeAsync();

    private (FunctionApp App, FunctionAppSettings Settings) BuildApp(QueueDrains? drains = null, int maxDequeueCount = 5)
    {
        var settings = new FunctionAppSettings
        {
            Port = 0,
            QueueName = TestNames.Queue(),
            TablePrefix = TestNames.Table(),
            MaxPollingInterval = TimeSpan.FromMilliseconds(200),
            BatchSize = 32,
            MaxDequeueCount = maxDequeueCount,
            VisibilityTimeout = TimeSpan.Zero,
            MessageLease = TimeSpan.FromSeconds(30),
        };
        var storage = HostStorage.Azure(azurite.Account!, settings.QueueName, settings.TablePrefix, TimeProvider.System, NullLoggerFactory.Instance);
        return (_world.BuildApp(TimeProvider.System, settings, storage, drains?.Logging()), settings);
    }

    private static async Task<(Task Serving, Uri Address)> ServeAsync(FunctionApp app, CancellationToken stop)
    {
        var address = new TaskCompletionSource<Uri>();
        var serving = StandaloneHost.RunAsync(app, address.SetResult, stop);
        return (serving, await address.Task.WaitAsync(TimeSpan.FromSeconds(30), Token));
    }

    [Fact]
    public async Task TwoThousandDeliveries_ThirtyPercentDuplicates_Shuffled_LeaveExactlyTheExpectedContacts()
    {
        var customers = _world.Shop.Seed(1_000, seed: 11);
        var deliveries = Deliveries.Make(_world.Shop, customers, total: 2_000, duplicateShare: 0.3, seed: 12);
        var (app, _) = BuildApp();
        await using var owned = app;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var (serving, address) = await ServeAsync(app, stop.Token);
        using var client = new HttpClient();
        var answers = new ConcurrentBag<(HttpStatusCode, string)>();
        var answered = new DeliveryAnswers();

        var delivered = await Signal.WithinAsync(TimeSpan.FromMinutes(3), sending => Parallel.ForEachAsync(deliveries,
            new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = sending }, async (delivery, ct) =>
            {
                while (true)
                {
                    using var response = await client.SendAsync(_world.Delivery(address, delivery.CustomerId, delivery.EventId, DateTimeOffset.UtcNow), ct);
                    var body = await response.Content.ReadAsStringAsync(ct);
                    if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                    {
                        // Its duplicate is being taken in at this moment: send it again once that one is answered, as Shopify would later.
                        if (DeliveryAnswers.IsInProgress(body)) await answered.WhenAnswered(delivery.EventId).WaitAsync(ct);
                        continue;
                    }
                    answers.Add((response.StatusCode, body));
                    if (response.StatusCode == HttpStatusCode.OK) answered.Answered(delivery.EventId);
                    return;
                }
            }), Token);
        var expected = customers.Select(c => ShopToCrm.Expected(_world.Shop.FindCustomer(c.Id)!)).ToDictionary(e => e.Email);
        // The CRM's contacts change only through its requests: the condition is checked again as each one is answered.
        var settled = await Signal.WithinAsync(TimeSpan.FromMinutes(3), ct => _world.Crm.RequestLog.WaitUntilAsync(() =>
            _world.Crm.Contacts.All().Count(c => expected.TryGetValue((string)c["Email"]!, out var e) && (string?)c["Last_Name"] == e.Last) == expected.Count, ct), Token);
        await stop.CancelAsync();
        await serving;

        Assert.True(delivered, "deliveries were still refused as in progress after 3 minutes");
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Item1));
        Assert.Equal(1_400, answers.Count(a => a.Item2.Contains("queued", StringComparison.Ordinal)));
        Assert.Equal(600, answers.Count(a => a.Item2.Contains("duplicate", StringComparison.Ordinal)));
        Assert.True(settled, "the CRM did not reach the expected contacts in time");
        var contacts = _world.Crm.Contacts.All();
        Assert.Equal(1_000, contacts.Count);
        Assert.Equal(1_000, contacts.Select(c => (string)c["Email"]!).Distinct().Count());
        Assert.All(contacts, c =>
        {
            var e = expected[(string)c["Email"]!];
            Assert.Equal((e.First, e.Last), ((string?)c["First_Name"], (string?)c["Last_Name"]));
        });
        Assert.Empty(await app.Storage.State.GetDeadLettersAsync(null, Token));
    }

    [Fact]
    public async Task MessageThatAlwaysFails_EndsInThePoisonQueueAndDeadLetters_AndReplayRequeuesItOnceFixed()
    {
        var customer = _world.Shop.Seed(1, seed: 21)[0];
        var drains = new QueueDrains();
        var (app, settings) = BuildApp(drains, maxDequeueCount: 3);
        await using var owned = app;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var (serving, address) = await ServeAsync(app, stop.Token);
        using var client = new HttpClient();
        _world.Shop.Faults.Add(new Fault(_ => true, int.MaxValue, 500));

        using var accepted = await client.SendAsync(_world.Delivery(address, customer.Id, "evt-poison", DateTimeOffset.UtcNow), Token);
        // The dead letter is written before the listener settles the poisoned message; it says so once the queue is drained.
        var poisoned = await Signal.WithinAsync(TimeSpan.FromMinutes(1), ct => drains.Signal.WaitUntilAsync(
            async () => (await app.Storage.State.GetDeadLettersAsync(ShopToCrm.Flow, ct)).Count > 0, ct), Token);
        var letter = Assert.Single(await app.Storage.State.GetDeadLettersAsync(ShopToCrm.Flow, Token));
        var shopCallsWhenPoisoned = _world.Shop.RequestLog.Count(_ => true);

        _world.Shop.Faults.Clear();
        var (messages, _) = await ReplayCommand.RunAsync(app, ShopToCrm.Flow, Token);
        var synced = await Signal.WithinAsync(TimeSpan.FromMinutes(1), ct => _world.Crm.RequestLog.WaitUntilAsync(() => _world.Crm.Contacts.Count == 1, ct), Token);
        await stop.CancelAsync();
        await serving;

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.True(poisoned);
        Assert.Equal((SyncWorker.PoisonCode, customer.Id.ToString()), (letter.Code, letter.Source.Id));
        Assert.Contains("Shopify kept failing (HTTP 500)", letter.Message, StringComparison.Ordinal);
        Assert.Contains($"after 3 attempt(s); the request is in {settings.QueueName}-poison", letter.Message, StringComparison.Ordinal);
        // One read per attempt, each retried once by the resilience pipeline: 3 attempts, then it stopped.
        Assert.Equal(6, shopCallsWhenPoisoned);
        Assert.Equal(1, messages);
        Assert.True(synced, "the replayed message was not synced");
        Assert.Equal(ShopToCrm.Expected(customer).Email, (string)_world.Crm.Contacts.All()[0]["Email"]!);
        Assert.Empty(await app.Storage.State.GetDeadLettersAsync(ShopToCrm.Flow, Token));
        Assert.Empty(await app.Storage.PoisonQueue.ReceiveAsync(32, TimeSpan.FromSeconds(1), Token));
    }
}
