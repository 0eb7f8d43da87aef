using Connectors.Core.Connectors;
using Connectors.Core.Flows;
using Connectors.Core.Mapping;
using Connectors.Core.Mapping.Expressions;
using Connectors.Core.Records;
using Connectors.Core.State;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Sync;

/// <summary>
/// A dry run of a flow (<c>connectors plan</c>): reads the records changed since the watermark, maps and
/// validates them, and looks up their links and fingerprints exactly as <see cref="SyncRun"/> does, then
/// says per record what a run would do — create, update (with each field's value in the target now and
/// after), leave unchanged, or dead-letter — without writing anything to the target or to state: no
/// link, no dead letter, no watermark, no run record. For an update-only flow it looks records not linked
/// yet up in the target as a run does: an update of the record found, or a dead letter when none is.
/// </summary>
public sealed class SyncPlan(ISyncStateStore state)
{
    /// <summary>The most records a plan reads when no limit is given.</summary>
    public const int DefaultLimit = 100;

    /// <summary>Plans <paramref name="flow"/> for at most <paramref name="limit"/> records changed since its watermark.</summary>
    /// <param name="flow">The compiled flow.</param>
    /// <param name="source">The source connector; only read.</param>
    /// <param name="target">The target connector; read when it is also an <see cref="ISourceConnector"/> (for field-level diffs), never written.</param>
    /// <param name="limit">The most source records to read.</param>
    /// <param name="cancellationToken">Cancels the plan.</param>
    public async Task<PlanReport> PlanAsync(Flow flow, ISourceConnector source, ITargetConnector target, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var targetReader = target as ISourceConnector;
        var since = await state.GetWatermarkAsync(flow.Name, cancellationToken).ConfigureAwait(false);
        var planned = new List<PlannedRecord>();
        var read = 0;
        await foreach (var page in source.ReadChangedAsync(flow.From.Stream, since, cancellationToken).ConfigureAwait(false))
        {
            var records = page.Records.Take(limit - read).ToList();
            read += records.Count;
            planned.AddRange(await PlanPageAsync(flow, records, target, targetReader, cancellationToken).ConfigureAwait(false));
            if (read >= limit) break;
        }
        // A record read twice (it changed while we paged) is planned once, as last read, as a run writes it once.
        var latest = planned.Select((p, i) => (p, i)).GroupBy(x => x.p.Source.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Max(x => x.i));
        var distinct = planned.Where((p, i) => latest[p.Source.Id] == i).ToList();
        return new PlanReport(flow.Name, flow.From, flow.To, since, distinct, limit, targetReader is not null) { ReachedLimit = read >= limit };
    }

