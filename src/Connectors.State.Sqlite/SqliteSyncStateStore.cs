using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Connectors.Core.Conflicts;
using Connectors.Core.Records;
using Connectors.Core.State;
using Connectors.Core.Sync;
using Connectors.Core.Sync.TwoWay;
using Microsoft.Data.Sqlite;

namespace Connectors.State.Sqlite;

/// <summary>
/// The embedded state store: one SQLite file that survives restarts and can be shared by several runs
/// and several processes. Every operation takes its own pooled connection, so one instance serves
/// concurrent runs; the file is in WAL mode, so reads go on while a run commits, and writers queue on
/// the file's lock for up to <see cref="SqliteStateOptions.BusyTimeout"/>. Nothing secret is kept here.
/// </summary>
public sealed class SqliteSyncStateStore : ITwoWayStateStore, ILinkCatalog, IAsyncDisposable, IDisposable
{
    private const string SelectLink = "SELECT source_id, target_id, fingerprint, synced_at, base, orphaned FROM links";
    private const string SelectConflict = "SELECT flow, id, left_id, right_id, fields, parked_at, decision, decided_at FROM conflicts";
    private const string SelectDeadLetter = "SELECT flow, stream, source_id, code, field, message, record, at FROM dead_letters";
    private const string SelectRun = "SELECT run_id, flow, kind, started_at, duration_ticks, status, counts, message FROM runs";

    private readonly string _connectionString;
    private readonly int _busyTimeoutMilliseconds;
    // Never disposed: it has no wait handle unless asked for one, and a call racing Dispose must
    // still be able to release it.
    private readonly SemaphoreSlim _schemaGate = new(1, 1);
    private volatile bool _schemaReady;
    private volatile bool _disposed;

