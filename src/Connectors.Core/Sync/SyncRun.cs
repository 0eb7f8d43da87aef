using System.Runtime.CompilerServices;
using Connectors.Core.Connectors;
using Connectors.Core.Flows;
using Connectors.Core.Http;
using Connectors.Core.Mapping;
using Connectors.Core.Records;
using Connectors.Core.State;
using Microsoft.Extensions.Logging;

namespace Connectors.Core.Sync;

/// <summary>
/// Runs one flow once: reads what changed since the watermark, maps, skips what is unchanged,
/// writes the rest in batches as large as the target allows, and commits links, dead letters and
/// the watermark after each batch. A crash loses at most the batch in flight, and because unlinked
/// records are written by match key, re-sending it never duplicates a record. An update-only flow
/// (<see cref="WriteMode.UpdateOnly"/>) looks its unlinked records up in the target first and updates what
/// they match; a record that matches nothing is dead-lettered (<c>NO_MATCH</c>), never created.
/// </summary>
public sealed class SyncRun(ISyncStateStore state, ApiCallMeter meter, TimeProvider clock, ILogger<SyncRun> log)
{
    /// <summary>Runs <paramref name="flow"/> from <paramref name="source"/> into <paramref name="target"/>: everything changed since the watermark.</summary>
    public Task<SyncReport> RunAsync(Flow flow, ISourceConnector source, ITargetConnector target,
        IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        return RunCoreAsync(flow, target, "sync", SyncWrites.Changed, ReadChangedAsync, progress, cancellationToken);

        async IAsyncEnumerable<RecordPage> ReadChangedAsync([EnumeratorCancellation] CancellationToken token)
        {
            var since = await state.GetWatermarkAsync(flow.Name, token).ConfigureAwait(false);
            log.LogInformation("Flow {Flow}: reading {Stream} since {Watermark}", flow.Name, flow.From, since.Modified);
            await foreach (var page in source.ReadChangedAsync(flow.From.Stream, since, token).ConfigureAwait(false))
            {
                yield return page;
            }
        }
    }

    /// <summary>
    /// Syncs the named source records as they are now (a webhook said they changed), through the same
    /// mapping, fingerprints and batching as a full run. The watermark is left alone: the scheduled
    /// run still reads past these records, and finds them unchanged.
    /// </summary>
    public Task<SyncReport> RunForIdsAsync(Flow flow, ISourceConnector source, ITargetConnector target, IReadOnlyList<string> ids,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(ids);
        return RunCoreAsync(flow, target, "sync-ids", SyncWrites.Changed, ReadNamedAsync, null, cancellationToken);

        async IAsyncEnumerable<RecordPage> ReadNamedAsync([EnumeratorCancellation] CancellationToken token)
        {
            // Never trust a webhook body for ordering or content: read the current version.
            var records = await source.ReadByIdsAsync(flow.From.Stream, ids.Distinct(StringComparer.Ordinal).ToArray(), token).ConfigureAwait(false);
            yield return new RecordPage(records, Checkpoint: null);
        }
    }

    /// <summary>
    /// Syncs named source records as they are now, a chunk of ids at a time (memory is bounded by a chunk,
    /// however many ids come), through the same mapping, validation, batching and commits as a run.
    /// Reconciliation's repair uses it with <see cref="SyncWrites.All"/>, so that a record whose target
    /// drifted is written again although its payload equals what was last written. The watermark is left alone.
    /// </summary>
    /// <param name="flow">The flow.</param>
    /// <param name="source">Where the records are read, by id.</param>
    /// <param name="target">Where they are written.</param>
    /// <param name="ids">The source ids, a chunk at a time; each chunk is read in one go.</param>
    /// <param name="writes">Whether unchanged payloads are written too.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    public Task<SyncReport> RunForIdsAsync(Flow flow, ISourceConnector source, ITargetConnector target,
        IAsyncEnumerable<IReadOnlyList<string>> ids, SyncWrites writes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(ids);
        return RunCoreAsync(flow, target, writes == SyncWrites.All ? "repair" : "sync-ids", writes, ReadChunksAsync, null, cancellationToken);

