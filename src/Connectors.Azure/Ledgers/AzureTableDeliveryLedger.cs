using System.Globalization;
using System.IO.Hashing;
using System.Net;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Connectors.Azure.State;
using Connectors.Core.Queue;

namespace Connectors.Azure.Ledgers;

/// <summary>
/// The delivery ledger on Azure Table Storage: one row per delivery, taken in with an insert that fails
/// when the row exists (409), so that of any number of instances sharing the account exactly one takes
/// a delivery in. Rows are spread over 256 partitions per system by a hash of the key, so that a burst
/// of webhooks does not pile onto one partition's throughput.
/// </summary>
public sealed class AzureTableDeliveryLedger : IDeliveryLedger
{
    private readonly TableClient _table;
    private readonly TimeProvider _clock;
    private readonly SemaphoreSlim _creating = new(1, 1);
    private volatile bool _ready;

    /// <summary>Creates the ledger on <paramref name="tableName"/>, created on first use.</summary>
    /// <exception cref="ArgumentException">The name is not a valid table name.</exception>
    public AzureTableDeliveryLedger(AzureStorageAccount account, string tableName, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(clock);
        LedgerTables.CheckName(tableName);
        _table = account.CreateTableClient(tableName);
        _clock = clock;
    }

    /// <inheritdoc />
    public async Task<bool> TryRecordAsync(string system, string deliveryKey, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(system);
        ArgumentException.ThrowIfNullOrWhiteSpace(deliveryKey);
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(Partition(system, deliveryKey), TableKeys.Of("", deliveryKey))
        {
            ["At"] = _clock.GetUtcNow().ToString("o", CultureInfo.InvariantCulture),
        };
        try
        {
            await _table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.Conflict)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public async Task ForgetAsync(string system, string deliveryKey, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(system);
        ArgumentException.ThrowIfNullOrWhiteSpace(deliveryKey);
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        await _table.DeleteEntityAsync(Partition(system, deliveryKey), TableKeys.Of("", deliveryKey), ETag.All, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes the ledger's table (tests and teardown).</summary>
    public async Task DeleteAsync(CancellationToken cancellationToken)
    {
        await _table.DeleteAsync(cancellationToken).ConfigureAwait(false);
        _ready = false;
    }

    private static string Partition(string system, string deliveryKey)
    {
        var bucket = XxHash32.HashToUInt32(Encoding.UTF8.GetBytes(deliveryKey)) & 0xFF;
        return TableKeys.Of("", system) + "|" + bucket.ToString("x2", CultureInfo.InvariantCulture);
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
