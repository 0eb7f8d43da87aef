using System.Globalization;
using System.IO.Hashing;
using System.Net;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Connectors.Azure.State;
using Connectors.Azure.Tables;
using Connectors.Core.Queue;

namespace Connectors.Azure.Ledgers;

/// <summary>
/// The delivery ledger on Azure Table Storage: one row per delivery, taken in with an insert that fails
/// when the row exists (409), so that of any number of instances sharing the account exactly one takes
/// a delivery in. A group of deliveries is claimed with one entity-group transaction per partition; a
/// transaction that meets an existing row names it, and that row alone is looked at while the rest are
/// claimed again. Each claim row names its group, and the group is marked queued by one row of its own,
/// so that marking a burst costs one write rather than one per delivery: a delivery is a duplicate when
/// its group's row exists, in progress while its claim is young, and taken over when the claim ran out.
/// Claim and group rows alike carry the time they were written (<c>At</c>), by which
/// <see cref="SweepAsync"/> forgets them.
/// </summary>
public sealed class AzureTableDeliveryLedger : IDeliveryLedger
{
    /// <summary>
    /// Partitions per system. A transaction holds rows of one partition, so fewer partitions make bigger
    /// transactions (fewer round trips for a burst); four spread a system's rows over four partition
    /// servers, each good for about 2,000 rows a second.
    /// </summary>
    public const int Partitions = 4;

    private const string GroupsPartition = "groups";

    // Rows read by one page of a sweep's query (the service's largest page).
    private const int SweepPage = 1_000;

