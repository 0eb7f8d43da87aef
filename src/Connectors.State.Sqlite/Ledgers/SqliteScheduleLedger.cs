using Connectors.Core.Queue;

namespace Connectors.State.Sqlite.Ledgers;

/// <summary>The schedule ledger in a SQLite file: one row per flow and timer with its next occurrence.</summary>
public sealed class SqliteScheduleLedger : IScheduleLedger
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS schedules (
            flow     TEXT NOT NULL,
            timer    TEXT NOT NULL,
            next_utc INTEGER NOT NULL,
            PRIMARY KEY (flow, timer)
        ) WITHOUT ROWID;
        """;

    private readonly SqliteFile _file;

    /// <summary>Creates the ledger on <paramref name="databasePath"/> (created on first use).</summary>
    public SqliteScheduleLedger(string databasePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        _file = new SqliteFile(databasePath, TimeSpan.FromSeconds(30), Schema);
    }

    /// <inheritdoc />
    public async Task<DateTimeOffset?> GetNextDueAsync(string flow, string timer, CancellationToken cancellationToken)
    {
        await using var connection = await _file.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT next_utc FROM schedules WHERE flow = $flow AND timer = $timer;";
        command.Parameters.AddWithValue("$flow", flow);
        command.Parameters.AddWithValue("$timer", timer);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long ticks
            ? new DateTimeOffset(ticks, TimeSpan.Zero)
            : null;
    }

    /// <inheritdoc />
    public async Task SetNextDueAsync(string flow, string timer, DateTimeOffset next, CancellationToken cancellationToken)
    {
        await using var connection = await _file.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO schedules (flow, timer, next_utc) VALUES ($flow, $timer, $next)
            ON CONFLICT (flow, timer) DO UPDATE SET next_utc = excluded.next_utc;
            """;
        command.Parameters.AddWithValue("$flow", flow);
        command.Parameters.AddWithValue("$timer", timer);
        command.Parameters.AddWithValue("$next", next.UtcTicks);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
