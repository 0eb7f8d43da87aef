using System.Globalization;
using System.Runtime.CompilerServices;
using Connectors.Core.Connectors;
using Connectors.Core.Flows;
using Connectors.Core.Http;
using Connectors.Core.Mapping;
using Connectors.Core.Records;
using Connectors.Core.State;
using Connectors.Core.Sync;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Reconciliation;

/// <summary>
/// Reconciles one flow: reads both sides in full and the flow's links, joins them through links and
/// match keys, classifies every record, writes a JSON and an HTML report, records the run in the state
/// store's history, and with <see cref="ReconcileOptions.Repair"/> fixes what the flow's policies allow
/// through the sync engine (<see cref="SyncRun"/>), the vendor's delete API or a flag field.
/// </summary>
/// <remarks>
/// Memory is bounded by a page: each page read is spilled into a scratch SQLite file and the join runs
/// there on indexes (a sort-merge by key would need both sides in the same order, which neither vendor
/// gives, and an external sort is what SQLite already is). The scratch file is the run's checkpoint: a
/// run stopped by the credit budget or an outage leaves it, and the next run of the flow resumes from
/// it (reads from the last page's watermark, repairs from the last one done) while it is younger than
/// <see cref="ReconcileOptions.CheckpointLifetime"/>.
/// </remarks>
public sealed class ReconcileRun(ISyncStateStore state, SyncRun sync, ApiCallMeter meter, TimeProvider clock, ILogger<ReconcileRun> log)
{
    /// <summary>Links read from the state store per page.</summary>
    public const int LinkPageSize = 5_000;

    // Pages of a bulk read parsed and turned into rows ahead of the ones being stored.
    private const int BulkPagesAhead = 2;

    // Rows written to the scratch file per transaction while a bulk read streams in.
    private const int BulkRowsPerInsert = 5_000;

    private readonly ISyncStateStore _state = state;
    private readonly TimeProvider _clock = clock;
    private readonly ApiCallMeter _meter = meter;
    private readonly ILogger<ReconcileRun> _log = log;
    private readonly SyncRun _sync = sync;

