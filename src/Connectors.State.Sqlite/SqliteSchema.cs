using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Connectors.State.Sqlite;

/// <summary>
/// The tables of the state store and the steps that bring a file of any earlier version up to date.
/// Each step runs once per file, in order, recorded in <c>schema_versions</c>; a released step is never
/// edited, only followed by a new one.
/// </summary>
internal static class SqliteSchema
{
    /// <summary>The migrations, in the order they are applied.</summary>
    private static readonly Migration[] Migrations =
    [
        new(1, "watermarks, links, dead letters, runs", """
            CREATE TABLE watermarks (
                flow      TEXT NOT NULL PRIMARY KEY,
                watermark TEXT NOT NULL
            ) WITHOUT ROWID;

            CREATE TABLE links (
                flow        TEXT NOT NULL,
                source_id   TEXT NOT NULL,
                target_id   TEXT NOT NULL,
                fingerprint TEXT NOT NULL,
                synced_at   TEXT NOT NULL,
                PRIMARY KEY (flow, source_id)
            ) WITHOUT ROWID;
            CREATE INDEX links_by_target ON links (flow, target_id);

            CREATE TABLE dead_letters (
                id        INTEGER PRIMARY KEY AUTOINCREMENT,
                flow      TEXT NOT NULL,
                stream    TEXT NOT NULL,
                source_id TEXT NOT NULL,
                code      TEXT NOT NULL,
                field     TEXT NULL,
                message   TEXT NOT NULL,
                record    TEXT NOT NULL,
                at        TEXT NOT NULL,
                at_utc    INTEGER NOT NULL
            );
            CREATE INDEX dead_letters_by_time ON dead_letters (flow, at_utc, id);
            CREATE INDEX dead_letters_by_source ON dead_letters (flow, stream, source_id);

            CREATE TABLE runs (
                run_id         TEXT NOT NULL PRIMARY KEY,
                flow           TEXT NOT NULL,
                kind           TEXT NOT NULL,
                started_at     TEXT NOT NULL,
                started_at_utc INTEGER NOT NULL,
                duration_ticks INTEGER NOT NULL,
                status         TEXT NOT NULL,
                counts         TEXT NOT NULL,
                message        TEXT NULL
            );
            CREATE INDEX runs_by_time ON runs (started_at_utc DESC);
            CREATE INDEX runs_by_flow ON runs (flow, started_at_utc DESC);
            """),
        new(2, "two-way flows: base snapshots and orphans on links, the conflict queue", """
            ALTER TABLE links ADD COLUMN base TEXT NULL;
            ALTER TABLE links ADD COLUMN orphaned INTEGER NOT NULL DEFAULT 0;

            CREATE TABLE conflicts (
                flow          TEXT NOT NULL,
                id            TEXT NOT NULL,
                left_id       TEXT NOT NULL,
                right_id      TEXT NOT NULL,
                fields        TEXT NOT NULL,
                parked_at     TEXT NOT NULL,
                parked_at_utc INTEGER NOT NULL,
                decision      TEXT NULL,
                decided_at    TEXT NULL,
                PRIMARY KEY (flow, id)
            ) WITHOUT ROWID;
            CREATE INDEX conflicts_by_time ON conflicts (flow, parked_at_utc);
            """),
    ];

    /// <summary>The version a file has once every migration this build knows has been applied.</summary>
    public static int CurrentVersion => Migrations[^1].Version;

    /// <summary>
    /// Puts the file in WAL mode and applies the migrations it lacks. Safe when several processes open
    /// the same new file at once: the migrations run under the write lock, and the second opener finds
    /// them applied.
    /// </summary>
    public static async Task UpgradeAsync(SqliteConnection connection, string databasePath, CancellationToken cancellationToken)
    {
        // WAL lets readers go on while a run commits, and it is a property of the file: set once, kept.
        // It cannot change inside a transaction, so it comes first.
        var journalMode = await ScalarAsync(connection, null, "PRAGMA journal_mode = WAL;", cancellationToken).ConfigureAwait(false);
        if (!string.Equals(journalMode as string, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"The state database '{databasePath}' cannot use write-ahead logging (SQLite reports journal mode '{journalMode}'); put it on a local disk.");
        }

        await using var transaction = connection.BeginTransaction(deferred: false);
        await ExecuteAsync(connection, transaction,
            "CREATE TABLE IF NOT EXISTS schema_versions (version INTEGER NOT NULL PRIMARY KEY, description TEXT NOT NULL);",
            cancellationToken).ConfigureAwait(false);
        var applied = Convert.ToInt32(
            await ScalarAsync(connection, transaction, "SELECT COALESCE(MAX(version), 0) FROM schema_versions;", cancellationToken).ConfigureAwait(false),
            CultureInfo.InvariantCulture);
        if (applied > CurrentVersion)
        {
            throw new InvalidOperationException(
                $"The state database '{databasePath}' has schema version {applied}, newer than the {CurrentVersion} this build knows; use a newer build.");
        }

        foreach (var migration in Migrations.Where(m => m.Version > applied))
        {
            await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken).ConfigureAwait(false);
            await using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO schema_versions (version, description) VALUES ($version, $description);";
            record.Parameters.AddWithValue("$version", migration.Version);
            record.Parameters.AddWithValue("$description", migration.Description);
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One step of the schema's history.</summary>
    private sealed record Migration(int Version, string Description, string Sql);
}