    private async Task<IReadOnlyList<PlannedRecord>> PlanPageAsync(Flow flow, IReadOnlyList<Record> records, ITargetConnector target,
        ISourceConnector? targetReader, CancellationToken cancellationToken)
    {
        if (records.Count == 0) return [];
        var ids = records.Select(r => r.Key.Id).ToHashSet(StringComparer.Ordinal);
        var links = await state.GetLinksAsync(flow.Name, ids, cancellationToken).ConfigureAwait(false);
        var context = await MappingContext.LoadAsync(flow.Mapping, records.Select(r => r.Data), state, cancellationToken).ConfigureAwait(false);
        var prepared = records.Select(r => (Record: r, Link: links.GetValueOrDefault(r.Key.Id), Prepared: PreparedRecord.Of(flow, r, links.GetValueOrDefault(r.Key.Id), context))).ToList();

        IReadOnlyDictionary<string, UpdateTargets.Target> matched = new Dictionary<string, UpdateTargets.Target>();
        if (flow.Writes == WriteMode.UpdateOnly)
        {
            var unlinked = prepared.Where(p => p.Prepared is PreparedRecord.Ready && p.Link is null)
                .Select(p => (p.Record.Key, ((PreparedRecord.Ready)p.Prepared).Payload)).ToList();
            matched = await UpdateTargets.FindAsync(flow, target, unlinked, cancellationToken).ConfigureAwait(false);
        }
        string? TargetOf(string sourceId, Link? link) => link?.TargetId ?? (matched.GetValueOrDefault(sourceId) as UpdateTargets.Target.Found)?.TargetId;

        var current = new Dictionary<string, JObject>(StringComparer.Ordinal);
        var toRead = prepared.Where(p => p.Prepared is PreparedRecord.Ready).Select(p => TargetOf(p.Record.Key.Id, p.Link)).OfType<string>()
            .Distinct(StringComparer.Ordinal).ToList();
        if (targetReader is not null && toRead.Count > 0)
        {
            foreach (var found in await targetReader.ReadByIdsAsync(flow.To.Stream, toRead, cancellationToken).ConfigureAwait(false))
            {
                current[found.Key.Id] = found.Data;
            }
        }
        return [.. prepared.Select(PlannedRecord (p) => p.Prepared switch
        {
            PreparedRecord.Failed failed => new PlannedRecord.Invalid(p.Record.Key, failed.Code, failed.Field, failed.Message, failed.Failures),
            PreparedRecord.Unchanged => new PlannedRecord.Unchanged(p.Record.Key, p.Link!.TargetId),
            PreparedRecord.Ready when p.Link is null && matched.GetValueOrDefault(p.Record.Key.Id) is UpdateTargets.Target.NotFound missing =>
                new PlannedRecord.Invalid(p.Record.Key, UpdateTargets.NoMatchCode, missing.Field, missing.Message, []),
            PreparedRecord.Ready ready when p.Link is null && TargetOf(p.Record.Key.Id, null) is { } found =>
                Update(p.Record.Key, found, ready.Payload, current.GetValueOrDefault(found)),
            PreparedRecord.Ready ready when p.Link is null => new PlannedRecord.Create(p.Record.Key, ready.Payload),
            PreparedRecord.Ready ready => Update(p.Record.Key, p.Link!.TargetId, ready.Payload, current.GetValueOrDefault(p.Link.TargetId)),
            _ => throw new InvalidOperationException($"Unexpected preparation {p.Prepared}."),
        })];
    }

    private static PlannedRecord.Update Update(RecordKey source, string targetId, JObject payload, JObject? now)
    {
        var changes = new List<FieldChange>();
        foreach (var property in payload.Properties())
        {
            var read = now?.ContainsKey(property.Name) == true;
            var before = Values.Normalize(now?[property.Name]);
            if (!read || !Same(property.Value, before)) changes.Add(new FieldChange(property.Name, before, property.Value) { BeforeRead = read });
        }
        return new PlannedRecord.Update(source, targetId, changes, now is not null, payload);
    }

    /// <summary>
    /// Whether the target already holds what would be written, as the target reads it back: objects compare on
    /// the fields written (a lookup written as <c>{id}</c> reads back as <c>{id, name}</c>), numbers by value
    /// whether sent as text or as numbers.
    /// </summary>
    private static bool Same(JToken? after, JToken? before)
    {
        if (Values.IsAbsent(after) || Values.IsAbsent(before)) return Values.IsAbsent(after) && Values.IsAbsent(before);
        switch (after, before)
        {
            case (JObject a, JObject b):
                return a.Properties().All(p => Same(p.Value, b[p.Name]));
            case (JArray a, JArray b):
                return a.Count == b.Count && a.Zip(b).All(pair => Same(pair.First, pair.Second));
            case (JValue a, JValue b):
                if ((Values.IsNumber(a) || Values.IsNumber(b)) && Values.TryNumber(a, out var x) && Values.TryNumber(b, out var y)) return x == y;
                return string.Equals(Values.ScalarText(a), Values.ScalarText(b), StringComparison.Ordinal);
            default:
                return false;
        }
    }
}
