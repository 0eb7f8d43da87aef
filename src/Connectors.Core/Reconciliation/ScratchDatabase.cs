using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Connectors.Core.Reconciliation;

/// <summary>
/// The run's scratch file: both sides and the links spilled a page at a time, joined by SQLite with
/// indexes, so that memory is bounded by a page and SQLite's page cache, never by the record count.
/// It is also the checkpoint: an interrupted run's file is picked up by the next run of the same flow.
/// One connection, used by one run at a time.
/// </summary>
internal sealed class ScratchDatabase : IAsyncDisposable
{
    // A bounded page cache (16 MiB) keeps memory flat however large the sides are.
    private const string Setup = """
        PRAGMA journal_mode = WAL;
        PRAGMA synchronous = NORMAL;
        PRAGMA cache_size = -16384;
        PRAGMA temp_store = FILE;
        CREATE TABLE IF NOT EXISTS progress (key TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS links (source_id TEXT NOT NULL PRIMARY KEY, target_id TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS source (id TEXT NOT NULL PRIMARY KEY, match_key TEXT NULL, payload TEXT NULL, sig BLOB NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS target (id TEXT NOT NULL PRIMARY KEY, match_key TEXT NULL, fields TEXT NOT NULL, sig BLOB NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS deleted (id TEXT NOT NULL PRIMARY KEY) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS pairs (source_id TEXT NOT NULL PRIMARY KEY, target_id TEXT NOT NULL, linked INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS findings (
            seq       INTEGER PRIMARY KEY,
            class     INTEGER NOT NULL,
            source_id TEXT NULL,
            target_id TEXT NULL,
            fields    TEXT NULL,
            evidence  INTEGER NOT NULL,
            label     TEXT NULL,
            weight    INTEGER NOT NULL,
            linked    INTEGER NOT NULL,
            flagged   INTEGER NOT NULL);
        """;

    private readonly SqliteConnection _connection;

    // The source and the target are read at once; their pages take turns on the one connection.
    private readonly SemaphoreSlim _gate = new(1, 1);

    private ScratchDatabase(SqliteConnection connection, string path)
    {
        _connection = connection;
        Path = path;
    }

    public string Path { get; }

    public SqliteConnection Connection => _connection;

    public static async Task<ScratchDatabase> OpenAsync(string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        var scratch = new ScratchDatabase(connection, path);
        await scratch.ExecuteAsync(Setup, cancellationToken).ConfigureAwait(false);
        return scratch;
    }

    /// <summary>Deletes the scratch file of a finished run.</summary>
    public static void Delete(string path)
    {
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            if (File.Exists(file)) File.Delete(file);
        }
    }

    public async Task<string?> GetAsync(string key, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var command = Command("SELECT value FROM progress WHERE key = $key;");
            command.Parameters.AddWithValue("$key", key);
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task SetAsync(string key, string value, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var command = Command("INSERT INTO progress (key, value) VALUES ($key, $value) ON CONFLICT (key) DO UPDATE SET value = excluded.value;");
            command.Parameters.AddWithValue("$key", key);
            command.Parameters.AddWithValue("$value", value);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<long> GetNumberAsync(string key, CancellationToken cancellationToken) =>
        await GetAsync(key, cancellationToken).ConfigureAwait(false) is { } text ? long.Parse(text, CultureInfo.InvariantCulture) : 0;

    public Task SetNumberAsync(string key, long value, CancellationToken cancellationToken) =>
        SetAsync(key, value.ToString(CultureInfo.InvariantCulture), cancellationToken);

    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(sql);
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<long> ScalarAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(sql);
        command.CommandTimeout = 0;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) ?? 0L, CultureInfo.InvariantCulture);
    }

    /// <summary>Inserts (or replaces) rows in one transaction, many rows a statement.</summary>
    public async Task InsertAsync(string table, string[] columns, IReadOnlyList<object?[]> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0) return;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await InsertLockedAsync(table, columns, rows, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Rows per INSERT statement: a command executed per row cost more than the row itself.</summary>
    private const int RowsPerStatement = 64;

    private async Task InsertLockedAsync(string table, string[] columns, IReadOnlyList<object?[]> rows, CancellationToken cancellationToken)
    {
        await using var transaction = _connection.BeginTransaction();
        SqliteCommand? command = null;
        try
        {
            for (var start = 0; start < rows.Count; start += RowsPerStatement)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var count = Math.Min(RowsPerStatement, rows.Count - start);
                if (command is null || command.Parameters.Count != count * columns.Length)
                {
                    if (command is not null) await command.DisposeAsync().ConfigureAwait(false);
                    command = InsertCommand(table, columns, count);
                    command.Transaction = transaction;
                    command.Prepare();
                }
                for (var r = 0; r < count; r++)
                {
                    var row = rows[start + r];
                    for (var c = 0; c < columns.Length; c++) command.Parameters[r * columns.Length + c].Value = row[c] ?? DBNull.Value;
                }
                // SQLite has no asynchronous I/O; the async form would only add a task per statement.
                command.ExecuteNonQuery();
            }
        }
        finally
        {
            if (command is not null) await command.DisposeAsync().ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private SqliteCommand InsertCommand(string table, string[] columns, int rows)
    {
        var values = Enumerable.Range(0, rows).Select(r => "(" + string.Join(", ", columns.Select(c => $"${c}{r}")) + ")");
        var command = Command($"INSERT OR REPLACE INTO {table} ({string.Join(", ", columns)}) VALUES {string.Join(", ", values)};");
        for (var r = 0; r < rows; r++)
        {
            foreach (var c in columns) command.Parameters.Add($"${c}{r}", c == "sig" ? SqliteType.Blob : SqliteType.Text);
        }
        return command;
    }

    public SqliteCommand Command(string sql)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        return command;
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.CloseAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
    }
}
