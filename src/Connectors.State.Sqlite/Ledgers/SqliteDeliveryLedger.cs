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
