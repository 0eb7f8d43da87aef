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
/// a delivery in. A claim is queued, or runs out and is taken over. Rows are spread over 256 partitions per system by a hash of the key, so that a burst
/// of webhooks does not pile onto one partition's throughput.
/// </summary>
public sealed class AzureTableDeliveryLedger : IDeliveryLedger
{
    private const string Pending = "pending";
    private const string Queued = "queued";

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
    public async Task<DeliveryClaim> TryClaimAsync(string system, string deliveryKey, TimeSpan claimTimeout, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(system);
        ArgumentException.ThrowIfNullOrWhiteSpace(deliveryKey);
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var now = _clock.GetUtcNow();
        var entity = new TableEntity(Partition(system, deliveryKey), TableKeys.Of("", deliveryKey))
        {
            ["State"] = Pending,
            ["At"] = now.ToString("o", CultureInfo.InvariantCulture),
        };
        try
        {
            await _table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            return DeliveryClaim.Taken;
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.Conflict)
        {
            // Someone has it: queued, being queued, or claimed by a taker that died.
        }
        var found = await _table.GetEntityIfExistsAsync<TableEntity>(entity.PartitionKey, entity.RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!found.HasValue) return DeliveryClaim.InProgress;
        var existing = found.Value!;
        if (existing.GetString("State") == Queued) return DeliveryClaim.Duplicate;
        var claimedAt = DateTimeOffset.ParseExact(existing.GetString("At"), "o", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
        if (now - claimedAt < claimTimeout) return DeliveryClaim.InProgress;
        try
        {
            // Taken over only if nobody else took it over or queued it since we read it.
            await _table.UpdateEntityAsync(entity, existing.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return DeliveryClaim.Taken;
        }
        catch (RequestFailedException e) when (e.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound)
        {
            return DeliveryClaim.InProgress;
        }
    }

    /// <inheritdoc />
    public async Task MarkQueuedAsync(string system, string deliveryKey, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(system);
        ArgumentException.ThrowIfNullOrWhiteSpace(deliveryKey);
        var entity = new TableEntity(Partition(system, deliveryKey), TableKeys.Of("", deliveryKey)) { ["State"] = Queued };
        await _table.UpsertEntityAsync(entity, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
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
