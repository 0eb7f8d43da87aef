using System.Diagnostics;
using Connectors.Core.Records;
using Connectors.Core.State;
using Connectors.Core.Sync;
using Microsoft.Data.Sqlite;

namespace Connectors.State.Sqlite.Tests;

/// <summary>The store contract on a fresh SQLite file per fact, plus what only SQLite has: the file itself.</summary>
public sealed class SqliteSyncStateStoreTests : SyncStateStoreContract
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "connectors-state-tests", Guid.NewGuid().ToString("N"));

    private string DatabasePath => Path.Combine(_folder, "state", "connectors.db");

    private SqliteStateOptions Options => new() { DatabasePath = DatabasePath };

    protected override async Task<ISyncStateStore> OpenStoreAsync(CancellationToken cancellationToken) =>
        await SqliteSyncStateStore.OpenAsync(Options, cancellationToken);

    protected override ValueTask DeleteStorageAsync()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
        return ValueTask.CompletedTask;
    }

    protected override async Task AssertStorageIntactAsync(CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync();
        Assert.Equal("ok", await ScalarAsync(connection, "PRAGMA integrity_check;"));
    }

    /// <summary>A connection of the test's own, outside the store's pool, as another process would have.</summary>
    private async Task<SqliteConnection> ConnectAsync()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        await connection.OpenAsync(Token);
        return connection;
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(Token);
    }

    [Fact]
    public async Task Open_NewFile_CreatesAWalDatabaseAtTheCurrentSchemaVersion()
    {
        await using var connection = await ConnectAsync();

        Assert.True(File.Exists(DatabasePath));
        Assert.Equal("wal", await ScalarAsync(connection, "PRAGMA journal_mode;"));
        Assert.Equal((long)SqliteSyncStateStore.SchemaVersion, await ScalarAsync(connection, "SELECT MAX(version) FROM schema_versions;"));
        Assert.Equal("links", await ScalarAsync(connection, "SELECT tbl_name FROM sqlite_master WHERE type = 'index' AND name = 'links_by_target';"));
    }

    [Fact]
    public async Task Open_ManyAtOnceOnANewFile_AppliesEachMigrationOnce()
    {
        var options = new SqliteStateOptions { DatabasePath = Path.Combine(_folder, "fresh.db") };

        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => SqliteSyncStateStore.OpenAsync(options, Token), Token)));

        foreach (var store in stores) await store.DisposeAsync();
        await using var connection = new SqliteConnection($"Data Source={options.DatabasePath};Pooling=False");
        await connection.OpenAsync(Token);
        Assert.Equal((long)SqliteSyncStateStore.SchemaVersion, await ScalarAsync(connection, "SELECT COUNT(*) FROM schema_versions;"));
    }

    [Fact]
    public async Task Open_FileOfANewerBuild_IsRefusedWithTheVersions()
    {
        await using (var connection = await ConnectAsync())
        {
            await ScalarAsync(connection, $"INSERT INTO schema_versions (version, description) VALUES ({SqliteSyncStateStore.SchemaVersion + 1}, 'from the future');");
        }

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => SqliteSyncStateStore.OpenAsync(Options, Token));

        Assert.Contains($"schema version {SqliteSyncStateStore.SchemaVersion + 1}", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Commit_WhenItsLastStepFails_RollsBackTheLinksAndDeadLettersBeforeIt()
    {
        await using (var connection = await ConnectAsync())
        {
            await ScalarAsync(connection, """
                CREATE TRIGGER refuse_watermark BEFORE INSERT ON watermarks WHEN NEW.flow = 'doomed'
                BEGIN SELECT RAISE(ABORT, 'watermark refused'); END;
                """);
        }
        var doomed = new StateCommit("doomed", [LinkOf("c-1", "t-1", flow: "doomed")], [LetterOf("c-2", flow: "doomed")], new Watermark(Now));

        var failure = await Assert.ThrowsAsync<SqliteException>(() => Store.CommitAsync(doomed, Token));

        Assert.Contains("watermark refused", failure.Message, StringComparison.Ordinal);
        Assert.Empty(await Store.GetLinksAsync("doomed", ["c-1"], Token));
        Assert.Empty(await Store.GetDeadLettersAsync("doomed", Token));
        Assert.Equal(Watermark.Start, await Store.GetWatermarkAsync("doomed", Token));
        await Store.CommitAsync(CommitOf(links: [LinkOf("c-1", "t-1")], watermark: new Watermark(Now)), Token);
        Assert.Single(await Store.GetLinksAsync(Flow, ["c-1"], Token));
    }

    [Fact]
    public async Task Commit_WhileAnotherProcessHoldsTheWriteLock_GivesUpAfterTheBusyTimeoutAndKeepsNothing()
    {
        await using var impatient = await SqliteSyncStateStore.OpenAsync(new SqliteStateOptions { DatabasePath = DatabasePath, BusyTimeout = TimeSpan.FromSeconds(1) }, Token);
        await using var otherProcess = await ConnectAsync();
        var clock = Stopwatch.StartNew();
        SqliteException busy;
        await using (var lockHolder = otherProcess.BeginTransaction(deferred: false))
        {
            busy = await Assert.ThrowsAsync<SqliteException>(() => impatient.CommitAsync(CommitOf(links: [LinkOf("c-1", "t-1")]), Token));
        }

        Assert.Equal(5, busy.SqliteErrorCode); // SQLITE_BUSY
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"gave up after {clock.Elapsed}, not after its own short timeout");
        Assert.Empty(await Store.GetLinksAsync(Flow, ["c-1"], Token));
        await impatient.CommitAsync(CommitOf(links: [LinkOf("c-1", "t-1")]), Token);
        Assert.Single(await Store.GetLinksAsync(Flow, ["c-1"], Token));
    }

    [Fact]
    public async Task RecordRun_SameRunIdAgain_KeepsOneEntryWithTheLatestValues()
    {
        var first = new RunRecord("run-1", Flow, "sync", Now, TimeSpan.FromSeconds(1), RunStatus.Incomplete, new Dictionary<string, long> { ["read"] = 1 }, "throttled");
        await Store.RecordRunAsync(first, Token);

        await Store.RecordRunAsync(first with { Status = RunStatus.Completed, Message = null }, Token);

        var run = Assert.Single(await Store.GetRunsAsync(null, 10, Token));
        Assert.Equal((RunStatus.Completed, (string?)null), (run.Status, run.Message));
    }

    [Fact]
    public async Task Commit_LinkOfAnotherFlow_IsRefusedBeforeAnythingIsWritten()
    {
        var mixed = CommitOf(links: [LinkOf("c-1", "t-1"), LinkOf("c-2", "t-2", flow: "other-flow")]);

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => Store.CommitAsync(mixed, Token));

        Assert.Contains("other-flow", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await Store.GetLinksAsync(Flow, ["c-1"], Token));
    }

    [Fact]
    public async Task Store_AfterDispose_RefusesWork()
    {
        var store = new SqliteSyncStateStore(Options);
        await store.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.GetWatermarkAsync(Flow, Token));
    }
}

/// <summary>The two-way store contract on a fresh SQLite file per fact.</summary>
public sealed class SqliteTwoWayStateStoreTests : TwoWayStateStoreContract
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "connectors-state-tests", Guid.NewGuid().ToString("N"));

    protected override async Task<ITwoWayStateStore> OpenStoreAsync(CancellationToken cancellationToken) =>
        await SqliteSyncStateStore.OpenAsync(new SqliteStateOptions { DatabasePath = Path.Combine(_folder, "state.db") }, cancellationToken);

    protected override ValueTask DeleteStorageAsync()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
        return ValueTask.CompletedTask;
    }
}
