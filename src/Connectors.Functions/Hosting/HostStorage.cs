using Connectors.Azure;
using Connectors.Azure.Ledgers;
using Connectors.Azure.Lease;
using Connectors.Azure.Queue;
using Connectors.Azure.State;
using Connectors.Core.Queue;
using Connectors.Core.State;
using Connectors.State.Sqlite;
using Connectors.State.Sqlite.Ledgers;
using Connectors.State.Sqlite.Lease;
using Connectors.State.Sqlite.Queue;
using Microsoft.Extensions.Logging;

namespace Connectors.Functions.Hosting;

/// <summary>
/// Where the app keeps what outlives a process: the sync state, the work queue and its poison queue,
/// the delivery ledger (webhook dedupe), the schedule ledger and the flow leases. Either all on one Azure
/// Storage account, which any number of instances share, or all in SQLite files in one folder, which
/// the processes of one machine share.
/// </summary>
internal sealed class HostStorage : IAsyncDisposable
{
    private readonly IAsyncDisposable? _owned;

    private HostStorage(string description, ITwoWayStateStore state, IWorkQueue queue, IWorkQueue poisonQueue,
        IDeliveryLedger deliveries, IScheduleLedger schedules, IFlowLease leases, IAsyncDisposable? owned)
    {
        Description = description;
        State = state;
        Queue = queue;
        PoisonQueue = poisonQueue;
        Deliveries = deliveries;
        Schedules = schedules;
        Leases = leases;
        _owned = owned;
    }

    /// <summary>Says where, without secrets.</summary>
    public string Description { get; }

    /// <summary>The sync state.</summary>
    public ITwoWayStateStore State { get; }

    /// <summary>The queue between the webhook and the sync worker.</summary>
    public IWorkQueue Queue { get; }

    /// <summary>The queue's poison queue, read as a queue of its own (by replay).</summary>
    public IWorkQueue PoisonQueue { get; }

    /// <summary>Which webhook deliveries were taken in.</summary>
    public IDeliveryLedger Deliveries { get; }

    /// <summary>When each flow's timers are next due.</summary>
    public IScheduleLedger Schedules { get; }

    /// <summary>One instance per flow at a time, for the timers.</summary>
    public IFlowLease Leases { get; }

    /// <summary>Everything in SQLite files: the state at <paramref name="statePath"/>, the queue, ledgers and leases in <c>queue.db</c> beside it.</summary>
    public static HostStorage Local(string statePath, string queueName, TimeProvider clock)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(statePath))!;
        var queueFile = Path.Combine(folder, "queue.db");
        var state = new SqliteSyncStateStore(new SqliteStateOptions { DatabasePath = statePath });
        var queue = new SqliteWorkQueue(new SqliteQueueOptions { DatabasePath = queueFile, QueueName = queueName }, clock);
        var poison = new SqliteWorkQueue(new SqliteQueueOptions { DatabasePath = queueFile, QueueName = queue.PoisonQueueName }, clock);
        return new HostStorage($"SQLite files in {folder}", state, queue, poison,
            new SqliteDeliveryLedger(queueFile, clock), new SqliteScheduleLedger(queueFile),
            new SqliteFlowLease(queueFile, Holder(), clock), state);
    }

    /// <summary>Everything on one Azure Storage account: tables <c>&lt;prefix&gt;State</c>, <c>Runs</c>, <c>Deliveries</c>, <c>Schedules</c>, <c>Leases</c> and the queue.</summary>
    public static HostStorage Azure(AzureStorageAccount account, string queueName, string tablePrefix, TimeProvider clock, ILoggerFactory logging)
    {
        var queue = new AzureStorageWorkQueue(account, new AzureQueueOptions { QueueName = queueName }, logging.CreateLogger<AzureStorageWorkQueue>());
        var poison = new AzureStorageWorkQueue(account, new AzureQueueOptions { QueueName = queue.PoisonQueueName }, logging.CreateLogger<AzureStorageWorkQueue>());
        return new HostStorage($"{account} (queue {queueName}, tables {tablePrefix}*)",
            new AzureTableSyncStateStore(account, new AzureTableStateOptions { TablePrefix = tablePrefix }),
            queue, poison,
            new AzureTableDeliveryLedger(account, tablePrefix + "Deliveries", clock),
            new AzureTableScheduleLedger(account, tablePrefix + "Schedules"),
            new AzureFlowLease(account, new AzureFlowLeaseOptions { TableName = tablePrefix + "Leases", Holder = Holder() }, clock),
            null);
    }

    /// <summary>The storage the settings name: Azure when <see cref="FunctionAppSettings.StorageConnectionString"/> is set, else SQLite beside <paramref name="statePath"/>.</summary>
    public static HostStorage Choose(FunctionAppSettings settings, string statePath, TimeProvider clock, ILoggerFactory logging) =>
        settings.StorageConnectionString is { Length: > 0 } connection
            ? Azure(AzureStorageAccount.FromConnectionString(connection), settings.QueueName, settings.TablePrefix, clock, logging)
            : Local(statePath, settings.QueueName, clock);

    private static string Holder() => $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_owned is not null) await _owned.DisposeAsync().ConfigureAwait(false);
    }
}
