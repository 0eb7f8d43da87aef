using Connectors.Core.Queue;
using Microsoft.Data.Sqlite;

namespace Connectors.State.Sqlite.Ledgers;

/// <summary>
/// The delivery ledger in a SQLite file: a primary key on (system, key) makes the claim of a delivery
/// succeed once for every process sharing the file, until it is queued or its claim runs out. A group
/// of deliveries is claimed, marked or forgotten in one transaction.
/// </summary>
public sealed class SqliteDeliveryLedger : IDeliveryLedger
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS deliveries (
            system       TEXT NOT NULL,
            delivery_key TEXT NOT NULL,
            queued       INTEGER NOT NULL,
            at_utc       INTEGER NOT NULL,
            PRIMARY KEY (system, delivery_key)
        ) WITHOUT ROWID;
        """;

    // Rows forgotten in one transaction by a sweep.
    private const int SweepBatch = 1_000;

    private readonly SqliteFile _file;
    private readonly TimeProvider _clock;

    /// <summary>Creates the ledger on <paramref name="databasePath"/> (created on first use).</summary>
    public SqliteDeliveryLedger(string databasePath, TimeProvider clock)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        ArgumentNullException.ThrowIfNull(clock);
        _file = new SqliteFile(databasePath, TimeSpan.FromSeconds(30), Schema);
        _clock = clock;
    }

    /// <inheritdoc />
    public async Task<DeliveryClaims> TryClaimAsync(string system, IReadOnlyList<string> deliveryKeys, TimeSpan claimTimeout, CancellationToken cancellationToken)
    {
        Check(system, deliveryKeys);
        var now = _clock.GetUtcNow();
        var claims = new DeliveryClaim[deliveryKeys.Count];
        await using var connection = await _file.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var claim = connection.CreateCommand();
        // One statement a key: a new row, or the takeover of a claim that ran out unqueued.
        claim.CommandText = """
            INSERT INTO deliveries (system, delivery_key, queued, at_utc) VALUES ($system, $key, 0, $now)
            ON CONFLICT (system, delivery_key) DO UPDATE SET at_utc = excluded.at_utc
            WHERE deliveries.queued = 0 AND deliveries.at_utc <= $cutoff
            RETURNING 1;
            """;
        claim.Parameters.AddWithValue("$system", system);
        var claimKey = claim.Parameters.Add("$key", SqliteType.Text);
        claim.Parameters.AddWithValue("$now", now.UtcTicks);
        claim.Parameters.AddWithValue("$cutoff", (now - claimTimeout).UtcTicks);
        await using var read = connection.CreateCommand();
        read.CommandText = "SELECT queued FROM deliveries WHERE system = $system AND delivery_key = $key;";
        read.Parameters.AddWithValue("$system", system);
        var readKey = read.Parameters.Add("$key", SqliteType.Text);
        for (var i = 0; i < deliveryKeys.Count; i++)
        {
            claimKey.Value = deliveryKeys[i];
            if (await claim.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null)
            {
                claims[i] = DeliveryClaim.Taken;
                continue;
            }
            readKey.Value = deliveryKeys[i];
            claims[i] = await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long queued && queued == 1
                ? DeliveryClaim.Duplicate
                : DeliveryClaim.InProgress;
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        // Rows are marked one by one in a local file, so the group needs no name of its own.
        return new DeliveryClaims(system, deliveryKeys, claims, "");
    }

    /// <inheritdoc />
    public Task MarkQueuedAsync(DeliveryClaims claims, CancellationToken cancellationToken) =>
        EachAsync(claims, "UPDATE deliveries SET queued = 1 WHERE system = $system AND delivery_key = $key;", cancellationToken);

    /// <inheritdoc />
    public Task ForgetAsync(DeliveryClaims claims, CancellationToken cancellationToken) =>
        EachAsync(claims, "DELETE FROM deliveries WHERE system = $system AND delivery_key = $key AND queued = 0;", cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// Rows are forgotten by batches of <see cref="SweepBatch"/>, each in a transaction of its own, so that the
    /// file's write lock is held for milliseconds at a time and claims go on between batches. Each batch goes on
    /// from the last key of the one before, in the primary key's order, so the table is read once however many
    /// batches it takes, without an index on the claim time that every claim would have to keep up.
    /// </remarks>
    public async Task<long> SweepAsync(DateTimeOffset olderThan, CancellationToken cancellationToken)
    {
        var cutoff = olderThan.UtcTicks;
        var forgotten = 0L;
        // Below every row: a system name is never empty.
        var (afterSystem, afterKey) = ("", "");
        await using var connection = await _file.OpenAsync(cancellationToken).ConfigureAwait(false);
        while (true)
        {
            // Immediate: the write lock from the start, so that no claim changes a row between the two statements.
            await using var transaction = connection.BeginTransaction(deferred: false);
            await using var find = connection.CreateCommand();
            find.CommandText = """
                SELECT system, delivery_key FROM deliveries
                WHERE (system, delivery_key) > ($system, $key) AND at_utc < $cutoff
                ORDER BY system, delivery_key LIMIT $batch;
                """;
            find.Parameters.AddWithValue("$system", afterSystem);
            find.Parameters.AddWithValue("$key", afterKey);
            find.Parameters.AddWithValue("$cutoff", cutoff);
            find.Parameters.AddWithValue("$batch", SweepBatch);
            var batch = new List<(string System, string Key)>(SweepBatch);
            await using (var rows = await find.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await rows.ReadAsync(cancellationToken).ConfigureAwait(false)) batch.Add((rows.GetString(0), rows.GetString(1)));
            }
            if (batch.Count == 0) return forgotten;
            await using var delete = connection.CreateCommand();
            // The cutoff once more, so that the statement is right on its own.
            delete.CommandText = "DELETE FROM deliveries WHERE system = $system AND delivery_key = $key AND at_utc < $cutoff;";
            var system = delete.Parameters.Add("$system", SqliteType.Text);
            var key = delete.Parameters.Add("$key", SqliteType.Text);
            delete.Parameters.AddWithValue("$cutoff", cutoff);
            foreach (var row in batch)
            {
                (system.Value, key.Value) = row;
                forgotten += await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            if (batch.Count < SweepBatch) return forgotten;
            (afterSystem, afterKey) = batch[^1];
        }
    }

    private async Task EachAsync(DeliveryClaims claims, string statement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claims);
        var deliveryKeys = claims.Taken.ToArray();
        if (deliveryKeys.Length == 0) return;
        await using var connection = await _file.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = statement;
        command.Parameters.AddWithValue("$system", claims.System);
        var key = command.Parameters.Add("$key", SqliteType.Text);
        foreach (var deliveryKey in deliveryKeys)
        {
            key.Value = deliveryKey;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void Check(string system, IReadOnlyList<string> deliveryKeys)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(system);
        ArgumentNullException.ThrowIfNull(deliveryKeys);
        foreach (var key in deliveryKeys) ArgumentException.ThrowIfNullOrWhiteSpace(key, nameof(deliveryKeys));
    }
}
