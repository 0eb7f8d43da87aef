using Connectors.Azure.Ledgers;
using Connectors.Azure.Queue;
using Connectors.Core.Queue;
using Connectors.Functions.Hosting;
using Connectors.Functions.Tests.Infrastructure;
using Connectors.Functions.Webhooks;
using Connectors.State.Sqlite.Ledgers;
using Connectors.State.Sqlite.Queue;
using Connectors.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Connectors.Functions.Tests.Webhooks;

/// <summary>
/// The intake's grouping, on real ledgers and queues. The SQLite facts hold the file's write lock from a
/// second connection, as another process's long write would, so that the events handed in meanwhile are
/// known to wait for the same group.
/// </summary>
public sealed class DeliveryIntakeTests(AzuriteFixture azurite) : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("connectors-intake-tests-").FullName;
    private readonly WaitObservingClock _clock = new();
    private readonly FunctionAppSettings _settings = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private string QueueFile => Path.Combine(_folder, "queue.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private static SyncRequest[] Customer(long id) => [new("customers-to-crm", "shop.customers", [id.ToString()], null, Now)];

    private (DeliveryIntake Intake, SqliteWorkQueue Queue) LocalIntake()
    {
        var queue = new SqliteWorkQueue(new SqliteQueueOptions { DatabasePath = QueueFile }, _clock);
        return (new DeliveryIntake(queue, new SqliteDeliveryLedger(QueueFile, _clock), _settings, NullLogger.Instance), queue);
    }

    /// <summary>Takes the file's write lock; storage calls of the intake wait until it is disposed.</summary>
    private async Task<SqliteConnection> LockAsync()
    {
        // The queue creates its tables on first use: do that before the lock, so that only the intake waits.
        await new SqliteWorkQueue(new SqliteQueueOptions { DatabasePath = QueueFile }, _clock).ReceiveAsync(1, TimeSpan.FromSeconds(1), Token);
        await new SqliteDeliveryLedger(QueueFile, _clock).TryClaimAsync("shop", [], TimeSpan.FromSeconds(1), Token);
        var connection = new SqliteConnection($"Data Source={QueueFile};Pooling=False");
        await connection.OpenAsync(Token);
        await using var begin = connection.CreateCommand();
        begin.CommandText = "BEGIN EXCLUSIVE;";
        await begin.ExecuteNonQueryAsync(Token);
        return connection;
    }

    private static async Task<IReadOnlyList<SyncRequest>> DrainAsync(IWorkQueue queue)
    {
        var all = new List<SyncRequest>();
        while (await queue.ReceiveAsync(32, TimeSpan.FromMinutes(5), Token) is { Count: > 0 } messages)
        {
            all.AddRange(messages.Select(m => SyncRequest.FromJson(m.Body)));
        }
        return all;
    }

    [Fact]
    public async Task Burst_ArrivingWhileStorageIsBusy_IsQueuedAsOneMessagePerFlowAndHundredRecords()
    {
        var (intake, queue) = LocalIntake();
        var settled = new List<Task<IntakeOutcome>>();
        using (await LockAsync())
        {
            // 300 events of 150 customers: every customer changed twice.
            for (var i = 0; i < 300; i++) settled.Add(intake.TakeAsync("shop", $"evt-{i}", Customer(7_000 + i % 150), Token));
        }

        var outcomes = await Task.WhenAll(settled);
        var messages = await DrainAsync(queue);

        Assert.All(outcomes, outcome => Assert.Equal(IntakeOutcome.Queued, outcome));
        // One group may have left before the burst was complete; the rest wait for the next one. Without groups: 300 messages.
        Assert.InRange(messages.Count, 2, 4);
        Assert.All(messages, m => Assert.InRange(m.RecordIds.Count, 1, _settings.WebhookIdsPerMessage));
        Assert.Equal(Enumerable.Range(7_000, 150).Select(i => i.ToString()), messages.SelectMany(m => m.RecordIds).Distinct().Order());
    }

    [Fact]
    public async Task Duplicate_WhileItsFirstCopyIsBeingQueued_IsSettledByThatCopy_AndQueuedOnce()
    {
        var (intake, queue) = LocalIntake();
        Task<IntakeOutcome> first, second;
        using (await LockAsync())
        {
            first = intake.TakeAsync("shop", "evt-1", Customer(7_001), Token);
            second = intake.TakeAsync("shop", "evt-1", Customer(7_001), Token);
        }

        Assert.Equal(IntakeOutcome.Queued, await first);
        Assert.Equal(IntakeOutcome.Duplicate, await second);
        var message = Assert.Single(await DrainAsync(queue));
        Assert.Equal("evt-1", message.EventId);
        Assert.Equal(["7001"], message.RecordIds);
    }

    [Fact]
    public async Task Duplicate_ReachingAnotherInstance_IsSettledByTheLedger()
    {
        var (intake, queue) = LocalIntake();
        var (otherInstance, _) = LocalIntake();

        var first = await intake.TakeAsync("shop", "evt-1", Customer(7_001), Token);
        var second = await otherInstance.TakeAsync("shop", "evt-1", Customer(7_001), Token);

        Assert.Equal((IntakeOutcome.Queued, IntakeOutcome.Duplicate), (first, second));
        Assert.Single(await DrainAsync(queue));
    }

    [Fact]
    public async Task QueueMissing_AnswersFailed_AndGivesTheClaimUp_SoTheVendorsRetryIsQueued()
    {
        await azurite.EnsureStartedAsync();
        var name = TestNames.Queue();
        var table = TestNames.Table();
        var ledger = new AzureTableDeliveryLedger(azurite.Account!, table, _clock);
        // A queue that is not there and is not created: every send fails with 404, as when the queue was deleted.
        var missing = new AzureStorageWorkQueue(azurite.Account!, new AzureQueueOptions { QueueName = name, CreateIfMissing = false }, NullLogger<AzureStorageWorkQueue>.Instance);
        var intake = new DeliveryIntake(missing, ledger, _settings, NullLogger.Instance);
        var queue = new AzureStorageWorkQueue(azurite.Account!, new AzureQueueOptions { QueueName = name }, NullLogger<AzureStorageWorkQueue>.Instance);
        try
        {
            var failed = await intake.TakeAsync("shop", "evt-1", Customer(7_001), Token);
            Assert.Empty(await queue.ReceiveAsync(32, TimeSpan.FromMinutes(5), Token));
            var retried = await intake.TakeAsync("shop", "evt-1", Customer(7_001), Token);

            Assert.Equal((IntakeOutcome.Failed, IntakeOutcome.Queued), (failed, retried));
            Assert.Equal(["7001"], Assert.Single(await DrainAsync(queue)).RecordIds);
        }
        finally
        {
            await queue.DeleteAsync(CancellationToken.None);
            await ledger.DeleteAsync(CancellationToken.None);
        }
    }
}
