using System.Runtime.CompilerServices;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Azure;
using Azure.Data.Tables;
using Connectors.Core.Conflicts;
using Connectors.Core.Records;
using Connectors.Core.State;
using Connectors.Core.Sync;
using Connectors.Core.Sync.TwoWay;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Connectors.Azure.State;

/// <summary>
/// The sync state on Azure Table Storage. A flow's watermark, links and dead letters share one
/// partition of the <c>&lt;prefix&gt;State</c> table, so that a commit of up to 100 entities is one
/// entity-group transaction: all of it or none. A larger commit is written in several transactions,
/// links and dead letters first and the watermark in the last one, so a crash never moves the watermark
/// past writes that are not durable (the links already written describe writes that did happen, and
/// the next run meets them as unchanged).
/// </summary>
/// <remarks>
/// Concurrency is optimistic: the store remembers the ETag of every watermark and link it read or
/// wrote, and writes them back only if nobody changed them since (an entity it read as missing must
/// still be missing). A writer that lost such a race gets a <see cref="StateConflictException"/> and
/// must read again before it writes that entity. Entities the store never read are written
/// unconditionally, so a fresh process behaves as the last writer.
/// </remarks>
public sealed class AzureTableSyncStateStore : ITwoWayStateStore, ILinkCatalog
{
    private const string WatermarkRow = "watermark";
    private const string LeftWatermarkRow = "watermark|left";
    private const string RightWatermarkRow = "watermark|right";
    private const string ConflictRowStart = "c|";
    private const string ConflictRowEnd = "c}";
    private const string FlowIndexPartition = "flows";
    private const string AllRunsPartition = "all";
    private const string DeadLetterRowStart = "d|";
    private const string DeadLetterRowEnd = "d}";
    private const int MaxActionsPerTransaction = 100;      // service limit
    private const long MaxTransactionBytes = 3_500_000;    // service limit: 4 MiB per transaction body
    private const int MaxStringChars = 30_000;             // service limit: 64 KiB (32 K UTF-16 characters) per string
    private const int MaxRecordChunks = 15;                // keeps a dead letter under the 1 MiB entity limit
    private const int MaxKeysPerQuery = 14;                // service limit: 15 comparisons per filter, one is the partition

    private static readonly JsonSerializerSettings ReadSettings = new() { DateParseHandling = DateParseHandling.None };

    private readonly TableClient _state;
    private readonly TableClient _runs;
    private readonly AzureTableStateOptions _options;
    private readonly VersionCache _linkVersions;
    private readonly ConcurrentDictionary<string, EntityVersion> _watermarkVersions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _indexedFlows = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _creating = new(1, 1);
    // Dead letters are never overwritten: the same record can fail twice at the same instant (a replay
    // under a stopped clock), and both letters are kept. The sequence keeps this store's letters in
    // the order they were committed; the instance id keeps two stores' keys apart.
    private readonly string _instance = Guid.NewGuid().ToString("N");
    private long _deadLetterSequence;
    private volatile bool _ready;

