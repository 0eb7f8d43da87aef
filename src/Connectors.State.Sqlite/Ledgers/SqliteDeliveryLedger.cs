using Connectors.Core.Queue;

namespace Connectors.State.Sqlite.Ledgers;

/// <summary>
/// The delivery ledger in a SQLite file: a primary key on (system, key) makes the claim of a delivery
/// succeed once for every process sharing the file, until it is queued or its claim runs out.
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
    public async Task<DeliveryClaim> TryClaimAsync(string system, string deliveryKey, TimeSpan claimTimeout, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(system);
        ArgumentException.ThrowIfNullOrWhiteSpace(deliveryKey);
        var now = _clock.GetUtcNow();
        await using var connection = await _file.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        // One statement: a new row, or the takeover of a claim that ran out unqueued.
        command.CommandText = """
            INSERT INTO deliveries (system, delivery_key, queued, at_utc) VALUES ($system, $key, 0, $now)
            ON CONFLICT (system, delivery_key) DO UPDATE SET at_utc = excluded.at_utc
            WHERE deliveries.queued = 0 AND deliveries.at_utc <= $cutoff
            RETURNING 1;
            """;
        command.Parameters.AddWithValue("$system", system);
        command.Parameters.AddWithValue("$key", deliveryKey);
        command.Parameters.AddWithValue("$now", now.UtcTicks);
        command.Parameters.AddWithValue("$cutoff", (now - claimTimeout).UtcTicks);
        if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null) return DeliveryClaim.Taken;
        await using var read = connection.CreateCommand();
        read.CommandText = "SELECT queued FROM deliveries WHERE system = $system AND delivery_key = $key;";
        read.Parameters.AddWithValue("$system", system);
        read.Parameters.AddWithValue("$key", deliveryKey);
        return await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long queued && queued == 1
            ? DeliveryClaim.Duplicate
            : DeliveryClaim.InProgress;
    }

    /// <inheritdoc />
    public async Task MarkQueuedAsync(string system, string deliveryKey, CancellationToken cancellationToken)
    {
        await using var connection = await _file.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE deliveries SET queued = 1 WHERE system = $system AND delivery_key = $key;";
        command.Parameters.AddWithValue("$system", system);
        command.Parameters.AddWithValue("$key", deliveryKey);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task ForgetAsync(string system, string deliveryKey, CancellationToken cancellationToken)
    {
        await using var connection = await _file.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM deliveries WHERE system = $system AND delivery_key = $key;";
        command.Parameters.AddWithValue("$system", system);
        command.Parameters.AddWithValue("$key", deliveryKey);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
