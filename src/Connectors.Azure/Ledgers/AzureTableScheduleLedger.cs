using System.Globalization;
using Azure.Data.Tables;
using Connectors.Azure.State;
using Connectors.Core.Queue;

namespace Connectors.Azure.Ledgers;

/// <summary>The schedule ledger on Azure Table Storage: one row per flow and timer with its next occurrence.</summary>
public sealed class AzureTableScheduleLedger : IScheduleLedger
{
    private const string Partition = "schedule";

    private readonly TableClient _table;
    private readonly SemaphoreSlim _creating = new(1, 1);
    private volatile bool _ready;

    /// <summary>Creates the ledger on <paramref name="tableName"/>, created on first use.</summary>
    /// <exception cref="ArgumentException">The name is not a valid table name.</exception>
    public AzureTableScheduleLedger(AzureStorageAccount account, string tableName)
    {
        ArgumentNullException.ThrowIfNull(account);
        LedgerTables.CheckName(tableName);
        _table = account.CreateTableClient(tableName);
    }

    /// <inheritdoc />
    public async Task<DateTimeOffset?> GetNextDueAsync(string flow, string timer, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(flow);
        ArgumentException.ThrowIfNullOrWhiteSpace(timer);
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, TableKeys.Of("", flow, timer), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue && row.Value!.GetString("Next") is { } next
            ? DateTimeOffset.ParseExact(next, "o", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind)
            : null;
    }

    /// <inheritdoc />
    public async Task SetNextDueAsync(string flow, string timer, DateTimeOffset next, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(flow);
        ArgumentException.ThrowIfNullOrWhiteSpace(timer);
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(Partition, TableKeys.Of("", flow, timer))
        {
            ["Flow"] = flow,
            ["Timer"] = timer,
            ["Next"] = next.ToString("o", CultureInfo.InvariantCulture),
        };
        await _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    private async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        if (_ready) return;
        await _creating.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_ready) return;
            await _table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            _ready = true;
        }
        finally
        {
            _creating.Release();
        }
    }
}
