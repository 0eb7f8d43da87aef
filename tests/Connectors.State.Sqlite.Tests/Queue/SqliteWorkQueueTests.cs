using System.Collections.Concurrent;
using Connectors.Core.Queue;
using Connectors.State.Sqlite.Queue;
using Connectors.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Connectors.State.Sqlite.Tests.Queue;

public sealed class SqliteWorkQueueTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("connectors-queue-tests-").FullName;
    private readonly WaitObservingClock _clock = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private string File => Path.Combine(_folder, "queue.db");

    private SqliteWorkQueue Open(string name = "crm-sync-requests") =>
        new(new SqliteQueueOptions { DatabasePath = File, QueueName = name }, _clock);

    private static SyncRequest Request(string id, string? eventId = null) =>
        new("customers-to-crm", "shop.customers", [id], eventId ?? $"evt-{id}", new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Receive_HidesTheMessageUntilItsVisibilityRunsOut_ThenHandsItOutAgainCounted()
    {
        var queue = Open();
        await queue.EnqueueAsync(Request("1"), Token);

        var first = Assert.Single(await queue.ReceiveAsync(16, TimeSpan.FromSeconds(30), Token));
        var whileHidden = await queue.ReceiveAsync(16, TimeSpan.FromSeconds(30), Token);
        _clock.Advance(TimeSpan.FromSeconds(30));
        var second = Assert.Single(await queue.ReceiveAsync(16, TimeSpan.FromSeconds(30), Token));

        Assert.Empty(whileHidden);
        Assert.Equal(Request("1"), SyncRequest.FromJson(first.Body));
        Assert.Equal((first.Id, 1L, 2L), (second.Id, first.DequeueCount, second.DequeueCount));
        Assert.NotEqual(first.Receipt, second.Receipt);
        Assert.False(await queue.CompleteAsync(first, Token));
        Assert.True(await queue.CompleteAsync(second, Token));
        Assert.Equal(0, await queue.CountAsync(Token));
    }

    [Fact]
    public async Task ReturnAndExtend_ChangeVisibilityAndReceipt_AndAnOldReceiptLosesTheMessage()
    {
        var queue = Open();
        await queue.EnqueueAsync(Request("1"), Token);
        var received = Assert.Single(await queue.ReceiveAsync(1, TimeSpan.FromSeconds(10), Token));

        var extended = await queue.ExtendAsync(received, TimeSpan.FromMinutes(5), Token);
        _clock.Advance(TimeSpan.FromMinutes(1));
        var stillHidden = await queue.ReceiveAsync(1, TimeSpan.FromSeconds(10), Token);
        var returned = await queue.ReturnAsync(extended!, TimeSpan.Zero, Token);
        var staleReturn = await queue.ReturnAsync(received, TimeSpan.Zero, Token);
        var again = Assert.Single(await queue.ReceiveAsync(1, TimeSpan.FromSeconds(10), Token));

        Assert.NotNull(extended);
        Assert.Empty(stillHidden);
        Assert.NotNull(returned);
        Assert.Null(staleReturn);
        Assert.Equal((received.Id, 2L), (again.Id, again.DequeueCount));
    }

    [Fact]
    public async Task MoveToPoison_PutsTheBodyInThePoisonQueueOfTheSameFile()
    {
        var queue = Open();
        var poison = Open(queue.PoisonQueueName);
        await queue.EnqueueAsync([Request("1"), Request("2")], Token);
        var received = await queue.ReceiveAsync(16, TimeSpan.FromSeconds(30), Token);

        var moved = await queue.MoveToPoisonAsync(received[0], Token);

        Assert.True(moved);
        Assert.Equal("crm-sync-requests-poison", queue.PoisonQueueName);
        Assert.Equal(1, await queue.CountAsync(Token));
        var poisoned = Assert.Single(await poison.ReceiveAsync(16, TimeSpan.FromSeconds(30), Token));
        Assert.Equal(received[0].Body, poisoned.Body);
    }

    [Fact]
    public async Task TwoProcessesOnOneFile_ReceivingAtOnce_GetEveryMessageExactlyOnce()
    {
        var one = Open();
        var other = Open();
        await one.EnqueueAsync(Enumerable.Range(0, 600).Select(i => Request(i.ToString())).ToArray(), Token);
        var seen = new ConcurrentBag<string>();

        async Task DrainAsync(SqliteWorkQueue queue)
        {
            while (true)
            {
                var batch = await queue.ReceiveAsync(16, TimeSpan.FromMinutes(5), Token);
                if (batch.Count == 0) return;
                foreach (var message in batch)
                {
                    seen.Add(SyncRequest.FromJson(message.Body).RecordIds[0]);
                    Assert.True(await queue.CompleteAsync(message, Token));
                }
            }
        }
        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(() => DrainAsync(i % 2 == 0 ? one : other), Token)));

        Assert.Equal(600, seen.Count);
        Assert.Equal(600, seen.Distinct().Count());
    }

    [Fact]
    public async Task UnderTheQueueListener_AMessageThatAlwaysFails_IsPoisonedAfterMaxDequeueCount()
    {
        var queue = Open();
        await queue.EnqueueAsync(Request("bad"), Token);
        var attempts = 0;
        var poisoned = new TaskCompletionSource<PoisonedMessage>();
        var handler = new FailingHandler(() => Interlocked.Increment(ref attempts), poisoned);
        var listener = new QueueListener(queue, handler,
            new QueueListenerOptions { MaxDequeueCount = 3, VisibilityTimeout = TimeSpan.FromSeconds(5), MinPollingInterval = TimeSpan.FromSeconds(1), MaxPollingInterval = TimeSpan.FromSeconds(1) },
            _clock, NullLogger<QueueListener>.Instance);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var running = listener.RunAsync(stop.Token);

        while (!poisoned.Task.IsCompleted)
        {
            await _clock.AdvancePastNextWaitAsync(_ => true, Token).WaitAsync(TimeSpan.FromSeconds(30), Token);
        }
        await stop.CancelAsync();
        await running;

        var result = await poisoned.Task;
        Assert.Equal(3, attempts);
        Assert.Equal(3, result.Message.DequeueCount);
        Assert.Equal("the CRM is down", result.Reason);
        Assert.Equal(0, await queue.CountAsync(Token));
        Assert.Equal(1, await Open(queue.PoisonQueueName).CountAsync(Token));
    }

    [Fact]
    public async Task UnderTheQueueListener_DrainingTheQueue_IsLoggedOncePerBurstOfWork_NotOnEveryEmptyPoll()
    {
        var queue = new CompletionsCounted(Open());
        await queue.EnqueueAsync([Request("1"), Request("2"), Request("3")], Token);
        var log = new LinesLogger();
        var handler = new SucceedingHandler();
        var listener = new QueueListener(queue, handler,
            new QueueListenerOptions { MinPollingInterval = TimeSpan.FromSeconds(1), MaxPollingInterval = TimeSpan.FromSeconds(1) }, _clock, log);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var running = listener.RunAsync(stop.Token);
        var pollOnce = () => _clock.AdvancePastNextWaitAsync(w => w == TimeSpan.FromSeconds(1), Token).WaitAsync(TimeSpan.FromSeconds(30), Token);

        // The clock moves only once the burst is settled (handled and completed in the queue): moved on while a slow
        // machine still settles it, it would run the messages' leases out and hand them out again, and the burst would
        // be counted more than once.
        await queue.CompletedAsync(3, Token).WaitAsync(TimeSpan.FromSeconds(30), Token);
        while (log.Drained.Count == 0) await pollOnce();
        for (var i = 0; i < 3; i++) await pollOnce();
        var afterFirstBurst = log.Drained.ToArray();
        await queue.EnqueueAsync([Request("4"), Request("5")], Token);
        await pollOnce();
        await queue.CompletedAsync(2, Token).WaitAsync(TimeSpan.FromSeconds(30), Token);
        while (log.Drained.Count == 1) await pollOnce();
        await stop.CancelAsync();
        await running;

        Assert.Equal(["Queue crm-sync-requests drained: 3 message(s) settled since it last was, none in flight here"], afterFirstBurst);
        Assert.Equal("Queue crm-sync-requests drained: 2 message(s) settled since it last was, none in flight here", log.Drained.Last());
        Assert.Equal(2, log.Drained.Count);
        Assert.Equal(0, await queue.CountAsync(Token));
    }

    private sealed class SucceedingHandler : ISyncRequestHandler
    {
        public Task<IReadOnlyList<DeliveryOutcome>> HandleAsync(IReadOnlyList<SyncDelivery> batch, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<DeliveryOutcome>>([.. batch.Select(d => new DeliveryOutcome.Handled(d.Message.Id))]);

        public Task OnPoisonedAsync(PoisonedMessage message, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>The SQLite queue, counting the messages it completed, so that a test can wait for a burst to be settled.</summary>
    private sealed class CompletionsCounted(SqliteWorkQueue inner) : IWorkQueue
    {
        private readonly SemaphoreSlim _completed = new(0);

        public string Name => inner.Name;

        public string PoisonQueueName => inner.PoisonQueueName;

        /// <summary>Completes once <paramref name="count"/> more messages were completed.</summary>
        public async Task CompletedAsync(int count, CancellationToken cancellationToken)
        {
            for (var i = 0; i < count; i++) await _completed.WaitAsync(cancellationToken);
        }

        public Task<int> CountAsync(CancellationToken cancellationToken) => inner.CountAsync(cancellationToken);

        public Task EnqueueAsync(SyncRequest request, CancellationToken cancellationToken) => inner.EnqueueAsync(request, cancellationToken);

        public Task EnqueueAsync(IReadOnlyCollection<SyncRequest> requests, CancellationToken cancellationToken) => inner.EnqueueAsync(requests, cancellationToken);

        public Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken) =>
            inner.ReceiveAsync(maxMessages, visibilityTimeout, cancellationToken);

        public async Task<bool> CompleteAsync(ReceivedMessage message, CancellationToken cancellationToken)
        {
            var completed = await inner.CompleteAsync(message, cancellationToken);
            if (completed) _completed.Release();
            return completed;
        }

        public Task<ReceivedMessage?> ReturnAsync(ReceivedMessage message, TimeSpan visibleAfter, CancellationToken cancellationToken) =>
            inner.ReturnAsync(message, visibleAfter, cancellationToken);

        public Task<ReceivedMessage?> ExtendAsync(ReceivedMessage message, TimeSpan visibilityTimeout, CancellationToken cancellationToken) =>
            inner.ExtendAsync(message, visibilityTimeout, cancellationToken);

        public Task<bool> MoveToPoisonAsync(ReceivedMessage message, CancellationToken cancellationToken) => inner.MoveToPoisonAsync(message, cancellationToken);
    }

    private sealed class LinesLogger : ILogger<QueueListener>
    {
        public ConcurrentQueue<string> Drained { get; } = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = formatter(state, exception);
            if (line.Contains(" drained: ", StringComparison.Ordinal)) Drained.Enqueue(line);
        }
    }

    private sealed class FailingHandler(Action attempted, TaskCompletionSource<PoisonedMessage> poisoned) : ISyncRequestHandler
    {
        public Task<IReadOnlyList<DeliveryOutcome>> HandleAsync(IReadOnlyList<SyncDelivery> batch, CancellationToken cancellationToken)
        {
            foreach (var _ in batch) attempted();
            return Task.FromResult<IReadOnlyList<DeliveryOutcome>>([.. batch.Select(d => new DeliveryOutcome.Failed(d.Message.Id, "the CRM is down"))]);
        }

        public Task OnPoisonedAsync(PoisonedMessage message, CancellationToken cancellationToken)
        {
            poisoned.TrySetResult(message);
            return Task.CompletedTask;
        }
    }
}