        async IAsyncEnumerable<RecordPage> ReadChunksAsync([EnumeratorCancellation] CancellationToken token)
        {
            await foreach (var chunk in ids.WithCancellation(token).ConfigureAwait(false))
            {
                if (chunk.Count == 0) continue;
                var records = await source.ReadByIdsAsync(flow.From.Stream, chunk.Distinct(StringComparer.Ordinal).ToArray(), token).ConfigureAwait(false);
                yield return new RecordPage(records, Checkpoint: null);
            }
        }
    }

    private async Task<SyncReport> RunCoreAsync(Flow flow, ITargetConnector target, string kind, SyncWrites writes,
        Func<CancellationToken, IAsyncEnumerable<RecordPage>> pages, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        var run = new Pass(state, clock, log, flow, target, writes, cancellationToken);
        var startedAt = clock.GetUtcNow();
        var started = clock.GetTimestamp();
        var sourceCalls = meter.CallsTo(flow.From.System);
        var targetCalls = meter.CallsTo(flow.To.System);
        var status = RunStatus.Completed;
        string? message = null;

        try
        {
            await foreach (var page in pages(cancellationToken).ConfigureAwait(false))
            {
                await run.HandlePageAsync(page).ConfigureAwait(false);
                progress?.Report(run.Progress);
            }
            await run.FlushAsync().ConfigureAwait(false);
            if (run.Deferred > 0)
            {
                status = RunStatus.Incomplete;
                message = $"{run.Deferred} record(s) were deferred by the target; the next run sends them again.";
            }
        }
        catch (ConnectorException e) when (!cancellationToken.IsCancellationRequested)
        {
            status = e.Code is ConnectorErrorCode.Throttled or ConnectorErrorCode.Unavailable ? RunStatus.Incomplete : RunStatus.Failed;
            message = e.Message;
            log.LogWarning("Flow {Flow} stopped: {Code} {Message}", flow.Name, e.Code, e.Message);
        }

        var report = new SyncReport
        {
            RunId = Guid.CreateVersion7(startedAt).ToString("N"),
            Flow = flow.Name,
            Kind = kind,
            StartedAt = startedAt,
            Duration = clock.GetElapsedTime(started),
            Status = status,
            Message = message,
            Read = run.Read,
            Created = run.Created,
            Updated = run.Updated,
            Unchanged = run.Unchanged,
            Failed = run.Failed,
            Deferred = run.Deferred,
            SourceApiCalls = meter.CallsTo(flow.From.System) - sourceCalls,
            TargetApiCalls = meter.CallsTo(flow.To.System) - targetCalls,
            WriteBatches = run.WriteBatches,
        };
        await state.RecordRunAsync(report.ToRunRecord(), CancellationToken.None).ConfigureAwait(false);
        log.LogInformation("Flow {Flow} {Status}: read {Read}, created {Created}, updated {Updated}, unchanged {Unchanged}, failed {Failed}",
            flow.Name, status, report.Read, report.Created, report.Updated, report.Unchanged, report.Failed);
        return report;
    }

    /// <summary>The mutable state of one pass over the source; lives for one <see cref="RunAsync"/>.</summary>
    private sealed class Pass(ISyncStateStore state, TimeProvider clock, ILogger log, Flow flow, ITargetConnector target, SyncWrites writes,
        CancellationToken cancellationToken)
    {
        private readonly int _batchSize = target.MaxBatchSize(flow.To.Stream);
        private readonly List<Pending> _pending = [];
        private readonly List<DeadLetter> _deadLetters = [];
        private Watermark? _checkpoint;
        private bool _watermarkHeld;

        public long Read { get; private set; }
        public long Created { get; private set; }
        public long Updated { get; private set; }
        public long Unchanged { get; private set; }
        public long Failed { get; private set; }
        public long Deferred { get; private set; }
        public long WriteBatches { get; private set; }
        public SyncProgress Progress => new(Read, Created + Updated, Unchanged, Failed);

        public async Task HandlePageAsync(RecordPage page)
        {
            var ids = page.Records.Select(r => r.Key.Id).ToHashSet(StringComparer.Ordinal);
            var links = await state.GetLinksAsync(flow.Name, ids, cancellationToken).ConfigureAwait(false);
            var context = await MappingContext.LoadAsync(flow.Mapping, page.Records.Select(r => r.Data), state, cancellationToken).ConfigureAwait(false);
            foreach (var record in page.Records)
            {
                Read++;
                Handle(record, links.GetValueOrDefault(record.Key.Id), context);
                if (_pending.Count >= _batchSize)
                {
                    await FlushAsync().ConfigureAwait(false);
                }
            }
            // Every record of this page is now pending, written or dead-lettered: its checkpoint
            // becomes durable with the next commit, never before the writes it covers.
            if (page.Checkpoint is not null && !_watermarkHeld)
            {
                _checkpoint = page.Checkpoint;
            }
            if (_pending.Count == 0)
            {
                await CommitAsync([]).ConfigureAwait(false);
            }
        }

        public async Task FlushAsync()
        {
            if (_pending.Count == 0)
            {
                await CommitAsync([]).ConfigureAwait(false);
                return;
            }
            var batch = _pending.ToArray();
            _pending.Clear();
            if (flow.Writes == WriteMode.UpdateOnly) batch = await ToUpdatesAsync(batch).ConfigureAwait(false);
            if (batch.Length == 0)
            {
                await CommitAsync([]).ConfigureAwait(false);
                return;
            }
            WriteBatches++;
            var outcomes = await target.WriteAsync(flow.To.Stream, batch.Select(p => p.Request).ToArray(), cancellationToken).ConfigureAwait(false);
            var bySource = batch.ToDictionary(p => p.Record.Key.Id, StringComparer.Ordinal);
            var now = clock.GetUtcNow();
            var links = new List<Link>(batch.Length);
            foreach (var outcome in outcomes)
            {
                if (!bySource.Remove(outcome.Source.Id, out var pending))
                {
                    throw new InvalidOperationException($"The target returned an outcome for {outcome.Source}, which was not in the batch or was answered twice.");
                }
                switch (outcome)
                {
                    case WriteOutcome.Written written:
                        links.Add(new Link(flow.Name, pending.Record.Key.Id, written.TargetId, pending.Fingerprint, now));
                        if (written.Created) Created++; else Updated++;
                        break;
                    case WriteOutcome.Rejected rejected:
                        DeadLetter(pending.Record, rejected.VendorCode, rejected.Field, rejected.Message);
                        break;
                    case WriteOutcome.RetryLater later:
                        Defer(outcome.Source, $"the target asked to retry after {later.After}: {later.Reason}");
                        break;
                    case WriteOutcome.Conflict conflict:
                        Defer(outcome.Source, $"target record {conflict.TargetId} changed since it was read");
                        break;
                }
            }
            if (bySource.Count > 0)
            {
                throw new InvalidOperationException($"The target returned no outcome for {bySource.Count} record(s) of the batch, {bySource.Keys.First()} among them.");
            }
            await CommitAsync(links).ConfigureAwait(false);
        }

        /// <summary>
        /// An update-only flow's batch as it may be written: each record not linked yet aimed at the target record its
        /// match fields find, or dead-lettered when they find none. Linked records are written as they are.
        /// </summary>
        private async Task<Pending[]> ToUpdatesAsync(Pending[] batch)
        {
            var unlinked = batch.Where(p => p.Request.TargetId is null).Select(p => (p.Record.Key, p.Request.Payload)).ToList();
            if (unlinked.Count == 0) return batch;
            var targets = await UpdateTargets.FindAsync(flow, target, unlinked, cancellationToken).ConfigureAwait(false);
            var writes = new List<Pending>(batch.Length);
            foreach (var pending in batch)
            {
                switch (pending.Request.TargetId is null ? targets[pending.Record.Key.Id] : null)
                {
                    case null:
                        writes.Add(pending);
                        break;
                    case UpdateTargets.Target.Found found:
                        writes.Add(pending with { Request = pending.Request with { TargetId = found.TargetId } });
                        break;
                    case UpdateTargets.Target.NotFound missing:
                        DeadLetter(pending.Record, UpdateTargets.NoMatchCode, missing.Field, missing.Message);
                        break;
                }
            }
            return [.. writes];
        }

        private void Handle(Record record, Link? link, MappingContext context)
        {
            // Written-again-anyway (repair) compares with no link, so an unchanged payload is still sent.
            var prepared = PreparedRecord.Of(flow, record, writes == SyncWrites.Changed ? link : null, context);
            if (prepared is PreparedRecord.Failed failed)
            {
                DeadLetter(record, failed.Code, failed.Field, failed.Message);
                return;
            }
            if (prepared is not PreparedRecord.Ready(var payload, var fingerprint))
            {
                Unchanged++;
                return;
            }
            // A source record read twice in one pass (it changed while we paged) is written once, latest version.
            _pending.RemoveAll(p => p.Record.Key.Id == record.Key.Id);
            _pending.Add(new Pending(record, fingerprint, new WriteRequest(record.Key, link?.TargetId, payload, flow.MatchFields)));
        }

        // A deferred record is not durably handled: the watermark stays before it so the next run reads it again.
        private void Defer(RecordKey source, string reason)
        {
            Deferred++;
            _watermarkHeld = true;
            _checkpoint = null;
            log.LogWarning("Flow {Flow}: {Record} deferred: {Reason}", flow.Name, source, reason);
        }

        private void DeadLetter(Record record, string code, string? field, string message)
        {
            Failed++;
            _deadLetters.Add(new DeadLetter(flow.Name, record.Key, code, field, message, record.Data, clock.GetUtcNow()));
        }

        private async Task CommitAsync(IReadOnlyList<Link> links)
        {
            if (links.Count == 0 && _deadLetters.Count == 0 && _checkpoint is null) return;
            await state.CommitAsync(new StateCommit(flow.Name, links, [.. _deadLetters], _checkpoint), cancellationToken).ConfigureAwait(false);
            _deadLetters.Clear();
            _checkpoint = null;
        }

        private sealed record Pending(Record Record, Fingerprint Fingerprint, WriteRequest Request);
    }
}