    private readonly TableClient _table;
    private readonly TableTransactionClient _transactions;
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
        _transactions = account.CreateTableTransactionClient(tableName);
        _clock = clock;
    }

    /// <inheritdoc />
    public async Task<DeliveryClaims> TryClaimAsync(string system, IReadOnlyList<string> deliveryKeys, TimeSpan claimTimeout, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(system);
        ArgumentNullException.ThrowIfNull(deliveryKeys);
        foreach (var key in deliveryKeys) ArgumentException.ThrowIfNullOrWhiteSpace(key, nameof(deliveryKeys));
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var group = Guid.NewGuid().ToString("N");
        var now = _clock.GetUtcNow();
        var claims = new DeliveryClaim[deliveryKeys.Count];
        await Task.WhenAll(Transactions(system, deliveryKeys).Select(rows => ClaimAsync(system, rows, group, now, claimTimeout, claims, cancellationToken))).ConfigureAwait(false);
        return new DeliveryClaims(system, deliveryKeys, claims, group);
    }

    /// <inheritdoc />
    public async Task MarkQueuedAsync(DeliveryClaims claims, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claims);
        if (!claims.Taken.Any()) return;
        // The time it was marked, by which the sweep forgets it.
        var group = new TableEntity(GroupPartition(claims.System), claims.Group) { ["At"] = Stamp(_clock.GetUtcNow()) };
        await _table.UpsertEntityAsync(group, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The claims are made to have run out rather than deleted: a delete of a row that is gone fails a whole
    /// transaction, and a claim that ran out is taken over by the next attempt all the same.
    /// </remarks>
    public async Task ForgetAsync(DeliveryClaims claims, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claims);
        await Task.WhenAll(Transactions(claims.System, [.. claims.Taken]).Select(async rows =>
        {
            var outcome = await _transactions.UpsertAsync([.. rows.Select(row => Claim(row, claims.Group, Stamp(DateTimeOffset.MinValue)))], cancellationToken).ConfigureAwait(false);
            if (!outcome.IsApplied) throw Refused(outcome);
        })).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// One query over the table for the rows whose <c>At</c> is before the cutoff (claim and group rows carry it alike,
    /// as a round-trip string, whose order is the time's), a page of at most <see cref="SweepPage"/> at a time, so that
    /// memory is bounded by a page. Each page is deleted by entity-group transactions of at most 100 rows of one
    /// partition: the claim rows first, then the group rows. A group row is written when its group is marked queued,
    /// after every claim of the group was made, so a group row older than the cutoff names only claims older than the
    /// cutoff: forgetting it never makes a claim inside the window look unqueued. Each row is deleted only if it is
    /// still as the query saw it (its ETag): a claim that ran out and is taken over while the sweep runs is new again,
    /// and stays. A row deleted or taken over in the meantime fails its transaction, which names it; it is left out and
    /// the rest are deleted again.
    /// </remarks>
    public async Task<long> SweepAsync(DateTimeOffset olderThan, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"At lt {Stamp(olderThan)}");
        var forgotten = 0L;
        var pages = _table.QueryAsync<TableEntity>(filter, SweepPage, ["PartitionKey", "RowKey"], cancellationToken).AsPages();
        await foreach (var page in pages.ConfigureAwait(false))
        {
            var partitions = page.Values.GroupBy(row => row.PartitionKey, StringComparer.Ordinal).ToLookup(partition => IsGroups(partition.Key));
            forgotten += await DeleteAllAsync(partitions[false]).ConfigureAwait(false);
            await DeleteAllAsync(partitions[true]).ConfigureAwait(false);
        }
        return forgotten;

        async Task<int> DeleteAllAsync(IEnumerable<IEnumerable<TableEntity>> partitions) =>
            (await Task.WhenAll(partitions.SelectMany(partition => partition.Chunk(TableTransactionClient.MaxActions)).Select(rows => DeleteAsync(rows, cancellationToken)))
                .ConfigureAwait(false)).Sum();
    }

    /// <summary>Deletes the ledger's table (tests and teardown).</summary>
    public async Task DeleteAsync(CancellationToken cancellationToken)
    {
        await _table.DeleteAsync(cancellationToken).ConfigureAwait(false);
        _ready = false;
    }

    private async Task ClaimAsync(string system, IReadOnlyList<Row> rows, string group, DateTimeOffset now, TimeSpan claimTimeout, DeliveryClaim[] claims,
        CancellationToken cancellationToken)
    {
        var left = rows.ToList();
        var at = Stamp(now);
        while (left.Count > 0)
        {
            var outcome = await _transactions.InsertAsync([.. left.Select(row => Claim(row, group, at))], cancellationToken).ConfigureAwait(false);
            if (outcome.IsApplied)
            {
                foreach (var row in left) claims[row.Index] = DeliveryClaim.Taken;
                return;
            }
            if (outcome is not { Status: (int)HttpStatusCode.Conflict, FailedIndex: { } failed } || failed >= left.Count) throw Refused(outcome);
            // Someone has that one: queued, being queued, or claimed by a taker that died. Nothing else was written.
            var existing = left[failed];
            left.RemoveAt(failed);
            claims[existing.Index] = await ClaimExistingAsync(system, existing, group, now, claimTimeout, cancellationToken).ConfigureAwait(false);
        }
    }

    private static RequestFailedException Refused(TransactionOutcome outcome) => new(outcome.Status,
        $"The table service refused a ledger transaction: {outcome.Status} {outcome.ErrorCode}{(outcome.FailedIndex is { } index ? $" at action {index}" : "")}", outcome.ErrorCode, null);

    /// <summary>The claim of a delivery whose row exists: a duplicate, in progress, or a claim that ran out and is taken over.</summary>
    private async Task<DeliveryClaim> ClaimExistingAsync(string system, Row row, string group, DateTimeOffset now, TimeSpan claimTimeout, CancellationToken cancellationToken)
    {
        var found = await _table.GetEntityIfExistsAsync<TableEntity>(row.Partition, row.RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!found.HasValue)
        {
            // Gone between the insert and the read: try the insert once more, alone.
            try
            {
                await _table.AddEntityAsync(ClaimEntity(row, group, now), cancellationToken).ConfigureAwait(false);
                return DeliveryClaim.Taken;
            }
            catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.Conflict)
            {
                return DeliveryClaim.InProgress;
            }
        }
        var existing = found.Value!;
        // Ours: a transaction the pipeline sent again after its first attempt had been applied unanswered.
        if (existing.GetString("Group") == group) return DeliveryClaim.Taken;
        var queued = await _table.GetEntityIfExistsAsync<TableEntity>(GroupPartition(system), existing.GetString("Group"), select: ["PartitionKey"], cancellationToken)
            .ConfigureAwait(false);
        if (queued.HasValue) return DeliveryClaim.Duplicate;
        var claimedAt = DateTimeOffset.ParseExact(existing.GetString("At"), "o", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
        if (now - claimedAt < claimTimeout) return DeliveryClaim.InProgress;
        try
        {
            // Taken over only if nobody else took it over since we read it.
            await _table.UpdateEntityAsync(ClaimEntity(row, group, now), existing.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return DeliveryClaim.Taken;
        }
        catch (RequestFailedException e) when (e.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound)
        {
            return DeliveryClaim.InProgress;
        }
    }

    /// <summary>Deletes the rows (of one partition) that are still as read; the number deleted.</summary>
    private async Task<int> DeleteAsync(IReadOnlyList<TableEntity> rows, CancellationToken cancellationToken)
    {
        var left = rows.ToList();
        while (left.Count > 0)
        {
            try
            {
                await _table.SubmitTransactionAsync(left.Select(row => new TableTransactionAction(TableTransactionActionType.Delete, row, row.ETag)), cancellationToken)
                    .ConfigureAwait(false);
                return left.Count;
            }
            catch (TableTransactionFailedException e) when (e.Status is (int)HttpStatusCode.NotFound or (int)HttpStatusCode.PreconditionFailed
                && e.FailedTransactionActionIndex is { } failed && failed < left.Count)
            {
                // Gone (another sweep) or taken over since the query: nothing was deleted; leave that one be and delete the rest.
                // A chunk another sweep deleted whole costs a round trip a row: the sweep's lease keeps two sweeps apart.
                left.RemoveAt(failed);
            }
        }
        return 0;
    }

    private static TableRow Claim(Row row, string group, string at) =>
        new(row.Partition, row.RowKey, [new("Group", group), new("At", at)]);

    private static TableEntity ClaimEntity(Row row, string group, DateTimeOffset at)
    {
        var claim = Claim(row, group, Stamp(at));
        var entity = new TableEntity(claim.PartitionKey, claim.RowKey);
        foreach (var (name, value) in claim.Properties) entity[name] = value;
        return entity;
    }

    /// <summary>An instant as the rows keep it: a round-trip string in UTC, whose order as a string is the time's.</summary>
    private static string Stamp(DateTimeOffset at) => at.ToUniversalTime().ToString("o", CultureInfo.InvariantCulture);

    private static bool IsGroups(string partition) => partition.EndsWith("|" + GroupsPartition, StringComparison.Ordinal);

    private static string GroupPartition(string system) => TableKeys.Of("", system) + "|" + GroupsPartition;

    /// <summary>The keys as rows, grouped by partition into transactions of at most <see cref="TableTransactionClient.MaxActions"/>.</summary>
    private static IEnumerable<IReadOnlyList<Row>> Transactions(string system, IReadOnlyList<string> deliveryKeys)
    {
        var prefix = TableKeys.Of("", system) + "|";
        var partitions = new string[Partitions];
        for (var bucket = 0; bucket < Partitions; bucket++) partitions[bucket] = prefix + bucket.ToString(CultureInfo.InvariantCulture);
        return deliveryKeys
            .Select((key, index) => new Row(index, partitions[Bucket(key)], TableKeys.Of("", key)))
            .GroupBy(row => row.Partition, StringComparer.Ordinal)
            .SelectMany(partition => partition.Chunk(TableTransactionClient.MaxActions));
    }

    private static int Bucket(string deliveryKey)
    {
        var utf8 = Encoding.UTF8.GetMaxByteCount(deliveryKey.Length) <= 1024 ? stackalloc byte[1024] : new byte[Encoding.UTF8.GetMaxByteCount(deliveryKey.Length)];
        return (int)(XxHash32.HashToUInt32(utf8[..Encoding.UTF8.GetBytes(deliveryKey, utf8)]) % Partitions);
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

    /// <summary>A delivery key's row, and its place in the caller's list.</summary>
    private readonly record struct Row(int Index, string Partition, string RowKey);
}