    /// <summary>
    /// Reconciles <paramref name="flow"/> between <paramref name="source"/> and <paramref name="target"/>,
    /// which must also be readable (an <see cref="ISourceConnector"/>). The state store must be an
    /// <see cref="ILinkCatalog"/>. Vendor failures end the run with a report, never an exception.
    /// </summary>
    /// <exception cref="ArgumentException">The target cannot be read.</exception>
    /// <exception cref="InvalidOperationException">The state store cannot list links.</exception>
    /// <exception cref="System.ComponentModel.DataAnnotations.ValidationException">The options are invalid.</exception>
    public async Task<ReconcileReport> RunAsync(Flow flow, ISourceConnector source, ITargetConnector target, ReconcileOptions options,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var targetReader = target as ISourceConnector
            ?? throw new ArgumentException($"The target of flow {flow.Name} cannot be read, so it cannot be reconciled.", nameof(target));
        var catalog = _state as ILinkCatalog
            ?? throw new InvalidOperationException("The state store cannot list a flow's links, which reconciliation needs.");

        var startedAt = _clock.GetUtcNow();
        var started = _clock.GetTimestamp();
        var budget = new CreditBudget(options.CreditBudget is { } total ? total - await CreditsSpentAsync(flow.Name, startedAt, cancellationToken).ConfigureAwait(false) : null);
        var tally = new CallTally(_meter, [flow.From.System, flow.To.System]);
        var path = Path.Combine(options.WorkFolder, FileName(flow.Name) + ".reconcile.db");
        var pass = new Pass(this, flow, source, target, targetReader, catalog, options, budget, tally, cancellationToken);

        var status = RunStatus.Completed;
        string? message = null;
        Summary summary;
        IReadOnlyList<ReconcileFinding> findings;
        await using (var scratch = await OpenScratchAsync(path, startedAt, options, cancellationToken).ConfigureAwait(false))
        {
            pass.Scratch = scratch;
            pass.Resumed = await scratch.GetAsync("run_id", cancellationToken).ConfigureAwait(false) is not null;
            pass.RunId = await scratch.GetAsync("run_id", cancellationToken).ConfigureAwait(false) ?? Guid.CreateVersion7(startedAt).ToString("N");
            await scratch.SetAsync("run_id", pass.RunId, cancellationToken).ConfigureAwait(false);
            await scratch.SetAsync("started_at", startedAt.ToString("o", CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
            if (pass.Resumed) _log.LogInformation("Flow {Flow}: resuming reconciliation {RunId} from its checkpoint", flow.Name, pass.RunId);
            try
            {
                await pass.RunAsync().ConfigureAwait(false);
            }
            catch (ConnectorException e) when (!cancellationToken.IsCancellationRequested)
            {
                status = e.Code is ConnectorErrorCode.Throttled or ConnectorErrorCode.Unavailable ? RunStatus.Incomplete : RunStatus.Failed;
                message = $"{e.Message} The next run resumes from the checkpoint.";
                _log.LogWarning("Flow {Flow} reconciliation stopped: {Code} {Message}", flow.Name, e.Code, e.Message);
            }
            if (pass.Failure is { } failure && status == RunStatus.Completed)
            {
                status = failure.Status;
                message = failure.Message;
            }
            if (budget.Exhausted && status == RunStatus.Completed)
            {
                status = RunStatus.Incomplete;
                message = $"Stopped at the credit budget: the next step needed {budget.Needed} credit(s) and {budget.Left} of the "
                    + $"{options.CreditBudget} allowed in 24 hours are left ({budget.Spent} spent by this run). "
                    + $"{pass.Pending} repair(s) wait; the next run resumes from the checkpoint.";
                _log.LogWarning("Flow {Flow}: {Message}", flow.Name, message);
            }
            summary = await pass.SummaryAsync().ConfigureAwait(false);
            findings = await pass.WorstAsync(options.WorstRecords).ConfigureAwait(false);
        }
        if (status == RunStatus.Completed) ScratchDatabase.Delete(path);

        var report = new ReconcileReport
        {
            RunId = pass.RunId,
            Flow = flow.Name,
            Source = flow.From.ToString(),
            Target = flow.To.ToString(),
            StartedAt = startedAt,
            Duration = _clock.GetElapsedTime(started),
            Status = status,
            Message = message,
            Resumed = pass.Resumed,
            Repair = options.Repair,
            Deletes = options.Deletes,
            SourceReadMode = pass.SourceMode,
            TargetReadMode = pass.TargetMode,
            SourceRecords = summary.SourceRecords,
            TargetRecords = summary.TargetRecords,
            Links = summary.Links,
            Unmapped = summary.Unmapped,
            Counts = summary.Counts,
            DeletedInSource = summary.DeletedInSource,
            AlreadyFlagged = summary.AlreadyFlagged,
            Drift = summary.Drift,
            DriftByField = summary.ByField,
            Findings = findings,
            Repairs = pass.Repairs with { Pending = pass.Pending },
            Calls = tally.Accounts(),
            CreditBudget = options.CreditBudget,
            CreditsLeft = budget.Left,
            TargetRecordUrl = options.TargetRecordUrl,
            SourceRecordUrl = options.SourceRecordUrl,
        };
        report = await ReportFiles.WriteAsync(report, options.ReportFolder, cancellationToken).ConfigureAwait(false);
        await _state.RecordRunAsync(report.ToRunRecord(), CancellationToken.None).ConfigureAwait(false);
        _log.LogInformation("Flow {Flow} reconciled ({Status}): {Source} source, {Target} target records, drift {Drift}; report {Report}",
            flow.Name, status, report.SourceRecords, report.TargetRecords, report.Drift, report.HtmlPath);
        return report;
    }

    private async Task<long> CreditsSpentAsync(string flow, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Vendors count credits over a rolling 24 hours; so does the budget, from the runs' own history.
        var runs = await _state.GetRunsAsync(flow, 500, cancellationToken).ConfigureAwait(false);
        return runs.Where(r => r.Kind == "reconcile" && r.StartedAt > now.AddHours(-24)).Sum(r => r.Counts.GetValueOrDefault("credits"));
    }

    private static async Task<ScratchDatabase> OpenScratchAsync(string path, DateTimeOffset now, ReconcileOptions options, CancellationToken cancellationToken)
    {
        var scratch = await ScratchDatabase.OpenAsync(path, cancellationToken).ConfigureAwait(false);
        var started = await scratch.GetAsync("first_started_at", cancellationToken).ConfigureAwait(false);
        if (started is not null && now - DateTimeOffset.Parse(started, CultureInfo.InvariantCulture) <= options.CheckpointLifetime) return scratch;
        if (started is not null)
        {
            // Too old to resume: what it read no longer says how the systems stand.
            await scratch.DisposeAsync().ConfigureAwait(false);
            ScratchDatabase.Delete(path);
            scratch = await ScratchDatabase.OpenAsync(path, cancellationToken).ConfigureAwait(false);
        }
        await scratch.SetAsync("first_started_at", now.ToString("o", CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
        return scratch;
    }

    private static string FileName(string flow) =>
        string.Concat(flow.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_'));

    /// <summary>The counts a classification produced, kept in the scratch file so that a resumed run reports them.</summary>
    private sealed record Summary(long SourceRecords, long TargetRecords, long Links, long Unmapped, Dictionary<Classification, long> Counts,
        Dictionary<string, long> ByField, long DeletedInSource, long AlreadyFlagged, long Drift);

    /// <summary>A failure that ended the run early without an exception (a repair the sync engine could not finish).</summary>
    private sealed record StopReason(RunStatus Status, string Message);

    /// <summary>The work of one run; lives for one <see cref="RunAsync"/>.</summary>
    private sealed class Pass(ReconcileRun run, Flow flow, ISourceConnector source, ITargetConnector target, ISourceConnector targetReader,
        ILinkCatalog catalog, ReconcileOptions options, CreditBudget budget, CallTally tally, CancellationToken cancellationToken)
    {
        private readonly string _sourceSystem = flow.From.System;
        private readonly string _targetSystem = flow.To.System;

        public ScratchDatabase Scratch { get; set; } = null!;
        public bool Resumed { get; set; }
        public string RunId { get; set; } = "";
        public string SourceMode { get; private set; } = "paged";
        public string TargetMode { get; private set; } = "paged";
        public RepairTotals Repairs { get; private set; } = new();
        public long Pending { get; private set; }
        public StopReason? Failure { get; private set; }

        public async Task RunAsync()
        {
            if (!await StepAsync("links", LoadLinksAsync).ConfigureAwait(false)) return;
            // Both sides at once: one side's network and parsing overlap the other's.
            var sides = await Task.WhenAll(StepAsync("source", ReadSourceAsync), StepAsync("target", ReadTargetAsync)).ConfigureAwait(false);
            if (!sides.All(done => done)) return;
            if (!await StepAsync("deleted", ReadDeletedAsync).ConfigureAwait(false)) return;
            if (!await StepAsync("classified", ClassifyAsync).ConfigureAwait(false)) return;
            if (options.Repair) await RepairAsync().ConfigureAwait(false);
        }

        /// <summary>Runs a step unless a resumed run already finished it; false when the step stopped at the budget.</summary>
        private async Task<bool> StepAsync(string name, Func<Task<bool>> step)
        {
            if (await Scratch.GetAsync("done." + name, cancellationToken).ConfigureAwait(false) is not null) return true;
            var started = run._clock.GetTimestamp();
            if (!await step().ConfigureAwait(false)) return false;
            await Scratch.SetAsync("done." + name, "1", cancellationToken).ConfigureAwait(false);
            run._log.LogInformation("Flow {Flow}: reconciliation step {Step} done in {Elapsed}, working set {WorkingSet} MiB",
                flow.Name, name, run._clock.GetElapsedTime(started), Environment.WorkingSet / (1024 * 1024));
            return true;
        }

        private bool Reserve(string system, long credits)
        {
            if (!budget.TryReserve(credits)) return false;
            tally.Spent(system, credits);
            return true;
        }

        private void Refund(string system, long credits)
        {
            budget.Refund(credits);
            tally.Spent(system, -credits);
        }

        private async Task<bool> LoadLinksAsync()
        {
            await Scratch.ExecuteAsync("DELETE FROM links;", cancellationToken).ConfigureAwait(false);
            await foreach (var page in catalog.ReadLinksAsync(flow.Name, LinkPageSize, cancellationToken).ConfigureAwait(false))
            {
                await Scratch.InsertAsync("links", ["source_id", "target_id"], page.Select(l => new object?[] { l.SourceId, l.TargetId }).ToList(),
                    cancellationToken).ConfigureAwait(false);
            }
            return true;
        }

        private async Task<bool> ReadSourceAsync() =>
            await ReadSideAsync(source, flow.From.Stream, _sourceSystem, "source", mode => SourceMode = mode, ["id", "match_key", "payload", "sig"],
                async records =>
                {
                    var context = await MappingContext.LoadAsync(flow.Mapping, records.Select(r => r.Data), run._state, cancellationToken).ConfigureAwait(false);
                    return records.Select(r => SourceRow(r, context)).ToList();
                }).ConfigureAwait(false);

        private object?[] SourceRow(Record record, MappingContext context)
        {
            JObject payload;
            try
            {
                payload = flow.Mapping.Apply(record.Data, context);
            }
            catch (MappingException)
            {
                return [record.Key.Id, null, null, null];
            }
            // A payload that fails validation is never sent, so there is nothing it can be compared with.
            if (flow.Validation.Validate(payload).Count > 0) return [record.Key.Id, null, null, null];
            return [record.Key.Id, FieldComparison.MatchKey(payload, flow.MatchFields), payload.ToString(Formatting.None),
                FieldComparison.Signature(payload, flow.Mapping.TargetFields)];
        }

        private async Task<bool> ReadTargetAsync()
        {
            var fields = flow.Mapping.TargetFields.Concat(flow.MatchFields)
                .Concat(options.FlagField is { } flag ? [flag] : []).Distinct(StringComparer.Ordinal).ToArray();
            return await ReadSideAsync(targetReader, flow.To.Stream, _targetSystem, "target", mode => TargetMode = mode, ["id", "match_key", "fields", "sig"],
                records => Task.FromResult(records.Select(r => new object?[]
                {
                    r.Key.Id, FieldComparison.MatchKey(r.Data, flow.MatchFields), FieldComparison.ProjectedJson(r.Data, fields),
                    FieldComparison.Signature(r.Data, flow.Mapping.TargetFields),
                }).ToList())).ConfigureAwait(false);
        }

        /// <summary>
        /// Reads one side in full into its scratch table, in bulk above the configured size, else page by page from the checkpoint.
        /// <paramref name="rows"/> turns a page of records into the table's rows.
        /// </summary>
        private async Task<bool> ReadSideAsync(ISourceConnector reader, string stream, string system, string side, Action<string> mode,
            string[] columns, Func<IReadOnlyList<Record>, Task<List<object?[]>>> rows)
        {
            if (options.BulkAbove is { } above && reader is IBulkSource bulk)
            {
                if (!Reserve(system, CallTally.Credits(reader, ApiOperation.Count, 1))) return false;
                var count = await bulk.CountAsync(stream, cancellationToken).ConfigureAwait(false);
                tally.AddMinimum(system, 1);
                if (count > above)
                {
                    mode("bulk");
                    await Scratch.SetAsync(side + ".mode", "bulk", cancellationToken).ConfigureAwait(false);
                    // One job per result page: planned and reserved whole, before the first job is created.
                    var perJob = Math.Max(1, CallTally.PerCall(reader, ApiOperation.BulkReadJob, stream, int.MaxValue));
                    var jobs = Math.Max(1, (count + perJob - 1) / perJob);
                    var jobCredits = CallTally.Credits(reader, ApiOperation.BulkReadJob, perJob) + 2L * CallTally.Credits(reader, ApiOperation.BulkStep, 0);
                    if (!Reserve(system, jobs * jobCredits)) return false;
                    // Records become rows on the reading side, page by page as they are parsed, so that a record's objects die
                    // young; only the rows wait for the scratch file, in batches.
                    var batch = new List<object?[]>(BulkRowsPerInsert);
                    await foreach (var prepared in ReadAhead.Of(RowsOf(bulk.ReadAllInBulkAsync(stream, cancellationToken), rows), BulkPagesAhead, cancellationToken)
                        .ConfigureAwait(false))
                    {
                        batch.AddRange(prepared);
                        if (batch.Count < BulkRowsPerInsert) continue;
                        await Scratch.InsertAsync(side, columns, batch, cancellationToken).ConfigureAwait(false);
                        batch.Clear();
                    }
                    await Scratch.InsertAsync(side, columns, batch, cancellationToken).ConfigureAwait(false);
                    // Each job: create it, ask its status at least once, download its file.
                    tally.AddMinimum(system, 3L * jobs);
                    return true;
                }
            }
            var pageSize = CallTally.PerCall(reader, ApiOperation.List, stream, 1);
            var credits = CallTally.Credits(reader, ApiOperation.List, pageSize);
            var since = await Scratch.GetAsync(side + ".watermark", cancellationToken).ConfigureAwait(false) is { } stamp
                ? new Watermark(DateTimeOffset.Parse(stamp, CultureInfo.InvariantCulture))
                : Watermark.Start;
            var largest = 0;
            long records = 0;
            try
            {
                await using var pages = reader.ReadChangedAsync(stream, since, cancellationToken).GetAsyncEnumerator(cancellationToken);
                while (true)
                {
                    if (!Reserve(system, credits)) return false;
                    if (!await pages.MoveNextAsync().ConfigureAwait(false))
                    {
                        Refund(system, credits);
                        return true;
                    }
                    var page = pages.Current;
                    records += page.Records.Count;
                    largest = Math.Max(largest, page.Records.Count);
                    await Scratch.InsertAsync(side, columns, await rows(page.Records).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
                    if (page.Checkpoint?.Modified is { } checkpoint)
                    {
                        await Scratch.SetAsync(side + ".watermark", checkpoint.ToString("o", CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            finally
            {
                tally.Used(system, records, reader is IApiLimits ? pageSize : Math.Max(1, largest));
            }
        }

        private static async IAsyncEnumerable<List<object?[]>> RowsOf(IAsyncEnumerable<RecordPage> pages, Func<IReadOnlyList<Record>, Task<List<object?[]>>> rows)
        {
            await foreach (var page in pages.ConfigureAwait(false)) yield return await rows(page.Records).ConfigureAwait(false);
        }

        private async Task<bool> ReadDeletedAsync()
        {
            if (source is not IDeletedRecordSource deletes) return true;
            var credits = CallTally.Credits(source, ApiOperation.ListDeleted, 0);
            long ids = 0;
            await using var pages = deletes.ReadDeletedIdsAsync(flow.From.Stream, cancellationToken).GetAsyncEnumerator(cancellationToken);
            while (true)
            {
                if (!Reserve(_sourceSystem, credits)) return false;
                if (!await pages.MoveNextAsync().ConfigureAwait(false))
                {
                    Refund(_sourceSystem, credits);
                    break;
                }
                ids += pages.Current.Count;
                await Scratch.InsertAsync("deleted", ["id"], pages.Current.Select(id => new object?[] { id }).ToList(), cancellationToken).ConfigureAwait(false);
            }
            tally.Used(_sourceSystem, ids, CallTally.PerCall(source, ApiOperation.ListDeleted, flow.From.Stream, 1));
            return true;
        }

        private async Task<bool> ClassifyAsync()
        {
            await Scratch.ExecuteAsync("""
                DELETE FROM pairs;
                DELETE FROM findings;
                CREATE INDEX IF NOT EXISTS target_by_key ON target (match_key);
                CREATE INDEX IF NOT EXISTS source_by_key ON source (match_key);
                CREATE INDEX IF NOT EXISTS links_by_target ON links (target_id);
                INSERT INTO pairs (source_id, target_id, linked)
                    SELECT s.id, t.id, 1 FROM source s JOIN links l ON l.source_id = s.id JOIN target t ON t.id = l.target_id;
                INSERT OR IGNORE INTO pairs (source_id, target_id, linked)
                    SELECT s.id, MIN(t.id), 0 FROM source s JOIN target t ON t.match_key = s.match_key
                    WHERE s.match_key IS NOT NULL
                      AND NOT EXISTS (SELECT 1 FROM links l WHERE l.source_id = s.id)
                      AND NOT EXISTS (SELECT 1 FROM links l WHERE l.target_id = t.id)
                    GROUP BY s.id;
                CREATE INDEX IF NOT EXISTS pairs_by_target ON pairs (target_id);
                """, cancellationToken).ConfigureAwait(false);

            var counts = Enum.GetValues<Classification>().ToDictionary(c => c, _ => 0L);
            var byField = new Dictionary<string, long>(StringComparer.Ordinal);
            long unmapped = 0, deletedInSource = 0, alreadyFlagged = 0, drift = 0;
            await using var transaction = Scratch.Connection.BeginTransaction();
            await using var insert = Scratch.Command("""
                INSERT INTO findings (class, source_id, target_id, fields, evidence, label, weight, linked, flagged)
                VALUES ($class, $source, $target, $fields, $evidence, $label, $weight, $linked, $flagged);
                """);
            insert.Transaction = transaction;
            var p = new[] { "$class", "$source", "$target", "$fields", "$evidence", "$label", "$weight", "$linked", "$flagged" }
                .Select(n => insert.Parameters.Add(n, Microsoft.Data.Sqlite.SqliteType.Text)).ToArray();
            insert.Prepare();
            async Task FindAsync(Classification c, string? sourceId, string? targetId, IReadOnlyList<string>? fields, DeleteEvidence evidence,
                string? label, bool linked, bool flagged)
            {
                counts[c]++;
                var settled = flagged || c == Classification.MissingInSource && evidence == DeleteEvidence.None;
                if (!settled) drift++;
                object?[] values = [(int)c, sourceId, targetId, fields is { Count: > 0 } ? string.Join(',', fields) : null, (int)evidence, label,
                    fields?.Count ?? 0, linked ? 1 : 0, flagged ? 1 : 0];
                for (var i = 0; i < p.Length; i++) p[i].Value = values[i] ?? DBNull.Value;
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            // Pairs: in sync or drifted, field by field.
            await using (var pairs = Scratch.Command("""
                SELECT p.source_id, p.target_id, p.linked, s.payload, t.fields, s.match_key, s.sig = t.sig
                FROM pairs p JOIN source s ON s.id = p.source_id JOIN target t ON t.id = p.target_id;
                """))
            {
                pairs.Transaction = transaction;
                await using var reader = await pairs.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (reader.IsDBNull(3))
                    {
                        unmapped++;
                        continue;
                    }
                    if (reader.GetInt64(6) == 1)
                    {
                        counts[Classification.InSync]++;
                        continue;
                    }
                    var drifted = FieldComparison.Drifted(JObject.Parse(reader.GetString(3)), JObject.Parse(reader.GetString(4)));
                    if (drifted.Count == 0)
                    {
                        counts[Classification.InSync]++;
                        continue;
                    }
                    foreach (var field in drifted) byField[field] = byField.GetValueOrDefault(field) + 1;
                    await FindAsync(Classification.Drifted, reader.GetString(0), reader.GetString(1), drifted, DeleteEvidence.None,
                        FieldComparison.Label(reader.IsDBNull(5) ? null : reader.GetString(5)), reader.GetInt64(2) == 1, false).ConfigureAwait(false);
                }
            }
            unmapped += await ScalarInAsync(transaction,
                "SELECT COUNT(*) FROM source s WHERE s.payload IS NULL AND NOT EXISTS (SELECT 1 FROM pairs p WHERE p.source_id = s.id);").ConfigureAwait(false);

            // Links whose target is gone, with or without their source.
            await ForEachAsync(transaction, """
                SELECT l.source_id, l.target_id, s.match_key, s.id IS NOT NULL FROM links l LEFT JOIN source s ON s.id = l.source_id
                WHERE NOT EXISTS (SELECT 1 FROM target t WHERE t.id = l.target_id);
                """, r => FindAsync(Classification.OrphanLink, r.GetString(0), r.GetString(1), null, DeleteEvidence.None,
                FieldComparison.Label(r.IsDBNull(2) ? null : r.GetString(2)), r.GetInt64(3) == 1, false)).ConfigureAwait(false);

            // Source records with nothing in the target and no link.
            await ForEachAsync(transaction, """
                SELECT s.id, s.match_key FROM source s
                WHERE s.payload IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM pairs p WHERE p.source_id = s.id)
                  AND NOT EXISTS (SELECT 1 FROM links l WHERE l.source_id = s.id);
                """, r => FindAsync(Classification.MissingInTarget, r.GetString(0), null, null, DeleteEvidence.None,
                FieldComparison.Label(r.IsDBNull(1) ? null : r.GetString(1)), false, false)).ConfigureAwait(false);

            // Target records nothing in the source accounts for: deleted there, duplicates, or never from this flow.
            var flagField = options.Deletes == DeletePolicy.Flag ? options.FlagField : null;
            await ForEachAsync(transaction, """
                SELECT t.id, t.match_key, t.fields,
                       (SELECT l.source_id FROM links l WHERE l.target_id = t.id LIMIT 1),
                       EXISTS (SELECT 1 FROM links l JOIN deleted d ON d.id = l.source_id WHERE l.target_id = t.id),
                       t.match_key IS NOT NULL AND EXISTS (SELECT 1 FROM source s WHERE s.match_key = t.match_key)
                FROM target t
                WHERE NOT EXISTS (SELECT 1 FROM pairs p WHERE p.target_id = t.id);
                """, async r =>
                {
                    var linkedFrom = r.IsDBNull(3) ? null : r.GetString(3);
                    var flagged = flagField is not null && FieldComparison.IsSet(JObject.Parse(r.GetString(2))[flagField]);
                    var label = FieldComparison.Label(r.IsDBNull(1) ? null : r.GetString(1));
                    if (linkedFrom is not null)
                    {
                        deletedInSource++;
                        if (flagged) alreadyFlagged++;
                        var evidence = r.GetInt64(4) == 1 ? DeleteEvidence.VendorDeletedList : DeleteEvidence.KeySetDifference;
                        await FindAsync(Classification.MissingInSource, linkedFrom, r.GetString(0), null, evidence, label, true, flagged).ConfigureAwait(false);
                    }
                    else if (r.GetInt64(5) == 1)
                    {
                        if (flagged) alreadyFlagged++;
                        await FindAsync(Classification.DuplicateInTarget, null, r.GetString(0), null, DeleteEvidence.None, label, false, flagged).ConfigureAwait(false);
                    }
                    else
                    {
                        await FindAsync(Classification.MissingInSource, null, r.GetString(0), null, DeleteEvidence.None, label, false, false).ConfigureAwait(false);
                    }
                }).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);

            var summary = new Summary(
                await Scratch.ScalarAsync("SELECT COUNT(*) FROM source;", cancellationToken).ConfigureAwait(false),
                await Scratch.ScalarAsync("SELECT COUNT(*) FROM target;", cancellationToken).ConfigureAwait(false),
                await Scratch.ScalarAsync("SELECT COUNT(*) FROM links;", cancellationToken).ConfigureAwait(false),
                unmapped, counts, byField, deletedInSource, alreadyFlagged, drift);
            await Scratch.SetAsync("summary", JsonConvert.SerializeObject(summary), cancellationToken).ConfigureAwait(false);
            return true;
        }

        private async Task<long> ScalarInAsync(Microsoft.Data.Sqlite.SqliteTransaction transaction, string sql)
        {
            await using var command = Scratch.Command(sql);
            command.Transaction = transaction;
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }

        private async Task ForEachAsync(Microsoft.Data.Sqlite.SqliteTransaction transaction, string sql, Func<Microsoft.Data.Sqlite.SqliteDataReader, Task> row)
        {
            await using var command = Scratch.Command(sql);
            command.Transaction = transaction;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) await row(reader).ConfigureAwait(false);
        }

        public async Task<Summary> SummaryAsync()
        {
            if (await Scratch.GetAsync("summary", cancellationToken).ConfigureAwait(false) is { } json)
            {
                return JsonConvert.DeserializeObject<Summary>(json)!;
            }
            // Stopped before classifying: report what was read so far.
            return new Summary(
                await Scratch.ScalarAsync("SELECT COUNT(*) FROM source;", cancellationToken).ConfigureAwait(false),
                await Scratch.ScalarAsync("SELECT COUNT(*) FROM target;", cancellationToken).ConfigureAwait(false),
                await Scratch.ScalarAsync("SELECT COUNT(*) FROM links;", cancellationToken).ConfigureAwait(false),
                0, Enum.GetValues<Classification>().ToDictionary(c => c, _ => 0L), [], 0, 0, 0);
        }

        public async Task<IReadOnlyList<ReconcileFinding>> WorstAsync(int perClass)
        {
            var findings = new List<ReconcileFinding>();
            await using var command = Scratch.Command("""
                SELECT class, source_id, target_id, fields, evidence, label FROM (
                    SELECT *, ROW_NUMBER() OVER (PARTITION BY class ORDER BY weight DESC, seq) AS rank FROM findings)
                WHERE rank <= $limit ORDER BY class, rank;
                """);
            command.Parameters.AddWithValue("$limit", perClass);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                findings.Add(new ReconcileFinding((Classification)reader.GetInt32(0), reader.IsDBNull(1) ? null : reader.GetString(1),
                    reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? [] : reader.GetString(3).Split(','),
                    (DeleteEvidence)reader.GetInt32(4), reader.IsDBNull(5) ? null : reader.GetString(5)));
            }
            return findings;
        }

        // ---- Repair -------------------------------------------------------------------------------

        private async Task RepairAsync()
        {
            // Links to vanished targets go first, so that the engine writes those records by match key
            // instead of updating an id the target no longer has.
            await DropOrphanLinksAsync().ConfigureAwait(false);
            if (!await WriteThroughEngineAsync("rewrite", "class = $drifted AND linked = 1", SyncWrites.All).ConfigureAwait(false)) return;
            if (!await WriteThroughEngineAsync("create",
                "(class = $missing OR class = $drifted AND linked = 0 OR class = $orphan AND linked = 1)", SyncWrites.Changed).ConfigureAwait(false)) return;
            await ApplyDeletePolicyAsync().ConfigureAwait(false);
        }

        private async Task DropOrphanLinksAsync()
        {
            if (await Scratch.GetAsync("repair.orphans", cancellationToken).ConfigureAwait(false) is not null) return;
            var dropped = 0L;
            await foreach (var chunk in FindingsAsync("class = $orphan", "repair.orphans.cursor", 1_000, (_, _) => true).ConfigureAwait(false))
            {
                await catalog.RemoveLinksAsync(flow.Name, chunk.Select(f => f.SourceId!).ToArray(), cancellationToken).ConfigureAwait(false);
                dropped += chunk.Count;
            }
            Repairs = Repairs with { Relinked = Repairs.Relinked + dropped };
            await Scratch.SetAsync("repair.orphans", "1", cancellationToken).ConfigureAwait(false);
        }

        private async Task<bool> WriteThroughEngineAsync(string group, string where, SyncWrites writes)
        {
            var batch = target.MaxBatchSize(flow.To.Stream);
            var chunkSize = CallTally.PerCall(source, ApiOperation.ReadByIds, flow.From.Stream, batch);
            var toWrite = await CountFindingsAsync(where, "repair." + group + ".cursor").ConfigureAwait(false);
            if (toWrite == 0) return true;
            var writer = target;
            var bulk = options.BulkAbove is { } above && toWrite > above && writes == SyncWrites.Changed && target is IBulkTarget bulkTarget;
            if (bulk)
            {
                writer = new BulkWriteTarget(target, (IBulkTarget)target);
                batch = writer.MaxBatchSize(flow.To.Stream);
            }
            long yielded = 0, files = 0;
            var report = await run._sync.RunForIdsAsync(flow, source, writer,
                FindingsAsync(where, "repair." + group + ".cursor", chunkSize, (chunk, _) =>
                {
                    // The chunk's reads and its share of write calls (or the bulk job it starts), reserved before they are made.
                    var readCredits = CallTally.Credits(source, ApiOperation.ReadByIds, chunk.Count);
                    var filesNeeded = (yielded + chunk.Count + batch - 1) / batch;
                    var writeCredits = bulk
                        ? (filesNeeded - files) * (CallTally.Credits(target, ApiOperation.BulkWriteJob, batch) + 3L * CallTally.Credits(target, ApiOperation.BulkStep, 0))
                        : WriteCredits(chunk.Count, batch);
                    if (!budget.TryReserve(readCredits + writeCredits)) return false;
                    tally.Spent(_sourceSystem, readCredits);
                    tally.Spent(_targetSystem, writeCredits);
                    yielded += chunk.Count;
                    files = filesNeeded;
                    return true;
                }).Select(chunk => (IReadOnlyList<string>)[.. chunk.Select(f => f.SourceId!)]), writes, cancellationToken).ConfigureAwait(false);

            var written = report.Created + report.Updated;
            Repairs = Repairs with
            {
                Created = Repairs.Created + report.Created,
                Updated = Repairs.Updated + report.Updated,
                Failed = Repairs.Failed + report.Failed + report.Deferred,
            };
            tally.Used(_sourceSystem, yielded, chunkSize);
            if (bulk)
            {
                // One bulk job per file: upload, create the job, ask its status at least once, download the result.
                tally.AddMinimum(_targetSystem, 4 * Math.Max(1, (written + batch - 1) / batch));
            }
            else if (written + report.Deferred > 0)
            {
                tally.Used(_targetSystem, written + report.Deferred, target.MaxBatchSize(flow.To.Stream));
            }
            if (report.Status != RunStatus.Completed)
            {
                Failure = new StopReason(report.Status, $"Repair stopped: {report.Message} The next run resumes from the checkpoint.");
                Pending = toWrite - yielded;
                return false;
            }
            if (budget.Exhausted)
            {
                Pending = toWrite - yielded + await RemainingAfterAsync(group).ConfigureAwait(false);
                return false;
            }
            return true;
        }

        private int WriteCredits(int records, int batch)
        {
            var credits = 0;
            for (var left = records; left > 0; left -= batch) credits += CallTally.Credits(target, ApiOperation.Write, Math.Min(batch, left));
            return credits;
        }

        private async Task ApplyDeletePolicyAsync()
        {
            if (options.Deletes == DeletePolicy.Ignore) return;
            const string where = "flagged = 0 AND (class = $missingSource AND evidence <> 0 OR class = $duplicate)";
            var toDo = await CountFindingsAsync(where, "repair.deletes.cursor").ConfigureAwait(false);
            if (toDo == 0) return;
            long done = 0;
            if (options.Deletes == DeletePolicy.Flag)
            {
                var batch = target.MaxBatchSize(flow.To.Stream);
                long sent = 0;
                await foreach (var chunk in FindingsAsync(where, "repair.deletes.cursor", batch,
                    (chunk, _) => Reserve(_targetSystem, CallTally.Credits(target, ApiOperation.Write, chunk.Count))).ConfigureAwait(false))
                {
                    var requests = chunk.Select(f => new WriteRequest(new RecordKey(flow.To.ToString(), f.TargetId!), f.TargetId,
                        new JObject { [options.FlagField!] = true }, [])).ToList();
                    var outcomes = await target.WriteAsync(flow.To.Stream, requests, cancellationToken).ConfigureAwait(false);
                    var flagged = outcomes.Count(o => o is WriteOutcome.Written);
                    sent += chunk.Count;
                    done += chunk.Count;
                    Repairs = Repairs with { Flagged = Repairs.Flagged + flagged, Failed = Repairs.Failed + chunk.Count - flagged };
                }
                if (sent > 0) tally.Used(_targetSystem, sent, batch);
            }
            else
            {
                if (target is not IRecordDeleter deleter)
                {
                    Failure = new StopReason(RunStatus.Failed, $"The flow deletes, but the target system {_targetSystem} has no delete API this connector supports.");
                    return;
                }
                var batch = CallTally.PerCall(target, ApiOperation.Delete, flow.To.Stream, target.MaxBatchSize(flow.To.Stream));
                long sent = 0;
                await foreach (var chunk in FindingsAsync(where, "repair.deletes.cursor", batch,
                    (chunk, _) => Reserve(_targetSystem, CallTally.Credits(target, ApiOperation.Delete, chunk.Count))).ConfigureAwait(false))
                {
                    var outcomes = await deleter.DeleteAsync(flow.To.Stream, [.. chunk.Select(f => f.TargetId!)], cancellationToken).ConfigureAwait(false);
                    var deleted = outcomes.Where(o => o.Deleted).Select(o => o.Id).ToHashSet(StringComparer.Ordinal);
                    // The link of a deleted record would otherwise point at nothing forever.
                    var links = chunk.Where(f => f.SourceId is not null && deleted.Contains(f.TargetId!)).Select(f => f.SourceId!).ToArray();
                    if (links.Length > 0) await catalog.RemoveLinksAsync(flow.Name, links, cancellationToken).ConfigureAwait(false);
                    sent += chunk.Count;
                    done += chunk.Count;
                    Repairs = Repairs with { Deleted = Repairs.Deleted + deleted.Count, Failed = Repairs.Failed + chunk.Count - deleted.Count };
                }
                if (sent > 0) tally.Used(_targetSystem, sent, batch);
            }
            if (budget.Exhausted) Pending += toDo - done;
        }

        private async Task<long> RemainingAfterAsync(string group)
        {
            // Repairs of the groups that did not start yet wait too.
            long waiting = 0;
            if (group == "rewrite")
            {
                waiting += await CountFindingsAsync("(class = $missing OR class = $drifted AND linked = 0 OR class = $orphan AND linked = 1)",
                    "repair.create.cursor").ConfigureAwait(false);
            }
            if (options.Deletes != DeletePolicy.Ignore)
            {
                waiting += await CountFindingsAsync("flagged = 0 AND (class = $missingSource AND evidence <> 0 OR class = $duplicate)",
                    "repair.deletes.cursor").ConfigureAwait(false);
            }
            return waiting;
        }

        private async Task<long> CountFindingsAsync(string where, string cursorKey)
        {
            await using var command = Scratch.Command($"SELECT COUNT(*) FROM findings WHERE seq > $after AND {where};");
            Bind(command, await Scratch.GetNumberAsync(cursorKey, cancellationToken).ConfigureAwait(false));
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }

        /// <summary>
        /// The findings matching <paramref name="where"/> after the saved cursor, in chunks; each chunk is offered to
        /// <paramref name="admit"/> (the budget) before it is handed out, and the cursor moves past the chunk before
        /// the next one is read, so that a stopped run resumes after the last chunk handed out.
        /// </summary>
        private async IAsyncEnumerable<IReadOnlyList<Row>> FindingsAsync(string where, string cursorKey, int chunkSize,
            Func<IReadOnlyList<Row>, long, bool> admit, [EnumeratorCancellation] CancellationToken token = default)
        {
            var after = await Scratch.GetNumberAsync(cursorKey, cancellationToken).ConfigureAwait(false);
            while (true)
            {
                var chunk = new List<Row>(chunkSize);
                await using (var command = Scratch.Command($"SELECT seq, source_id, target_id FROM findings WHERE seq > $after AND {where} ORDER BY seq LIMIT $limit;"))
                {
                    Bind(command, after);
                    command.Parameters.AddWithValue("$limit", chunkSize);
                    await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        chunk.Add(new Row(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
                    }
                }
                if (chunk.Count == 0) yield break;
                if (!admit(chunk, after)) yield break;
                yield return chunk;
                after = chunk[^1].Seq;
                await Scratch.SetNumberAsync(cursorKey, after, cancellationToken).ConfigureAwait(false);
            }
        }

        private static void Bind(Microsoft.Data.Sqlite.SqliteCommand command, long after)
        {
            command.Parameters.AddWithValue("$after", after);
            command.Parameters.AddWithValue("$missing", (int)Classification.MissingInTarget);
            command.Parameters.AddWithValue("$missingSource", (int)Classification.MissingInSource);
            command.Parameters.AddWithValue("$drifted", (int)Classification.Drifted);
            command.Parameters.AddWithValue("$duplicate", (int)Classification.DuplicateInTarget);
            command.Parameters.AddWithValue("$orphan", (int)Classification.OrphanLink);
        }

        private sealed record Row(long Seq, string? SourceId, string? TargetId);
    }
}
