using Connectors.Core.Queue;

namespace Connectors.State.Sqlite.Ledgers;

/// <summary>
/// The delivery ledger in a SQLite file: a primary key on (system, key) makes the insert that takes a
/// delivery in succeed once, for every process sharing the file.
/// </summary>
public sealed class SqliteDeliveryLedger : IDeliveryLedger
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS deliveries (
            system       TEXT NOT NULL,
            delivery_key TEXT NOT NULL,
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
    public async Task<bool> TryRecordAsync(string system, string deliveryKey, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(system);
        ArgumentException.ThrowIfNullOrWhiteSpace(deliveryKey);
        await using var connection = await _file.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO deliveries (system, delivery_key, at_utc) VALUES ($system, $key, $at) ON CONFLICT DO NOTHING;";
        command.Parameters.AddWithValue("$system", system);
        command.Parameters.AddWithValue("$key", deliveryKey);
        command.Parameters.AddWithValue("$at", _clock.GetUtcNow().UtcTicks);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
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
