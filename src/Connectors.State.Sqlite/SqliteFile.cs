using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Connectors.State.Sqlite;

/// <summary>
/// Opens connections to a SQLite file shared by several processes: WAL, a busy timeout, and FULL
/// synchronous commits, with the file's own tables created once per instance by <c>schema</c>.
/// </summary>
internal sealed class SqliteFile(string path, TimeSpan busyTimeout, string schema)
{
    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = Path.GetFullPath(path),
        Mode = SqliteOpenMode.ReadWriteCreate,
        Cache = SqliteCacheMode.Private,
        Pooling = true,
        DefaultTimeout = (int)Math.Ceiling(busyTimeout.TotalSeconds),
    }.ToString();

    private readonly SemaphoreSlim _schemaGate = new(1, 1);
    private volatile bool _schemaReady;

    /// <summary>The full path of the file.</summary>
    public string FullPath { get; } = Path.GetFullPath(path);

    /// <summary>Opens a pooled connection to the file, creating its tables on first use.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (!_schemaReady)
        {
            await _schemaGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (!_schemaReady)
                {
                    if (Path.GetDirectoryName(FullPath) is { Length: > 0 } folder) Directory.CreateDirectory(folder);
                    await using var first = await ConnectAsync(cancellationToken).ConfigureAwait(false);
                    await using var wal = first.CreateCommand();
                    wal.CommandText = "PRAGMA journal_mode = WAL;";
                    await wal.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    await using var create = first.CreateCommand();
                    create.CommandText = schema;
                    await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    _schemaReady = true;
                }
            }
            finally
            {
                _schemaGate.Release();
            }
        }
        return await ConnectAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<SqliteConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = string.Create(CultureInfo.InvariantCulture,
                $"PRAGMA busy_timeout = {(int)Math.Ceiling(busyTimeout.TotalMilliseconds)}; PRAGMA synchronous = FULL;");
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