    /// <summary>Creates the store; the options are validated here, the tables are created on first use.</summary>
    /// <exception cref="System.ComponentModel.DataAnnotations.ValidationException">An option is out of range.</exception>
    public AzureTableSyncStateStore(AzureStorageAccount account, AzureTableStateOptions options)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _state = account.CreateTableClient(options.TablePrefix + "State");
        _runs = account.CreateTableClient(options.TablePrefix + "Runs");
        _linkVersions = new VersionCache(options.MaxTrackedVersions);
        _ready = !options.CreateIfMissing;
    }

    /// <inheritdoc />
    public async Task<Watermark> GetWatermarkAsync(string flow, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(flow);
        await EnsureTablesAsync(cancellationToken).ConfigureAwait(false);
        var response = await _state.GetEntityIfExistsAsync<TableEntity>(FlowPartition(flow), WatermarkRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!response.HasValue)
        {
            _watermarkVersions[flow] = EntityVersion.Absent;
            return Watermark.Start;
        }
        var entity = response.Value!;
        _watermarkVersions[flow] = EntityVersion.Of(entity.ETag);
        return entity.GetString("Modified") is { } modified ? new Watermark(ParseInstant(modified)) : Watermark.Start;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, Link>> GetLinksAsync(string flow, IReadOnlyCollection<string> sourceIds, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(flow);
        ArgumentNullException.ThrowIfNull(sourceIds);
        var links = new ConcurrentDictionary<string, Link>(StringComparer.Ordinal);
        if (sourceIds.Count == 0) return links;
        await EnsureTablesAsync(cancellationToken).ConfigureAwait(false);

        var partition = FlowPartition(flow);
        var rows = sourceIds.Distinct(StringComparer.Ordinal).Select(LinkRow).ToArray();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.ReadConcurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(rows.Chunk(MaxKeysPerQuery), parallel, async (chunk, ct) =>
        {
            var filter = $"PartitionKey eq {Literal(partition)} and ({string.Join(" or ", chunk.Select(r => $"RowKey eq {Literal(r)}"))})";
            var found = new HashSet<string>(StringComparer.Ordinal);
            await foreach (var entity in _state.QueryAsync<TableEntity>(filter, maxPerPage: MaxActionsPerTransaction, cancellationToken: ct).ConfigureAwait(false))
            {
                found.Add(entity.RowKey);
                _linkVersions.Set(VersionKey(partition, entity.RowKey), EntityVersion.Of(entity.ETag));
                var link = ReadLink(flow, entity);
                links[link.SourceId] = link;
            }
            foreach (var row in chunk.Where(r => !found.Contains(r)))
            {
                _linkVersions.Set(VersionKey(partition, row), EntityVersion.Absent);
            }
        }).ConfigureAwait(false);
        return links;
    }

    /// <inheritdoc />
    /// <remarks>Links are the rows of the flow's partition that start with <c>l|</c>, listed in row-key order.</remarks>
    public async IAsyncEnumerable<IReadOnlyList<Link>> ReadLinksAsync(string flow, int pageSize,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(flow);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        await EnsureTablesAsync(cancellationToken).ConfigureAwait(false);
        // '}' follows '|', so the range holds exactly the row keys that start with "l|".
        var filter = $"PartitionKey eq {Literal(FlowPartition(flow))} and RowKey ge {Literal("l|")} and RowKey lt {Literal("l}")}";
        var page = new List<Link>(pageSize);
        await foreach (var entity in _state.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(pageSize, 1000), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            page.Add(ReadLink(flow, entity));
            if (page.Count < pageSize) continue;
            yield return page;
            page = new List<Link>(pageSize);
        }
        if (page.Count > 0) yield return page;
    }

    /// <inheritdoc />
    public async Task RemoveLinksAsync(string flow, IReadOnlyCollection<string> sourceIds, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(flow);
        ArgumentNullException.ThrowIfNull(sourceIds);
        if (sourceIds.Count == 0) return;
        await EnsureTablesAsync(cancellationToken).ConfigureAwait(false);
        var partition = FlowPartition(flow);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.ReadConcurrency, CancellationToken = cancellationToken };
        // A delete of a row that is not there succeeds, so ids without a link need no check.
        await Parallel.ForEachAsync(sourceIds.Distinct(StringComparer.Ordinal), parallel, async (sourceId, ct) =>
        {
            var row = LinkRow(sourceId);
            await _state.DeleteEntityAsync(partition, row, global::Azure.ETag.All, ct).ConfigureAwait(false);
            _linkVersions.Set(VersionKey(partition, row), EntityVersion.Absent);
        }).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task CommitAsync(StateCommit commit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commit);
        ArgumentException.ThrowIfNullOrWhiteSpace(commit.Flow);
        ArgumentNullException.ThrowIfNull(commit.Links);
        ArgumentNullException.ThrowIfNull(commit.DeadLetters);
        if (commit.Links.Any(l => l.Flow != commit.Flow) || commit.DeadLetters.Any(d => d.Flow != commit.Flow))
        {
            throw new ArgumentException($"Every link and dead letter of a commit must belong to its flow, {commit.Flow}.", nameof(commit));
        }
        if (commit.Links.Count == 0 && commit.DeadLetters.Count == 0 && commit.Watermark is null) return;

        await EnsureTablesAsync(cancellationToken).ConfigureAwait(false);
        await IndexFlowAsync(commit.Flow, cancellationToken).ConfigureAwait(false);
        var partition = FlowPartition(commit.Flow);
        var writes = new List<Write>(commit.DeadLetters.Count + commit.Links.Count + 1);

        foreach (var letter in commit.DeadLetters)
        {
            var entity = DeadLetterEntity(partition, letter, Interlocked.Increment(ref _deadLetterSequence), _instance);
            writes.Add(new Write(new TableTransactionAction(TableTransactionActionType.UpsertReplace, entity), Size(entity), null));
        }

        // A record linked twice in one step keeps its last link; a transaction may not touch an entity twice.
        var last = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < commit.Links.Count; i++) last[commit.Links[i].SourceId] = i;
        for (var i = 0; i < commit.Links.Count; i++)
        {
            var link = commit.Links[i];
            if (last[link.SourceId] != i) continue;
            var entity = LinkEntity(partition, link);
            var key = VersionKey(partition, entity.RowKey);
            var version = _linkVersions.TryGet(key, out var known) ? known : (EntityVersion?)null;
            writes.Add(new Write(Conditional(entity, version, commit.Flow, $"the link of {link.SourceId}"), Size(entity), key));
        }

        if (commit.Watermark is { } watermark)
        {
            writes.Add(WatermarkWrite(partition, commit.Flow, WatermarkRow, commit.Flow, watermark, "the watermark"));
        }

        foreach (var transaction in Transactions(writes))
        {
            await SubmitAsync(commit.Flow, transaction, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<Watermark> GetWatermarkAsync(string flow, FlowSide side, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(flow);
        await EnsureTablesAsync(cancellationToken).ConfigureAwait(false);
        var (row, key) = SideWatermark(flow, side);
        var response = await _state.GetEntityIfExistsAsync<TableEntity>(FlowPartition(flow), row, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!response.HasValue)
        {
            _watermarkVersions[key] = EntityVersion.Absent;
            return Watermark.Start;
        }
        var entity = response.Value!;
        _watermarkVersions[key] = EntityVersion.Of(entity.ETag);
        return entity.GetString("Modified") is { } modified ? new Watermark(ParseInstant(modified)) : Watermark.Start;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Each two-way link has an index row keyed by its right record's id, written before the link in the
    /// same commit; the links it points to are then read as <see cref="GetLinksAsync"/> reads them (and
    /// their versions tracked), and an index row whose link has moved on is passed over.
    /// </remarks>
    public async Task<IReadOnlyDictionary<string, Link>> GetLinksByTargetAsync(string flow, IReadOnlyCollection<string> targetIds, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(flow);
        ArgumentNullException.ThrowIfNull(targetIds);
        var result = new Dictionary<string, Link>(StringComparer.Ordinal);
        if (targetIds.Count == 0) return result;
        await EnsureTablesAsync(cancellationToken).ConfigureAwait(false);
        var partition = FlowPartition(flow);
        var sources = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.ReadConcurrency, CancellationToken = cancellationToken };
        var rows = targetIds.Distinct(StringComparer.Ordinal).Select(TargetRow).ToArray();
        await Parallel.ForEachAsync(rows.Chunk(MaxKeysPerQuery), parallel, async (chunk, ct) =>
        {
            var filter = $"PartitionKey eq {Literal(partition)} and ({string.Join(" or ", chunk.Select(r => $"RowKey eq {Literal(r)}"))})";
            await foreach (var entity in _state.QueryAsync<TableEntity>(filter, maxPerPage: MaxActionsPerTransaction, cancellationToken: ct).ConfigureAwait(false))
            {
                sources[entity.GetString("TargetId")] = entity.GetString("SourceId");
            }
        }).ConfigureAwait(false);
        var links = await GetLinksAsync(flow, sources.Values.Distinct(StringComparer.Ordinal).ToArray(), cancellationToken).ConfigureAwait(false);
        foreach (var (targetId, sourceId) in sources)
        {
            if (links.TryGetValue(sourceId, out var link) && link.TargetId == targetId) result[targetId] = link;
        }
        return result;
    }

    /// <inheritdoc />
    /// <remarks>
    /// One entity-group transaction when the commit has at most 100 entities (each link counts twice: its
    /// index row and itself); otherwise several, in the order of the interface, the watermarks last.
    /// </remarks>
    public async Task CommitAsync(TwoWayCommit commit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commit);
        ArgumentException.ThrowIfNullOrWhiteSpace(commit.Flow);
        ArgumentNullException.ThrowIfNull(commit.Links);
        ArgumentNullException.ThrowIfNull(commit.DeadLetters);
        ArgumentNullException.ThrowIfNull(commit.Parked);
        ArgumentNullException.ThrowIfNull(commit.Settled);
        if (commit.Links.Any(l => l.Flow != commit.Flow) || commit.DeadLetters.Any(d => d.Flow != commit.Flow) || commit.Parked.Any(c => c.Flow != commit.Flow))
        {
            throw new ArgumentException($"Every link, dead letter and conflict of a commit must belong to its flow, {commit.Flow}.", nameof(commit));
        }
        await EnsureTablesAsync(cancellationToken).ConfigureAwait(false);
        await IndexFlowAsync(commit.Flow, cancellationToken).ConfigureAwait(false);
        var partition = FlowPartition(commit.Flow);
        var writes = new List<Write>();
        foreach (var letter in commit.DeadLetters)
        {
            var entity = DeadLetterEntity(partition, letter, Interlocked.Increment(ref _deadLetterSequence), _instance);
            writes.Add(new Write(new TableTransactionAction(TableTransactionActionType.UpsertReplace, entity), Size(entity), null));
        }
        var last = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < commit.Links.Count; i++) last[commit.Links[i].SourceId] = i;
        for (var i = 0; i < commit.Links.Count; i++)
        {
            var link = commit.Links[i];
            if (last[link.SourceId] != i) continue;
            // The index row first: whenever a link exists, its right record finds it.
            var index = new TableEntity(partition, TargetRow(link.TargetId)) { ["SourceId"] = link.SourceId, ["TargetId"] = link.TargetId };
            writes.Add(new Write(new TableTransactionAction(TableTransactionActionType.UpsertReplace, index), Size(index), null));
            var entity = LinkEntity(partition, link);
            var key = VersionKey(partition, entity.RowKey);
            var version = _linkVersions.TryGet(key, out var known) ? known : (EntityVersion?)null;
            writes.Add(new Write(Conditional(entity, version, commit.Flow, $"the link of {link.SourceId}"), Size(entity), key));
        }
        var parked = new HashSet<string>(StringComparer.Ordinal);
        foreach (var conflict in commit.Parked)
        {
            if (!parked.Add(conflict.Id)) continue;
            var entity = ConflictEntity(partition, conflict);
            writes.Add(new Write(new TableTransactionAction(TableTransactionActionType.UpsertReplace, entity), Size(entity), null));
        }
        foreach (var id in commit.Settled.Distinct(StringComparer.Ordinal).Where(id => !parked.Contains(id)))
        {
            // Only conflicts the run read are settled: one that is gone was settled by another writer (404).
            writes.Add(new Write(new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, ConflictRow(id)), ETag.All), 64, null));
        }
        foreach (var (side, watermark) in new[] { (FlowSide.Left, commit.LeftWatermark), (FlowSide.Right, commit.RightWatermark) })
        {
            if (watermark is null) continue;
            var (row, key) = SideWatermark(commit.Flow, side);
            writes.Add(WatermarkWrite(partition, commit.Flow, row, key, watermark, $"the {side.ToString().ToLowerInvariant()} watermark"));
        }
        foreach (var transaction in Transactions(writes))
        {
            await SubmitAsync(commit.Flow, transaction, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Conflict>> GetConflictsAsync(string? flow, CancellationToken cancellationToken)
    {
        if (flow is not null) ArgumentException.ThrowIfNullOrWhiteSpace(flow);
        await EnsureTablesAsync(cancellationToken).ConfigureAwait(false);
        var flows = new List<string>();
        if (flow is not null)
        {
            flows.Add(flow);
        }
        else
        {
            await foreach (var entry in _state.QueryAsync<TableEntity>($"PartitionKey eq {Literal(FlowIndexPartition)}", cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                flows.Add(entry.GetString("Flow"));
            }
        }
        var all = new List<Conflict>();
        foreach (var name in flows)
        {
            var filter = $"PartitionKey eq {Literal(FlowPartition(name))} and RowKey ge {Literal(ConflictRowStart)} and RowKey lt {Literal(ConflictRowEnd)}";
            await foreach (var entity in _state.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                all.Add(ReadConflict(entity));
            }
        }
        return [.. all.OrderBy(c => c.ParkedAt).ThenBy(c => c.Flow, StringComparer.Ordinal).ThenBy(c => c.Id, StringComparer.Ordinal)];
    }

    /// <inheritdoc />
    public async Task<Conflict?> GetConflictAsync(string flow, string id, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(flow);
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        await EnsureTablesAsync(cancellationToken).ConfigureAwait(false);
        var response = await _state.GetEntityIfExistsAsync<TableEntity>(FlowPartition(flow), ConflictRow(id), cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? ReadConflict(response.Value!) : null;
    }

    /// <inheritdoc />
    public async Task<bool> ResolveConflictAsync(string flow, string id, ConflictDecision decision, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(flow);
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(decision);
        await EnsureTablesAsync(cancellationToken).ConfigureAwait(false);
        var change = new TableEntity(FlowPartition(flow), ConflictRow(id))
        {
            ["Decision"] = decision.Take.ToString(),
            ["DecidedAt"] = FormatInstant(decision.DecidedAt),
        };
        try
        {
            // Merge with any ETag: the row must exist (404 otherwise), and only the decision changes.
            await _state.UpdateEntityAsync(change, ETag.All, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public async Task RecordRunAsync(RunRecord run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentException.ThrowIfNullOrWhiteSpace(run.Flow);
        ArgumentException.ThrowIfNullOrWhiteSpace(run.RunId);
        await EnsureTablesAsync(cancellationToken).ConfigureAwait(false);
        // Newest first is the natural order of the rows: the key counts down as time goes on.
        var row = TableKeys.Of((DateTimeOffset.MaxValue.UtcTicks - run.StartedAt.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "|", run.RunId);
        foreach (var partition in new[] { FlowPartition(run.Flow), AllRunsPartition })
        {
            var entity = new TableEntity(partition, row)
            {
                ["RunId"] = run.RunId,
                ["Flow"] = run.Flow,
                ["Kind"] = run.Kind,
                ["StartedAt"] = FormatInstant(run.StartedAt),
                ["DurationTicks"] = run.Duration.Ticks,
                ["Status"] = run.Status.ToString(),
                ["Counts"] = JsonConvert.SerializeObject(run.Counts),
                ["Message"] = Truncate(run.Message),
            };
            await _runs.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<RunRecord>> GetRunsAsync(string? flow, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        if (flow is not null) ArgumentException.ThrowIfNullOrWhiteSpace(flow);
        if (limit == 0) return [];
        await EnsureTablesAsync(cancellationToken).ConfigureAwait(false);
        var partition = flow is null ? AllRunsPartition : FlowPartition(flow);
        var runs = new List<RunRecord>(Math.Min(limit, 1000));
        await foreach (var entity in _runs.QueryAsync<TableEntity>($"PartitionKey eq {Literal(partition)}", maxPerPage: Math.Min(limit, 1000), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            runs.Add(ReadRun(entity));
            if (runs.Count == limit) break;
        }
        return runs;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<DeadLetter>> GetDeadLettersAsync(string? flow, CancellationToken cancellationToken)
    {
        if (flow is not null) ArgumentException.ThrowIfNullOrWhiteSpace(flow);
        await EnsureTablesAsync(cancellationToken).ConfigureAwait(false);
        if (flow is not null) return await ReadDeadLettersAsync(flow, cancellationToken).ConfigureAwait(false);

        var all = new List<DeadLetter>();
        await foreach (var entry in _state.QueryAsync<TableEntity>($"PartitionKey eq {Literal(FlowIndexPartition)}", cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            all.AddRange(await ReadDeadLettersAsync(entry.GetString("Flow"), cancellationToken).ConfigureAwait(false));
        }
        // Stable: letters of one flow at the same instant keep their order.
        return all.OrderBy(d => d.At).ToArray();
    }

    /// <inheritdoc />
    public async Task<int> DeleteDeadLettersAsync(string flow, RecordKey source, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(flow);
        ArgumentNullException.ThrowIfNull(source);
        await EnsureTablesAsync(cancellationToken).ConfigureAwait(false);
        var filter = $"PartitionKey eq {Literal(FlowPartition(flow))} and RowKey ge {Literal(DeadLetterRowStart)} and RowKey lt {Literal(DeadLetterRowEnd)}"
            + $" and Stream eq {Literal(source.Stream)} and SourceId eq {Literal(source.Id)}";
        var deleted = 0;
        await foreach (var entity in _state.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await _state.DeleteEntityAsync(entity.PartitionKey, entity.RowKey, ETag.All, cancellationToken).ConfigureAwait(false);
                deleted++;
            }
            catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.NotFound)
            {
                // Another replay deleted it first: it is gone either way.
            }
        }
        return deleted;
    }

    /// <summary>Deletes the store's tables and everything in them (tests and teardown).</summary>
    public async Task DeleteAsync(CancellationToken cancellationToken)
    {
        await _state.DeleteAsync(cancellationToken).ConfigureAwait(false);
        await _runs.DeleteAsync(cancellationToken).ConfigureAwait(false);
        _ready = !_options.CreateIfMissing;
    }

    private async Task SubmitAsync(string flow, IReadOnlyList<Write> transaction, CancellationToken cancellationToken)
    {
        Response<IReadOnlyList<Response>> response;
        try
        {
            response = await _state.SubmitTransactionAsync(transaction.Select(w => w.Action), cancellationToken).ConfigureAwait(false);
        }
        catch (TableTransactionFailedException e) when (e.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound)
        {
            var failed = transaction[Math.Clamp(e.FailedTransactionActionIndex ?? 0, 0, transaction.Count - 1)];
            var what = failed.WatermarkKey is not null ? $"watermark row {failed.Action.Entity.RowKey}" : $"row {failed.Action.Entity.RowKey}";
            MarkStale(failed);
            throw new StateConflictException(flow,
                $"Flow {flow}: {what} was changed by another writer since this one read it; nothing of this transaction was written and the watermark did not move.");
        }
        for (var i = 0; i < transaction.Count; i++)
        {
            var write = transaction[i];
            if (response.Value[i].Headers.ETag is not { } etag) continue;
            if (write.WatermarkKey is not null) _watermarkVersions[write.WatermarkKey] = EntityVersion.Of(etag);
            else if (write.VersionKey is not null) _linkVersions.Set(write.VersionKey, EntityVersion.Of(etag));
        }
    }

    private void MarkStale(Write failed)
    {
        if (failed.WatermarkKey is not null) _watermarkVersions[failed.WatermarkKey] = EntityVersion.Stale;
        else if (failed.VersionKey is not null) _linkVersions.Set(failed.VersionKey, EntityVersion.Stale);
    }

    private Write WatermarkWrite(string partition, string flow, string row, string versionKey, Watermark watermark, string what)
    {
        var entity = new TableEntity(partition, row) { ["Flow"] = flow, ["Modified"] = FormatInstant(watermark.Modified) };
        var version = _watermarkVersions.TryGetValue(versionKey, out var known) ? known : (EntityVersion?)null;
        return new Write(Conditional(entity, version, flow, what), Size(entity), null, versionKey);
    }

    /// <summary>The row of a side's watermark, and the key its version is tracked under.</summary>
    private static (string Row, string VersionKey) SideWatermark(string flow, FlowSide side) =>
        side == FlowSide.Left ? (LeftWatermarkRow, flow + "\u0000left") : (RightWatermarkRow, flow + "\u0000right");

    /// <summary>The write that keeps optimistic concurrency for what this store last saw of the entity.</summary>
    private static TableTransactionAction Conditional(TableEntity entity, EntityVersion? version, string flow, string what) => version?.Kind switch
    {
        EntityVersionKind.Known => new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, version.Value.ETag),
        EntityVersionKind.Absent => new TableTransactionAction(TableTransactionActionType.Add, entity),
        EntityVersionKind.Stale => throw new StateConflictException(flow,
            $"Flow {flow}: {what} lost a race with another writer; read it again before writing it. Nothing of this commit was written."),
        _ => new TableTransactionAction(TableTransactionActionType.UpsertReplace, entity),
    };

    /// <summary>Cuts the writes, in order, into transactions within the service's count and size limits.</summary>
    private static IEnumerable<IReadOnlyList<Write>> Transactions(List<Write> writes)
    {
        var current = new List<Write>();
        long size = 0;
        foreach (var write in writes)
        {
            if (current.Count > 0 && (current.Count == MaxActionsPerTransaction || size + write.Size > MaxTransactionBytes))
            {
                yield return current;
                current = [];
                size = 0;
            }
            current.Add(write);
            size += write.Size;
        }
        if (current.Count > 0) yield return current;
    }

    private async Task<IReadOnlyList<DeadLetter>> ReadDeadLettersAsync(string flow, CancellationToken cancellationToken)
    {
        var filter = $"PartitionKey eq {Literal(FlowPartition(flow))} and RowKey ge {Literal(DeadLetterRowStart)} and RowKey lt {Literal(DeadLetterRowEnd)}";
        var letters = new List<DeadLetter>();
        await foreach (var entity in _state.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            letters.Add(ReadDeadLetter(entity));
        }
        return letters;
    }

    private async Task IndexFlowAsync(string flow, CancellationToken cancellationToken)
    {
        if (_indexedFlows.ContainsKey(flow)) return;
        var entry = new TableEntity(FlowIndexPartition, TableKeys.Of("", flow)) { ["Flow"] = flow };
        await _state.UpsertEntityAsync(entry, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        _indexedFlows[flow] = true;
    }

    private async Task EnsureTablesAsync(CancellationToken cancellationToken)
    {
        if (_ready) return;
        await _creating.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_ready) return;
            await _state.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            await _runs.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            _ready = true;
        }
        finally
        {
            _creating.Release();
        }
    }

    private static TableEntity LinkEntity(string partition, Link link)
    {
        var entity = new TableEntity(partition, LinkRow(link.SourceId))
        {
            ["SourceId"] = link.SourceId,
            ["TargetId"] = link.TargetId,
            ["Fingerprint"] = link.Fingerprint.Value,
            ["SyncedAt"] = FormatInstant(link.SyncedAt),
            ["Orphaned"] = link.Orphaned,
        };
        WriteChunks(entity, "Base", link.Base?.ToString(Formatting.None));
        return entity;
    }

    private static Link ReadLink(string flow, TableEntity entity) => new(
        flow,
        entity.GetString("SourceId"),
        entity.GetString("TargetId"),
        new Fingerprint(entity.GetString("Fingerprint")),
        ParseInstant(entity.GetString("SyncedAt")))
    {
        Base = ReadChunks(entity, "Base") is { } json ? JsonConvert.DeserializeObject<JObject>(json, ReadSettings) : null,
        Orphaned = entity.GetBoolean("Orphaned") ?? false,
    };

    private static TableEntity ConflictEntity(string partition, Conflict conflict)
    {
        var entity = new TableEntity(partition, ConflictRow(conflict.Id))
        {
            ["Id"] = conflict.Id,
            ["Flow"] = conflict.Flow,
            ["LeftId"] = conflict.LeftId,
            ["RightId"] = conflict.RightId,
            ["ParkedAt"] = FormatInstant(conflict.ParkedAt),
            ["Decision"] = conflict.Decision?.Take.ToString(),
            ["DecidedAt"] = FormatInstant(conflict.Decision?.DecidedAt),
        };
        WriteChunks(entity, "Fields", ConflictFieldText.ToJson(conflict.Fields));
        return entity;
    }

    private static Conflict ReadConflict(TableEntity entity) => new(
        entity.GetString("Id"),
        entity.GetString("Flow"),
        entity.GetString("LeftId"),
        entity.GetString("RightId"),
        ConflictFieldText.Parse(ReadChunks(entity, "Fields") ?? "[]"),
        ParseInstant(entity.GetString("ParkedAt")))
    {
        Decision = entity.GetString("Decision") is { } take
            ? new ConflictDecision(Enum.Parse<ConflictTake>(take), ParseInstant(entity.GetString("DecidedAt")))
            : null,
    };

    /// <summary>Keeps a long text in as many string properties as it needs (<c>Name</c>, <c>Name1</c>, …), each within the service's limit.</summary>
    private static void WriteChunks(TableEntity entity, string name, string? text)
    {
        if (text is null) return;
        var chunks = text.Chunk(MaxStringChars).Select(c => new string(c)).ToArray();
        entity[name + "Chunks"] = Math.Max(1, chunks.Length);
        entity[name] = chunks.Length > 0 ? chunks[0] : "";
        for (var i = 1; i < chunks.Length; i++) entity[$"{name}{i}"] = chunks[i];
    }

    private static string? ReadChunks(TableEntity entity, string name)
    {
        if (entity.GetInt32(name + "Chunks") is not { } count) return null;
        return string.Concat(Enumerable.Range(0, count).Select(i => entity.GetString(i == 0 ? name : $"{name}{i}")));
    }

    private static TableEntity DeadLetterEntity(string partition, DeadLetter letter, long sequence, string instance)
    {
        // Ordered by time, then by the order they were committed: oldest first is the natural order of the rows.
        var row = TableKeys.Of(
            string.Create(CultureInfo.InvariantCulture, $"{DeadLetterRowStart}{letter.At.UtcTicks:D19}|{sequence:D12}|{instance}|"),
            letter.Source.Stream, letter.Source.Id);
        var entity = new TableEntity(partition, row)
        {
            ["Flow"] = letter.Flow,
            ["Stream"] = letter.Source.Stream,
            ["SourceId"] = letter.Source.Id,
            ["Code"] = Truncate(letter.Code),
            ["Field"] = Truncate(letter.Field),
            ["Message"] = Truncate(letter.Message),
            ["At"] = FormatInstant(letter.At),
        };
        var json = letter.Record.ToString(Formatting.None);
        if (json.Length > MaxStringChars * MaxRecordChunks)
        {
            // Larger than an entity can hold. Keep the dead letter (its key finds the record at the source)
            // and say plainly that the copy was not kept, rather than lose the whole commit.
            json = new JObject { ["$notKept"] = $"The record was {json.Length} characters long, more than a dead letter can hold; read it from the source by its key." }.ToString(Formatting.None);
        }
        var chunks = json.Chunk(MaxStringChars).Select(c => new string(c)).ToArray();
        entity["RecordChunks"] = Math.Max(1, chunks.Length);
        entity["Record"] = chunks.Length > 0 ? chunks[0] : "";
        for (var i = 1; i < chunks.Length; i++) entity[$"Record{i}"] = chunks[i];
        return entity;
    }

    private static DeadLetter ReadDeadLetter(TableEntity entity)
    {
        var chunks = entity.GetInt32("RecordChunks") ?? 1;
        var json = string.Concat(Enumerable.Range(0, chunks).Select(i => entity.GetString(i == 0 ? "Record" : $"Record{i}")));
        return new DeadLetter(
            entity.GetString("Flow"),
            new RecordKey(entity.GetString("Stream"), entity.GetString("SourceId")),
            entity.GetString("Code"),
            entity.GetString("Field"),
            entity.GetString("Message"),
            JsonConvert.DeserializeObject<JObject>(json, ReadSettings) ?? [],
            ParseInstant(entity.GetString("At")));
    }

    private static RunRecord ReadRun(TableEntity entity)
    {
        var counts = JsonConvert.DeserializeObject<Dictionary<string, long>>(entity.GetString("Counts") ?? "{}") ?? [];
        return new RunRecord(
            entity.GetString("RunId"),
            entity.GetString("Flow"),
            entity.GetString("Kind"),
            ParseInstant(entity.GetString("StartedAt")),
            TimeSpan.FromTicks(entity.GetInt64("DurationTicks") ?? 0),
            Enum.Parse<RunStatus>(entity.GetString("Status")),
            counts,
            entity.GetString("Message"));
    }

    private static string FlowPartition(string flow) => TableKeys.Of("f|", flow);

    private static string LinkRow(string sourceId) => TableKeys.Of("l|", sourceId);

    private static string TargetRow(string targetId) => TableKeys.Of("t|", targetId);

    private static string ConflictRow(string id) => TableKeys.Of(ConflictRowStart, id);

    private static string VersionKey(string partition, string row) => partition + "\n" + row;

    private static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    // Kept as round-trip text: a table DateTime is UTC only and would lose the offset.
    private static string? FormatInstant(DateTimeOffset? instant) => instant?.ToString("o", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseInstant(string text) =>
        DateTimeOffset.ParseExact(text, "o", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    private static string? Truncate(string? text) =>
        text is { Length: > MaxStringChars } ? string.Concat(text.AsSpan(0, MaxStringChars - 1), "…") : text;

    // Roughly what the entity costs in a transaction body: JSON text, with room for escapes.
    private static long Size(TableEntity entity) =>
        entity.Sum(p => 64 + p.Key.Length + (p.Value is string s ? 3L * s.Length : 32));

    private sealed record Write(TableTransactionAction Action, long Size, string? VersionKey, string? WatermarkKey = null);
}
