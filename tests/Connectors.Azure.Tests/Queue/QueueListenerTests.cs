using Azure.Storage.Queues;
using System.Diagnostics;
using Connectors.Azure.Queue;
using Connectors.Azure.Tests.Infrastructure;
using Connectors.Core.Queue;
using Connectors.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Connectors.Azure.Tests.Queue;

/// <summary>
/// The standalone poller against a real queue (Azurite). The listener's own waits (polling backoff,
/// visibility extension) run on a <see cref="WaitObservingClock"/> that the tests advance; the queue's
/// visibility timeouts are Azurite's and run in real time, so the few tests about them take seconds.
/// </summary>
public sealed class QueueListenerTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset At = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan MaxPoll = TimeSpan.FromMilliseconds(800);
    private AzureStorageWorkQueue _queue = null!;
    private CancellationTokenSource _timeout = null!;

    private CancellationToken Ct => _timeout.Token;

    public ValueTask InitializeAsync()
    {
        _queue = new AzureStorageWorkQueue(azurite.Account, new AzureQueueOptions { QueueName = TestNames.Queue() }, NullLogger<AzureStorageWorkQueue>.Instance);
        _timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        _timeout.CancelAfter(TimeSpan.FromSeconds(60));
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _queue.DeleteAsync(CancellationToken.None);
        _timeout.Dispose();
    }

    [Fact]
    public async Task Listener_ManyMessages_DeliversEachOnceInBatchesAndCompletesThem()
    {
        var requests = Enumerable.Range(0, 40).Select(i => new SyncRequest($"flow-{i % 3}", null, [$"r{i}"], $"evt-{i}", At)).ToArray();
        await _queue.EnqueueAsync(requests, Ct);
        var handler = RecordingHandler.Succeeding();
        var clock = new WaitObservingClock();

        await using (var listening = Start(handler, new QueueListenerOptions { BatchSize = 8, MaxPollingInterval = MaxPoll }, clock))
        {
            await PumpUntilAsync(clock, () => handler.Deliveries.Count >= 40);
        }

        Assert.Equal(40, handler.Deliveries.Select(d => d.Message.Id).Distinct().Count());
        Assert.Equal(40, handler.Deliveries.Count);
        Assert.All(handler.Deliveries, d => Assert.Equal(1, d.Message.DequeueCount));
        Assert.All(handler.Batches, b => Assert.InRange(b.Count, 1, 8));
        Assert.Equal(requests.Select(r => r.EventId).Order(), handler.Deliveries.Select(d => d.Request.EventId).Order());
        Assert.Empty(await _queue.ReceiveAsync(32, TimeSpan.FromSeconds(30), Ct));
    }

    [Fact]
    public async Task Listener_MessageThatKeepsFailing_IsRetriedThenMovedToPoisonWithItsReason()
    {
        var request = new SyncRequest("shop-to-crm", "shop.customers", ["42"], "evt-42", At);
        await _queue.EnqueueAsync(request, Ct);
        var handler = new RecordingHandler((d, _) => Task.FromResult<DeliveryOutcome>(
            new DeliveryOutcome.Failed(d.Message.Id, $"CRM rejected the record (attempt {d.Message.DequeueCount})")));
        var clock = new WaitObservingClock();

        await using (var listening = Start(handler, new QueueListenerOptions { MaxDequeueCount = 3, MaxPollingInterval = MaxPoll }, clock))
        {
            await PumpUntilAsync(clock, () => !handler.Poisoned.IsEmpty);
        }

        Assert.Equal([1L, 2L, 3L], handler.Deliveries.Select(d => d.Message.DequeueCount));
        var poisoned = Assert.Single(handler.Poisoned);
        Assert.Equal("CRM rejected the record (attempt 3)", poisoned.Reason);
        Assert.Equal(request, poisoned.Request);
        Assert.Empty(await _queue.ReceiveAsync(32, TimeSpan.FromSeconds(30), Ct));
        var inPoison = Assert.Single(await PoisonQueue().ReceiveAsync(32, TimeSpan.FromSeconds(30), Ct));
        Assert.Equal(request.ToJson(), inPoison.Body);
    }

    [Fact]
    public async Task Listener_HandlerThatThrows_FailsTheWholeBatchWithTheExceptionAsReason()
    {
        await _queue.EnqueueAsync(new SyncRequest("f", null, ["1"], null, At), Ct);
        var handler = new RecordingHandler((_, _) => throw new InvalidOperationException("mapping table missing"));
        var clock = new WaitObservingClock();

        await using (var listening = Start(handler, new QueueListenerOptions { MaxDequeueCount = 2, MaxPollingInterval = MaxPoll }, clock))
        {
            await PumpUntilAsync(clock, () => !handler.Poisoned.IsEmpty);
        }

        Assert.Equal(2, handler.Deliveries.Count);
        Assert.Equal("InvalidOperationException: mapping table missing", Assert.Single(handler.Poisoned).Reason);
    }

    [Fact]
    public async Task Listener_FailedMessage_StaysHiddenForTheVisibilityTimeoutBeforeItsNextAttempt()
    {
        await _queue.EnqueueAsync(new SyncRequest("f", null, ["1"], null, At), Ct);
        var failedAt = new TaskCompletionSource<Stopwatch>();
        var handler = new RecordingHandler((d, _) =>
        {
            if (d.Message.DequeueCount > 1) return Task.FromResult<DeliveryOutcome>(new DeliveryOutcome.Handled(d.Message.Id));
            failedAt.TrySetResult(Stopwatch.StartNew());
            return Task.FromResult<DeliveryOutcome>(new DeliveryOutcome.Failed(d.Message.Id, "target busy"));
        });
        var clock = new WaitObservingClock();

        await using (var listening = Start(handler, new QueueListenerOptions { VisibilityTimeout = TimeSpan.FromSeconds(2), MaxPollingInterval = MaxPoll }, clock))
        {
            await PumpUntilAsync(clock, () => handler.Deliveries.Count >= 2);
        }

        // The queue's visibility runs on Azurite's clock in whole seconds: the retry cannot come sooner than about the timeout.
        var gap = (await failedAt.Task).Elapsed;
        Assert.True(gap >= TimeSpan.FromSeconds(1.5), $"The retry came {gap} after the failure.");
        Assert.Equal([1L, 2L], handler.Deliveries.Select(d => d.Message.DequeueCount));
        Assert.Empty(handler.Poisoned);
        Assert.Empty(await _queue.ReceiveAsync(32, TimeSpan.FromSeconds(30), Ct));
    }

    [Fact]
    public async Task Listener_MessageWhoseWorkerDied_ComesBackAfterItsLeaseAndIsHandled()
    {
        await _queue.EnqueueAsync(new SyncRequest("f", null, ["1"], null, At), Ct);
        var dying = new TaskCompletionSource<SyncDelivery>();
        var deadHandler = new RecordingHandler(async (d, ct) =>
        {
            dying.TrySetResult(d);
            await Task.Delay(Timeout.Infinite, ct);
            return new DeliveryOutcome.Handled(d.Message.Id);
        });
        var survivor = RecordingHandler.Succeeding();
        var survivorClock = new WaitObservingClock();

        // The dying worker's clock never moves, so it never extends its one-second lease: as if it had crashed.
        await using (var dead = Start(deadHandler, new QueueListenerOptions { LeaseDuration = TimeSpan.FromSeconds(1), MaxPollingInterval = MaxPoll }, new WaitObservingClock()))
        {
            var first = await dying.Task.WaitAsync(Ct);
            await using (var alive = Start(survivor, new QueueListenerOptions { MaxPollingInterval = MaxPoll }, survivorClock))
            {
                await PumpUntilAsync(survivorClock, () => !survivor.Deliveries.IsEmpty);
            }

            var second = Assert.Single(survivor.Deliveries);
            Assert.Equal(first.Message.Id, second.Message.Id);
            Assert.Equal(2, second.Message.DequeueCount);
        }

        Assert.Empty(await _queue.ReceiveAsync(32, TimeSpan.FromSeconds(30), Ct));
        Assert.Empty(survivor.Poisoned);
    }

    [Fact]
    public async Task Listener_MessageDeliveredMoreOftenThanAllowed_IsPoisonedOnSightWithoutCallingTheHandler()
    {
        await _queue.EnqueueAsync(new SyncRequest("f", null, ["1"], null, At), Ct);
        // A worker took it and died: the delivery is never settled.
        Assert.Single(await _queue.ReceiveAsync(1, TimeSpan.FromSeconds(1), Ct));
        var handler = RecordingHandler.Succeeding();
        var clock = new WaitObservingClock();

        await using (var listening = Start(handler, new QueueListenerOptions { MaxDequeueCount = 1, MaxPollingInterval = MaxPoll }, clock))
        {
            await PumpUntilAsync(clock, () => !handler.Poisoned.IsEmpty);
        }

        Assert.Empty(handler.Deliveries);
        var poisoned = Assert.Single(handler.Poisoned);
        Assert.Equal(2, poisoned.Message.DequeueCount);
        Assert.Contains("without being completed", poisoned.Reason);
        Assert.Single(await PoisonQueue().ReceiveAsync(32, TimeSpan.FromSeconds(30), Ct));
    }

    [Fact]
    public async Task Listener_MessageThatIsNotASyncRequest_IsPoisonedOnSightWithWhatIsWrong()
    {
        var raw = new QueueClient(azurite.ConnectionString, _queue.Name,
            new QueueClientOptions(QueueClientOptions.ServiceVersion.V2026_06_06) { MessageEncoding = QueueMessageEncoding.Base64 });
        await raw.CreateIfNotExistsAsync(cancellationToken: Ct);
        await raw.SendMessageAsync("{\"ids\":[\"1\"]}", Ct);
        var handler = RecordingHandler.Succeeding();
        var clock = new WaitObservingClock();

        await using (var listening = Start(handler, new QueueListenerOptions { MaxPollingInterval = MaxPoll }, clock))
        {
            await PumpUntilAsync(clock, () => !handler.Poisoned.IsEmpty);
        }

        var poisoned = Assert.Single(handler.Poisoned);
        Assert.Null(poisoned.Request);
        Assert.Contains("\"flow\"", poisoned.Reason);
        Assert.Empty(handler.Deliveries);
    }

    [Fact]
    public async Task Listener_LongRunningHandler_KeepsItsMessageHiddenPastTheLease()
    {
        await _queue.EnqueueAsync(new SyncRequest("f", null, ["1"], null, At), Ct);
        var started = new TaskCompletionSource();
        var finish = new TaskCompletionSource();
        var handler = new RecordingHandler(async (d, ct) =>
        {
            started.TrySetResult();
            await finish.Task.WaitAsync(ct);
            return new DeliveryOutcome.Handled(d.Message.Id);
        });
        var clock = new WaitObservingClock();
        var lease = TimeSpan.FromSeconds(2);

        await using (var listening = Start(handler, new QueueListenerOptions { BatchSize = 1, LeaseDuration = lease, MaxPollingInterval = MaxPoll }, clock))
        {
            await started.Task.WaitAsync(Ct);
            var running = Stopwatch.StartNew();
            while (running.Elapsed < lease * 2)
            {
                // Each half-lease tick on the listener's clock extends the message by a whole lease again.
                await clock.AdvancePastNextWaitAsync(w => w == lease / 2, Ct);
                Assert.Empty(await _queue.ReceiveAsync(1, TimeSpan.FromSeconds(30), Ct));
            }
            finish.SetResult();
            // The listener polls again only after it has settled the batch.
            await clock.AdvancePastNextWaitAsync(w => w <= MaxPoll, Ct);
        }

        Assert.Single(handler.Deliveries);
        Assert.Empty(handler.Poisoned);
        Assert.Empty(await _queue.ReceiveAsync(32, TimeSpan.FromSeconds(30), Ct));
    }

    [Fact]
    public async Task Listener_Stopped_CancelsTheHandlerAndGivesItsMessageBackAtOnce()
    {
        await _queue.EnqueueAsync(new SyncRequest("f", null, ["1"], null, At), Ct);
        var started = new TaskCompletionSource();
        var handler = new RecordingHandler(async (d, ct) =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return new DeliveryOutcome.Handled(d.Message.Id);
        });

        var listening = Start(handler, new QueueListenerOptions { MaxPollingInterval = MaxPoll }, new WaitObservingClock());
        await started.Task.WaitAsync(Ct);
        await listening.DisposeAsync();

        Assert.True(listening.Completed);
        var again = Assert.Single(await _queue.ReceiveAsync(1, TimeSpan.FromSeconds(30), Ct));
        Assert.Equal(2, again.DequeueCount);
        Assert.Empty(handler.Poisoned);
    }

    [Fact]
    public async Task Listener_EmptyQueue_BacksOffExponentiallyUpToTheMaximum_AndStartsOverAfterAMessage()
    {
        var handler = RecordingHandler.Succeeding();
        var clock = new WaitObservingClock();
        var options = new QueueListenerOptions { MinPollingInterval = TimeSpan.FromMilliseconds(100), MaxPollingInterval = TimeSpan.FromMilliseconds(1000) };
        var idle = new List<TimeSpan>();
        var afterMessage = new List<TimeSpan>();

        await using (var listening = Start(handler, options, clock))
        {
            for (var i = 0; i < 6; i++) idle.Add(await clock.AdvancePastNextWaitAsync(w => w <= options.MaxPollingInterval, Ct));
            await _queue.EnqueueAsync(new SyncRequest("f", null, ["1"], null, At), Ct);
            while (handler.Deliveries.IsEmpty || !afterMessage.Contains(options.MinPollingInterval))
            {
                afterMessage.Add(await clock.AdvancePastNextWaitAsync(w => w <= options.MaxPollingInterval, Ct));
            }
        }

        Assert.Equal([100, 200, 400, 800, 1000, 1000], idle.Select(w => w.TotalMilliseconds));
        // Until the message was found the waits stayed at the maximum; the first empty poll after it waits the minimum again.
        Assert.All(afterMessage.TakeWhile(w => w != options.MinPollingInterval), w => Assert.Equal(options.MaxPollingInterval, w));
    }

    [Fact]
    public void Options_OutOfRange_FailAtConstructionNamingTheSetting()
    {
        var handler = RecordingHandler.Succeeding();

        var batch = Assert.Throws<System.ComponentModel.DataAnnotations.ValidationException>(() =>
            new QueueListener(_queue, handler, new QueueListenerOptions { BatchSize = 33 }, TimeProvider.System, NullLogger<QueueListener>.Instance));
        var polling = Assert.Throws<System.ComponentModel.DataAnnotations.ValidationException>(() =>
            new QueueListener(_queue, handler, new QueueListenerOptions { MinPollingInterval = TimeSpan.FromSeconds(5), MaxPollingInterval = TimeSpan.FromSeconds(1) },
                TimeProvider.System, NullLogger<QueueListener>.Instance));

        Assert.Contains("BatchSize", batch.Message);
        Assert.Contains("MaxPollingInterval", polling.Message);
    }

    private Listening Start(ISyncRequestHandler handler, QueueListenerOptions options, TimeProvider clock) =>
        new(new QueueListener(_queue, handler, options, clock, NullLogger<QueueListener>.Instance), Ct);

    private AzureStorageWorkQueue PoisonQueue() =>
        new(azurite.Account, new AzureQueueOptions { QueueName = _queue.Name + "-poison", CreateIfMissing = false }, NullLogger<AzureStorageWorkQueue>.Instance);

    /// <summary>Advances the listener's polling waits until <paramref name="done"/> holds.</summary>
    private async Task PumpUntilAsync(WaitObservingClock clock, Func<bool> done)
    {
        while (!done())
        {
            await clock.AdvancePastNextWaitAsync(w => w <= MaxPoll, Ct);
        }
    }

    /// <summary>A running listener; disposing it stops it and waits until it has settled everything.</summary>
    private sealed class Listening : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop;
        private readonly Task _run;

        public Listening(QueueListener listener, CancellationToken testAborted)
        {
            _stop = CancellationTokenSource.CreateLinkedTokenSource(testAborted);
            _run = listener.RunAsync(_stop.Token);
        }

        public bool Completed => _run.IsCompletedSuccessfully;

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _run.WaitAsync(TimeSpan.FromSeconds(30));
            _stop.Dispose();
        }
    }
}