    /// <summary>
    /// Creates a store on the file named by <paramref name="options"/>, which are validated here.
    /// The file is created or upgraded on first use; call <see cref="OpenAsync"/> instead to do that
    /// at once and fail at start rather than in the first run.
    /// </summary>
    /// <exception cref="System.ComponentModel.DataAnnotations.ValidationException">A setting is invalid; the message names it.</exception>
    public SqliteSyncStateStore(SqliteStateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        DatabasePath = Path.GetFullPath(options.DatabasePath);
        _busyTimeoutMilliseconds = (int)Math.Ceiling(options.BusyTimeout.TotalMilliseconds);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            // Microsoft.Data.Sqlite retries a busy statement on its own until the command timeout;
            // zero would mean forever, so round up to whole seconds.
            DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds),
        }.ToString();
    }

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <summary>The schema version this build creates and expects.</summary>
    public static int SchemaVersion => SqliteSchema.CurrentVersion;

    /// <summary>Creates a store and creates or upgrades its file now.</summary>
    /// <exception cref="System.ComponentModel.DataAnnotations.ValidationException">A setting is invalid; the message names it.</exception>
    /// <exception cref="InvalidOperationException">The file belongs to a newer build or cannot use write-ahead logging.</exception>
    public static async Task<SqliteSyncStateStore> OpenAsync(SqliteStateOptions options, CancellationToken cancellationToken)
    {
        var store = new SqliteSyncStateStore(options);
        try
        {
            await store.EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public async Task<Watermark> GetWatermarkAsync(string flow, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(flow);
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT watermark FROM watermarks WHERE flow = $flow;";
        command.Parameters.AddWithValue("$flow", flow);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string json
            ? StateText.ParseWatermark(json)
            : Watermark.Start;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, Link>> GetLinksAsync(string flow, IReadOnlyCollection<string> sourceIds, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(flow);
        ArgumentNullException.ThrowIfNull(sourceIds);
        var links = new Dictionary<string, Link>(StringComparer.Ordinal);
        if (sourceIds.Count == 0) return links;

        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        // The ids travel as one JSON array parameter, however many there are: SQLite's limit on
        // parameters never comes into play, and each id costs one probe of the primary key.
        command.CommandText = $"{SelectLink} WHERE flow = $flow AND source_id IN (SELECT value FROM json_each($ids));";
        command.Parameters.AddWithValue("$flow", flow);
        command.Parameters.AddWithValue("$ids", JsonSerializer.Serialize(sourceIds));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var link = ReadLink(flow, reader);
            links[link.SourceId] = link;
        }
        return links;
    }

    /// <inheritdoc />
    public Task<Watermark> GetWatermarkAsync(string flow, FlowSide side, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(flow);
        return GetWatermarkAsync(SideKey(flow, side), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, Link>> GetLinksByTargetAsync(string flow, IReadOnlyCollection<string> targetIds, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(flow);
        ArgumentNullException.ThrowIfNull(targetIds);
        var links = new Dictionary<string, Link>(StringComparer.Ordinal);
        if (targetIds.Count == 0) return links;
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        // links_by_target serves this: one probe per id.
        command.CommandText = $"{SelectLink} WHERE flow = $flow AND target_id IN (SELECT value FROM json_each($ids));";
        command.Parameters.AddWithValue("$flow", flow);
        command.Parameters.AddWithValue("$ids", JsonSerializer.Serialize(targetIds));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var link = ReadLink(flow, reader);
            links[link.TargetId] = link;
        }
        return links;
    }

    /// <inheritdoc />
    /// <remarks>One transaction: links, dead letters, conflicts and both watermarks, all or nothing.</remarks>
    /// <exception cref="ArgumentException">A link, dead letter or conflict belongs to another flow than the commit.</exception>
    public async Task CommitAsync(TwoWayCommit commit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commit);
        ArgumentException.ThrowIfNullOrEmpty(commit.Flow, nameof(commit));
        ArgumentNullException.ThrowIfNull(commit.Links, nameof(commit));
        ArgumentNullException.ThrowIfNull(commit.DeadLetters, nameof(commit));
        ArgumentNullException.ThrowIfNull(commit.Parked, nameof(commit));
        ArgumentNullException.ThrowIfNull(commit.Settled, nameof(commit));
        if (commit.Links.Any(l => l.Flow != commit.Flow) || commit.DeadLetters.Any(d => d.Flow != commit.Flow) || commit.Parked.Any(c => c.Flow != commit.Flow))
        {
            throw new ArgumentException($"Every link, dead letter and conflict of a commit must belong to its flow, {commit.Flow}.", nameof(commit));
        }
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction(deferred: false);
        if (commit.Links.Count > 0) await UpsertLinksAsync(connection, transaction, commit.Links, cancellationToken).ConfigureAwait(false);
        if (commit.DeadLetters.Count > 0) await AppendDeadLettersAsync(connection, transaction, commit.DeadLetters, cancellationToken).ConfigureAwait(false);
        foreach (var conflict in commit.Parked)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            // Parked again: fresh values, and any decision taken on the old ones no longer holds.
            command.CommandText = """
                INSERT INTO conflicts (flow, id, left_id, right_id, fields, parked_at, parked_at_utc, decision, decided_at)
                VALUES ($flow, $id, $leftId, $rightId, $fields, $parkedAt, $parkedAtUtc, $decision, $decidedAt)
                ON CONFLICT (flow, id) DO UPDATE SET
                    left_id = excluded.left_id, right_id = excluded.right_id, fields = excluded.fields, parked_at = excluded.parked_at,
                    parked_at_utc = excluded.parked_at_utc, decision = excluded.decision, decided_at = excluded.decided_at;
                """;
            command.Parameters.AddWithValue("$flow", conflict.Flow);
            command.Parameters.AddWithValue("$id", ValueOrNull(conflict.Id));
            command.Parameters.AddWithValue("$leftId", ValueOrNull(conflict.LeftId));
            command.Parameters.AddWithValue("$rightId", ValueOrNull(conflict.RightId));
            command.Parameters.AddWithValue("$fields", ConflictFieldText.ToJson(conflict.Fields));
            command.Parameters.AddWithValue("$parkedAt", StateText.Instant(conflict.ParkedAt));
            command.Parameters.AddWithValue("$parkedAtUtc", conflict.ParkedAt.UtcTicks);
            command.Parameters.AddWithValue("$decision", conflict.Decision is { } d ? d.Take.ToString() : DBNull.Value);
            command.Parameters.AddWithValue("$decidedAt", conflict.Decision is { } at ? StateText.Instant(at.DecidedAt) : DBNull.Value);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        foreach (var id in commit.Settled)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "DELETE FROM conflicts WHERE flow = $flow AND id = $id;";
            command.Parameters.AddWithValue("$flow", commit.Flow);
            command.Parameters.AddWithValue("$id", id);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        foreach (var (side, watermark) in new[] { (FlowSide.Left, commit.LeftWatermark), (FlowSide.Right, commit.RightWatermark) })
        {
            if (watermark is null) continue;
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO watermarks (flow, watermark) VALUES ($flow, $watermark)
                ON CONFLICT (flow) DO UPDATE SET watermark = excluded.watermark;
                """;
            command.Parameters.AddWithValue("$flow", SideKey(commit.Flow, side));
            command.Parameters.AddWithValue("$watermark", StateText.WatermarkJson(watermark));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        cancellationToken.ThrowIfCancellationRequested();
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Conflict>> GetConflictsAsync(string? flow, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = flow is null
            ? $"{SelectConflict} ORDER BY parked_at_utc, flow, id;"
            : $"{SelectConflict} WHERE flow = $flow ORDER BY parked_at_utc, id;";
        if (flow is not null) command.Parameters.AddWithValue("$flow", flow);
        var conflicts = new List<Conflict>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) conflicts.Add(ReadConflict(reader));
        return conflicts;
    }

    /// <inheritdoc />
    public async Task<Conflict?> GetConflictAsync(string flow, string id, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(flow);
        ArgumentException.ThrowIfNullOrEmpty(id);
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"{SelectConflict} WHERE flow = $flow AND id = $id;";
        command.Parameters.AddWithValue("$flow", flow);
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadConflict(reader) : null;
    }

    /// <inheritdoc />
    public async Task<bool> ResolveConflictAsync(string flow, string id, ConflictDecision decision, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(flow);
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(decision);
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE conflicts SET decision = $decision, decided_at = $decidedAt WHERE flow = $flow AND id = $id;";
        command.Parameters.AddWithValue("$flow", flow);
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$decision", decision.Take.ToString());
        command.Parameters.AddWithValue("$decidedAt", StateText.Instant(decision.DecidedAt));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Links are upserted, dead letters appended and the watermark replaced (when the commit carries
    /// one) in one transaction: if any part fails or <paramref name="cancellationToken"/> fires before
    /// the end, none of it is kept.
    /// </remarks>
    /// <exception cref="ArgumentException">A link or dead letter belongs to another flow than the commit.</exception>
    public async Task CommitAsync(StateCommit commit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commit);
        ArgumentException.ThrowIfNullOrEmpty(commit.Flow, nameof(commit));
        ArgumentNullException.ThrowIfNull(commit.Links, nameof(commit));
        ArgumentNullException.ThrowIfNull(commit.DeadLetters, nameof(commit));
        // A link filed under another flow would be found by the wrong flow's next run.
        foreach (var link in commit.Links)
        {
            if (link?.Flow != commit.Flow)
            {
                throw new ArgumentException($"Commit of flow '{commit.Flow}' carries a link of flow '{link?.Flow}'.", nameof(commit));
            }
        }
        foreach (var letter in commit.DeadLetters)
        {
            if (letter?.Flow != commit.Flow)
            {
                throw new ArgumentException($"Commit of flow '{commit.Flow}' carries a dead letter of flow '{letter?.Flow}'.", nameof(commit));
            }
        }

        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        // IMMEDIATE takes the write lock up front, so two writers queue on the busy timeout instead
        // of one failing when it upgrades a read lock.
        await using var transaction = connection.BeginTransaction(deferred: false);
        if (commit.Links.Count > 0)
        {
            await UpsertLinksAsync(connection, transaction, commit.Links, cancellationToken).ConfigureAwait(false);
        }
        if (commit.DeadLetters.Count > 0)
        {
            await AppendDeadLettersAsync(connection, transaction, commit.DeadLetters, cancellationToken).ConfigureAwait(false);
        }
        if (commit.Watermark is { } watermark)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO watermarks (flow, watermark) VALUES ($flow, $watermark)
                ON CONFLICT (flow) DO UPDATE SET watermark = excluded.watermark;
                """;
            command.Parameters.AddWithValue("$flow", commit.Flow);
            command.Parameters.AddWithValue("$watermark", StateText.WatermarkJson(watermark));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        cancellationToken.ThrowIfCancellationRequested();
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>Recording a run id again replaces the earlier entry, so a retried call does not duplicate it.</remarks>
    public async Task RecordRunAsync(RunRecord run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentException.ThrowIfNullOrEmpty(run.RunId, nameof(run));
        ArgumentNullException.ThrowIfNull(run.Counts, nameof(run));
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO runs (run_id, flow, kind, started_at, started_at_utc, duration_ticks, status, counts, message)
            VALUES ($runId, $flow, $kind, $startedAt, $startedAtUtc, $durationTicks, $status, $counts, $message)
            ON CONFLICT (run_id) DO UPDATE SET
                flow = excluded.flow, kind = excluded.kind, started_at = excluded.started_at,
                started_at_utc = excluded.started_at_utc, duration_ticks = excluded.duration_ticks,
                status = excluded.status, counts = excluded.counts, message = excluded.message;
            """;
        command.Parameters.AddWithValue("$runId", run.RunId);
        command.Parameters.AddWithValue("$flow", ValueOrNull(run.Flow));
        command.Parameters.AddWithValue("$kind", ValueOrNull(run.Kind));
        command.Parameters.AddWithValue("$startedAt", StateText.Instant(run.StartedAt));
        command.Parameters.AddWithValue("$startedAtUtc", run.StartedAt.UtcTicks);
        command.Parameters.AddWithValue("$durationTicks", run.Duration.Ticks);
        command.Parameters.AddWithValue("$status", run.Status.ToString());
        command.Parameters.AddWithValue("$counts", StateText.CountsJson(run.Counts));
        command.Parameters.AddWithValue("$message", ValueOrNull(run.Message));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<RunRecord>> GetRunsAsync(string? flow, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        if (limit == 0) return [];
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        // Newest by the instant, whatever offset each run was stamped in; the rowid breaks ties in
        // favour of the one recorded last.
        command.CommandText = flow is null
            ? $"{SelectRun} ORDER BY started_at_utc DESC, rowid DESC LIMIT $limit;"
            : $"{SelectRun} WHERE flow = $flow ORDER BY started_at_utc DESC, rowid DESC LIMIT $limit;";
        command.Parameters.AddWithValue("$limit", limit);
        if (flow is not null) command.Parameters.AddWithValue("$flow", flow);

        var runs = new List<RunRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            runs.Add(new RunRecord(
                RunId: reader.GetString(0),
                Flow: reader.GetString(1),
                Kind: reader.GetString(2),
                StartedAt: StateText.ParseInstant(reader.GetString(3)),
                Duration: TimeSpan.FromTicks(reader.GetInt64(4)),
                Status: Enum.Parse<RunStatus>(reader.GetString(5)),
                Counts: StateText.ParseCounts(reader.GetString(6)),
                Message: reader.IsDBNull(7) ? null : reader.GetString(7)));
        }
        return runs;
    }

    /// <inheritdoc />
    /// <remarks>Pages follow the primary key (source id order), each read on its own connection, so a long listing never holds a read transaction open.</remarks>
    public async IAsyncEnumerable<IReadOnlyList<Link>> ReadLinksAsync(string flow, int pageSize,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(flow);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        string? after = null;
        while (true)
        {
            var page = new List<Link>(pageSize);
            await using (var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false))
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = after is null
                    ? $"{SelectLink} WHERE flow = $flow ORDER BY source_id LIMIT $limit;"
                    : $"{SelectLink} WHERE flow = $flow AND source_id > $after ORDER BY source_id LIMIT $limit;";
                command.Parameters.AddWithValue("$flow", flow);
                command.Parameters.AddWithValue("$limit", pageSize);
                if (after is not null) command.Parameters.AddWithValue("$after", after);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    page.Add(new Link(flow, reader.GetString(0), reader.GetString(1), new Fingerprint(reader.GetString(2)), StateText.ParseInstant(reader.GetString(3))));
                }
            }
            if (page.Count == 0) yield break;
            yield return page;
            if (page.Count < pageSize) yield break;
            after = page[^1].SourceId;
        }
    }

    /// <inheritdoc />
    public async Task RemoveLinksAsync(string flow, IReadOnlyCollection<string> sourceIds, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(flow);
        ArgumentNullException.ThrowIfNull(sourceIds);
        if (sourceIds.Count == 0) return;
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM links WHERE flow = $flow AND source_id IN (SELECT value FROM json_each($ids));";
        command.Parameters.AddWithValue("$flow", flow);
        command.Parameters.AddWithValue("$ids", JsonSerializer.Serialize(sourceIds));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<DeadLetter>> GetDeadLettersAsync(string? flow, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = flow is null
            ? $"{SelectDeadLetter} ORDER BY at_utc, id;"
            : $"{SelectDeadLetter} WHERE flow = $flow ORDER BY at_utc, id;";
        if (flow is not null) command.Parameters.AddWithValue("$flow", flow);

        var letters = new List<DeadLetter>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            letters.Add(new DeadLetter(
                Flow: reader.GetString(0),
                Source: new RecordKey(reader.GetString(1), reader.GetString(2)),
                Code: reader.GetString(3),
                Field: reader.IsDBNull(4) ? null : reader.GetString(4),
                Message: reader.GetString(5),
                Record: StateText.ParseRecord(reader.GetString(6)),
                At: StateText.ParseInstant(reader.GetString(7))));
        }
        return letters;
    }

    /// <inheritdoc />
    public async Task<int> DeleteDeadLettersAsync(string flow, RecordKey source, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(flow);
        ArgumentNullException.ThrowIfNull(source);
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM dead_letters WHERE flow = $flow AND stream = $stream AND source_id = $sourceId;";
        command.Parameters.AddWithValue("$flow", flow);
        command.Parameters.AddWithValue("$stream", source.Stream);
        command.Parameters.AddWithValue("$sourceId", source.Id);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Closes the idle pooled connections to the file, so that it can be moved or deleted once no
    /// other store has it open. Operations started afterwards throw <see cref="ObjectDisposedException"/>.
    /// </summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    /// <inheritdoc cref="Dispose"/>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private static async Task UpsertLinksAsync(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<Link> links, CancellationToken cancellationToken)
    {
        // One prepared statement, bound once per link: SQLite parses the SQL a single time per commit.
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO links (flow, source_id, target_id, fingerprint, synced_at, base, orphaned)
            VALUES ($flow, $sourceId, $targetId, $fingerprint, $syncedAt, $base, $orphaned)
            ON CONFLICT (flow, source_id) DO UPDATE SET
                target_id = excluded.target_id, fingerprint = excluded.fingerprint, synced_at = excluded.synced_at,
                base = excluded.base, orphaned = excluded.orphaned;
            """;
        var flow = command.Parameters.Add("$flow", SqliteType.Text);
        var sourceId = command.Parameters.Add("$sourceId", SqliteType.Text);
        var targetId = command.Parameters.Add("$targetId", SqliteType.Text);
        var fingerprint = command.Parameters.Add("$fingerprint", SqliteType.Text);
        var syncedAt = command.Parameters.Add("$syncedAt", SqliteType.Text);
        var linkBase = command.Parameters.Add("$base", SqliteType.Text);
        var orphaned = command.Parameters.Add("$orphaned", SqliteType.Integer);
        foreach (var link in links)
        {
            cancellationToken.ThrowIfCancellationRequested();
            flow.Value = link.Flow;
            sourceId.Value = ValueOrNull(link.SourceId);
            targetId.Value = ValueOrNull(link.TargetId);
            fingerprint.Value = ValueOrNull(link.Fingerprint.Value);
            syncedAt.Value = StateText.Instant(link.SyncedAt);
            linkBase.Value = link.Base is null ? DBNull.Value : StateText.RecordJson(link.Base);
            orphaned.Value = link.Orphaned ? 1 : 0;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task AppendDeadLettersAsync(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<DeadLetter> letters, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            DELETE FROM dead_letters WHERE flow = $flow AND stream = $stream AND source_id = $sourceId;
            INSERT INTO dead_letters (flow, stream, source_id, code, field, message, record, at, at_utc)
            VALUES ($flow, $stream, $sourceId, $code, $field, $message, $record, $at, $atUtc);
            """;
        var flow = command.Parameters.Add("$flow", SqliteType.Text);
        var stream = command.Parameters.Add("$stream", SqliteType.Text);
        var sourceId = command.Parameters.Add("$sourceId", SqliteType.Text);
        var code = command.Parameters.Add("$code", SqliteType.Text);
        var field = command.Parameters.Add("$field", SqliteType.Text);
        var message = command.Parameters.Add("$message", SqliteType.Text);
        var record = command.Parameters.Add("$record", SqliteType.Text);
        var at = command.Parameters.Add("$at", SqliteType.Text);
        var atUtc = command.Parameters.Add("$atUtc", SqliteType.Integer);
        foreach (var letter in letters)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Missing required values are bound as NULL on purpose: the table's NOT NULL constraints
            // refuse them, and the whole commit is rolled back with them.
            flow.Value = letter.Flow;
            stream.Value = ValueOrNull(letter.Source?.Stream);
            sourceId.Value = ValueOrNull(letter.Source?.Id);
            code.Value = ValueOrNull(letter.Code);
            field.Value = ValueOrNull(letter.Field);
            message.Value = ValueOrNull(letter.Message);
            record.Value = letter.Record is null ? DBNull.Value : StateText.RecordJson(letter.Record);
            at.Value = StateText.Instant(letter.At);
            atUtc.Value = letter.At.UtcTicks;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static object ValueOrNull(string? value) => value is null ? DBNull.Value : value;

    /// <summary>The key a side's watermark is kept under: <c>{flow}#left</c>, <c>{flow}#right</c>.</summary>
    private static string SideKey(string flow, FlowSide side) => side == FlowSide.Left ? $"{flow}#left" : $"{flow}#right";

    private static Link ReadLink(string flow, SqliteDataReader reader) =>
        new(flow, reader.GetString(0), reader.GetString(1), new Fingerprint(reader.GetString(2)), StateText.ParseInstant(reader.GetString(3)))
        {
            Base = reader.IsDBNull(4) ? null : StateText.ParseRecord(reader.GetString(4)),
            Orphaned = reader.GetInt64(5) != 0,
        };

    private static Conflict ReadConflict(SqliteDataReader reader) =>
        new(reader.GetString(1), reader.GetString(0), reader.GetString(2), reader.GetString(3),
            ConflictFieldText.Parse(reader.GetString(4)), StateText.ParseInstant(reader.GetString(5)))
        {
            Decision = reader.IsDBNull(6) ? null
                : new ConflictDecision(Enum.Parse<ConflictTake>(reader.GetString(6)), StateText.ParseInstant(reader.GetString(7))),
        };

    /// <summary>Opens a pooled connection to an up-to-date file, with this store's busy timeout.</summary>
    private async Task<SqliteConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        if (!_schemaReady)
        {
            await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        }
        return await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            // Both settings belong to the connection, and a pooled one cannot be told from a new one,
            // so they are set on every open (it costs microseconds). FULL makes each commit durable on
            // disk, not only in the operating system's cache: what "a restart loses nothing" needs.
            await using var command = connection.CreateCommand();
            command.CommandText = string.Create(CultureInfo.InvariantCulture,
                $"PRAGMA busy_timeout = {_busyTimeoutMilliseconds}; PRAGMA synchronous = FULL;");
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        await _schemaGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_schemaReady) return;
            var folder = Path.GetDirectoryName(DatabasePath);
            if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
            await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await SqliteSchema.UpgradeAsync(connection, DatabasePath, cancellationToken).ConfigureAwait(false);
            _schemaReady = true;
        }
        finally
        {
            _schemaGate.Release();
        }
    }
}
