using Connectors.Core.Conflicts;
using Connectors.Core.Connectors;
using Connectors.Core.Mapping;
using Connectors.Core.Records;
using Connectors.Core.State;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Sync.TwoWay;

/// <summary>The mutable state of one run of a two-way flow; lives for one <see cref="TwoWaySync.RunAsync"/>.</summary>
internal sealed class TwoWayPass(ITwoWayStateStore state, TimeProvider clock, ILogger log, TwoWayFlow flow, SideConnectors left,
    SideConnectors right, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
{
    private const string DuplicateCode = "DUPLICATE_MATCH_KEY";
    private const string MappingFailedCode = "MAPPING_FAILED";

    // Rounds of one run: the first look, re-reads after refused writes, and the read-back of created records.
    private const int MaxAttemptsPerRun = TwoWaySync.MaxAttempts + 1;

    private readonly ThreeWayMerge _merge = new(flow.Conflicts);
    private readonly List<Pair> _pairs = [];
    private readonly HashSet<string> _unresolvedLeft = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unresolvedRight = new(StringComparer.Ordinal);
    private readonly List<Link> _links = [];
    private readonly List<DeadLetter> _letters = [];
    private readonly List<Conflict> _parked = [];
    private readonly List<string> _settled = [];
    private Dictionary<string, Conflict> _queue = [];

    public TwoWayCounts Counts { get; } = new();

    public List<ReportedRecord> Reported { get; } = [];

    public async Task RunAsync()
    {
        var leftChanges = await ReadChangesAsync(FlowSide.Left).ConfigureAwait(false);
        var rightChanges = await ReadChangesAsync(FlowSide.Right).ConfigureAwait(false);
        Counts.ReadLeft = leftChanges.Read;
        Counts.ReadRight = rightChanges.Read;
        progress?.Report(Counts.Progress);

        _queue = (await state.GetConflictsAsync(flow.Name, cancellationToken).ConfigureAwait(false)).ToDictionary(c => c.Id, StringComparer.Ordinal);
        await PairLinkedAsync(leftChanges.Records, rightChanges.Records).ConfigureAwait(false);
        await MatchUnlinkedAsync(leftChanges.Records, rightChanges.Records).ConfigureAwait(false);
        await ResolveAsync().ConfigureAwait(false);

        await CommitAsync(leftChanges.Advance(_unresolvedLeft), rightChanges.Advance(_unresolvedRight)).ConfigureAwait(false);
        progress?.Report(Counts.Progress);
    }

    private async Task<SideChanges> ReadChangesAsync(FlowSide side)
    {
        var (stream, connectors) = side == FlowSide.Left ? (flow.Left, left) : (flow.Right, right);
        var since = await state.GetWatermarkAsync(flow.Name, side, cancellationToken).ConfigureAwait(false);
        log.LogInformation("Flow {Flow}: reading {Stream} since {Watermark}", flow.Name, stream, since.Modified);
        var changes = new SideChanges(since);
        await foreach (var page in connectors.Reader.ReadChangedAsync(stream.Stream, since, cancellationToken).ConfigureAwait(false))
        {
            changes.Add(page);
        }
        return changes;
    }

    /// <summary>Pairs every changed record that has a link with its counterpart, and adds the pairs of decided conflicts.</summary>
    private async Task PairLinkedAsync(Dictionary<string, Record> leftRecords, Dictionary<string, Record> rightRecords)
    {
        var decided = _queue.Values.Where(c => c.Decision is not null).ToList();
        var byLeft = await state.GetLinksAsync(flow.Name, [.. leftRecords.Keys.Concat(decided.Select(c => c.LeftId)).Distinct()], cancellationToken).ConfigureAwait(false);
        var byRight = await state.GetLinksByTargetAsync(flow.Name, [.. rightRecords.Keys], cancellationToken).ConfigureAwait(false);
        var pairedRight = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (id, record) in leftRecords)
        {
            if (!byLeft.TryGetValue(id, out var link)) continue;
            var pair = new Pair { Left = record, LeftId = id, RightId = link.TargetId, Link = link, Right = rightRecords.GetValueOrDefault(link.TargetId) };
            if (pair.Right is not null) pairedRight.Add(link.TargetId);
            _pairs.Add(pair);
        }
        foreach (var (id, record) in rightRecords)
        {
            if (pairedRight.Contains(id) || !byRight.TryGetValue(id, out var link)) continue;
            _pairs.Add(new Pair { Right = record, RightId = id, LeftId = link.SourceId, Link = link });
        }
        foreach (var conflict in decided)
        {
            if (_pairs.Any(p => p.LeftId == conflict.LeftId || p.RightId == conflict.RightId)) continue;
            _pairs.Add(new Pair { LeftId = conflict.LeftId, RightId = conflict.RightId, Link = byLeft.GetValueOrDefault(conflict.LeftId) });
        }
        foreach (var pair in _pairs)
        {
            pair.Parked = _queue.GetValueOrDefault(Conflict.IdOf(flow.Name, pair.LeftId!, pair.RightId!));
        }
        await FetchMissingAsync(_pairs).ConfigureAwait(false);
    }

    /// <summary>Reads the counterparts that did not change (by id); a counterpart that is gone makes the link an orphan.</summary>
    private async Task FetchMissingAsync(IReadOnlyList<Pair> pairs)
    {
        var leftIds = pairs.Where(p => p.Left is null && p.LeftId is not null).Select(p => p.LeftId!).Distinct().ToArray();
        var rightIds = pairs.Where(p => p.Right is null && p.RightId is not null).Select(p => p.RightId!).Distinct().ToArray();
        var lefts = leftIds.Length == 0 ? [] : (await left.Reader.ReadByIdsAsync(flow.Left.Stream, leftIds, cancellationToken).ConfigureAwait(false))
            .ToDictionary(r => r.Key.Id, StringComparer.Ordinal);
        var rights = rightIds.Length == 0 ? [] : (await right.Reader.ReadByIdsAsync(flow.Right.Stream, rightIds, cancellationToken).ConfigureAwait(false))
            .ToDictionary(r => r.Key.Id, StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            if (pair.Left is null && pair.LeftId is not null) pair.Left = lefts.GetValueOrDefault(pair.LeftId);
            if (pair.Right is null && pair.RightId is not null) pair.Right = rights.GetValueOrDefault(pair.RightId);
        }
    }

    /// <summary>
    /// Matches the changed records that have no link with their twin on the other side by match key: among
    /// the records read in this run, else through the other side's lookup. Two records on one side with one
    /// key: the oldest is linked, the others reported. A record with no twin is created on the other side.
    /// </summary>
    private async Task MatchUnlinkedAsync(Dictionary<string, Record> leftRecords, Dictionary<string, Record> rightRecords)
    {
        var paired = _pairs.SelectMany(p => new[] { "L" + p.LeftId, "R" + p.RightId }).ToHashSet(StringComparer.Ordinal);
        var lefts = new List<(Record Record, string? Key)>();
        foreach (var record in leftRecords.Values.Where(r => !paired.Contains("L" + r.Key.Id)))
        {
            if (MapForward(record) is { } mapped) lefts.Add((record, MatchKey.Of(mapped, flow.MatchFields)));
        }
        var rights = rightRecords.Values.Where(r => !paired.Contains("R" + r.Key.Id)).Select(r => (Record: r, Key: MatchKey.Of(r.Data, flow.MatchFields))).ToList();
        lefts = KeepOldestPerKey(lefts);
        rights = KeepOldestPerKey(rights);

        var rightByKey = rights.Where(r => r.Key is not null).ToDictionary(r => r.Key!, r => r.Record, StringComparer.Ordinal);
        var matchedRight = new HashSet<string>(StringComparer.Ordinal);
        var leftAlone = new List<(Record Record, string? Key)>();
        foreach (var (record, key) in lefts)
        {
            if (key is not null && rightByKey.TryGetValue(key, out var twin))
            {
                matchedRight.Add(twin.Key.Id);
                AddMatch(record, twin);
            }
            else
            {
                leftAlone.Add((record, key));
            }
        }
        var rightAlone = rights.Where(r => !matchedRight.Contains(r.Record.Key.Id)).ToList();

        var leftCreates = await LookUpAsync(leftAlone, FlowSide.Right).ConfigureAwait(false);
        var rightCreates = await LookUpAsync(rightAlone, FlowSide.Left).ConfigureAwait(false);
        foreach (var record in leftCreates) _pairs.Add(new Pair { Left = record, LeftId = record.Key.Id });
        foreach (var record in rightCreates) _pairs.Add(new Pair { Right = record, RightId = record.Key.Id });
    }

    private void AddMatch(Record leftRecord, Record rightRecord)
    {
        Counts.Matched++;
        var pair = new Pair { Left = leftRecord, LeftId = leftRecord.Key.Id, Right = rightRecord, RightId = rightRecord.Key.Id, Matched = true };
        pair.Parked = _queue.GetValueOrDefault(Conflict.IdOf(flow.Name, pair.LeftId, pair.RightId));
        _pairs.Add(pair);
    }

    /// <summary>
    /// Looks the records of one side up on the <paramref name="other"/> side by their match key. Found and
    /// not linked: matched. Found but linked to another record: the record is a duplicate on its own side.
    /// Returns the records found nowhere, to be created on the other side.
    /// </summary>
    private async Task<List<Record>> LookUpAsync(List<(Record Record, string? Key)> records, FlowSide other)
    {
        var alone = records.Where(r => r.Key is null).Select(r => r.Record).ToList();
        var keyed = records.Where(r => r.Key is not null).ToList();
        var lookup = other == FlowSide.Right ? right.Lookup : left.Lookup;
        if (keyed.Count == 0 || lookup is null)
        {
            alone.AddRange(keyed.Select(r => r.Record));
            return alone;
        }
        var found = new List<(Record Record, string Key)>();
        foreach (var group in keyed.GroupBy(r => r.Key![..r.Key!.IndexOf('=', StringComparison.Ordinal)], StringComparer.Ordinal))
        {
            var matchField = group.Key;
            var otherField = other == FlowSide.Right ? matchField : flow.LeftMatchFields.GetValueOrDefault(matchField);
            if (otherField is null) continue;
            var values = group.Select(r => RawValue(r.Record, matchField, other)).OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
            var stream = other == FlowSide.Right ? flow.Right.Stream : flow.Left.Stream;
            foreach (var record in await lookup.FindAsync(stream, otherField, values, cancellationToken).ConfigureAwait(false))
            {
                var key = other == FlowSide.Right ? MatchKey.Of(record.Data, flow.MatchFields) : MapForward(record, null, deadLetter: false) is { } m ? MatchKey.Of(m, flow.MatchFields) : null;
                if (key is not null) found.Add((record, key));
            }
        }
        var foundIds = found.Select(f => f.Record.Key.Id).Distinct().ToArray();
        var links = other == FlowSide.Right
            ? await state.GetLinksByTargetAsync(flow.Name, foundIds, cancellationToken).ConfigureAwait(false)
            : await state.GetLinksAsync(flow.Name, foundIds, cancellationToken).ConfigureAwait(false);
        var inRun = _pairs.Select(p => other == FlowSide.Right ? p.RightId : p.LeftId).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var (record, key) in keyed)
        {
            var candidates = found.Where(f => f.Key == key).Select(f => f.Record).DistinctBy(r => r.Key.Id).OrderBy(r => r.Modified).ThenBy(r => r.Key.Id, StringComparer.Ordinal).ToList();
            var taken = candidates.FirstOrDefault(c => links.ContainsKey(c.Key.Id) || inRun.Contains(c.Key.Id));
            if (taken is not null)
            {
                ReportDuplicate(record, taken.Key, key!);
                continue;
            }
            if (candidates.Count == 0)
            {
                alone.Add(record);
                continue;
            }
            var twin = candidates[0];
            foreach (var extra in candidates.Skip(1)) ReportDuplicate(extra, twin.Key, key!);
            inRun.Add(twin.Key.Id);
            if (other == FlowSide.Right) AddMatch(record, twin); else AddMatch(twin, record);
        }
        return alone;
    }

    /// <summary>The raw value a record has for a match field, as the other side's lookup is asked for it.</summary>
    private string? RawValue(Record record, string matchField, FlowSide other)
    {
        var values = other == FlowSide.Right ? MapForward(record, null, deadLetter: false) : record.Data;
        return values?[matchField] is JValue { Value: not null } value ? value.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    private List<(Record Record, string? Key)> KeepOldestPerKey(List<(Record Record, string? Key)> records)
    {
        var kept = new List<(Record, string?)>(records.Count);
        foreach (var group in records.GroupBy(r => r.Key ?? "\u0000" + r.Record.Key.Id, StringComparer.Ordinal))
        {
            var ordered = group.OrderBy(r => r.Record.Modified).ThenBy(r => r.Record.Key.Id, StringComparer.Ordinal).ToList();
            kept.Add(ordered[0]);
            foreach (var extra in ordered.Skip(1)) ReportDuplicate(extra.Record, ordered[0].Record.Key, extra.Key!);
        }
        return kept;
    }

    private void ReportDuplicate(Record record, RecordKey kept, string key)
    {
        Counts.Duplicates++;
        var reason = $"has the same {key} as {kept}, which is the one linked; this one is not copied to the other side";
        Reported.Add(new ReportedRecord(record.Key, reason));
        _letters.Add(new DeadLetter(flow.Name, record.Key, DuplicateCode, key[..key.IndexOf('=', StringComparison.Ordinal)], reason, record.Data, clock.GetUtcNow()));
        log.LogWarning("Flow {Flow}: {Record} {Reason}", flow.Name, record.Key, reason);
    }

    /// <summary>Plans, writes and verifies every pair, in rounds: pairs whose write was refused or that were just created are read again and planned again.</summary>
    private async Task ResolveAsync()
    {
        var active = new List<Pair>();
        foreach (var pair in _pairs)
        {
            if (pair.Link is { Orphaned: true } || (pair.Link is not null && (pair.Left is null || pair.Right is null)))
            {
                Orphan(pair);
                continue;
            }
            if (pair.Left is null && pair.Right is null) continue;
            active.Add(pair);
        }
        for (var round = 0; active.Count > 0; round++)
        {
            if (round > MaxAttemptsPerRun)
            {
                foreach (var pair in active) Defer(pair, "it kept changing while this run wrote it");
                break;
            }
            var plans = active.Select(pair => Plan(pair, firstLook: round == 0)).OfType<PairPlan>().ToList();
            var again = await WriteAsync(plans).ConfigureAwait(false);
            await CommitAsync(null, null).ConfigureAwait(false);
            progress?.Report(Counts.Progress);
            active = again;
            if (active.Count > 0)
            {
                foreach (var pair in active)
                {
                    pair.Left = null;
                    pair.Right = null;
                }
                await FetchMissingAsync(active).ConfigureAwait(false);
                foreach (var pair in active.Where(p => p.Left is null || p.Right is null).ToList())
                {
                    Orphan(pair);
                    active.Remove(pair);
                }
            }
        }
    }

    /// <summary>What to do with one pair; <see langword="null"/> when nothing is to be done (or it was dead-lettered).</summary>
    private PairPlan? Plan(Pair pair, bool firstLook)
    {
        if (pair.Left is null)
        {
            // A right record with no twin: created on the left; its base is what the right holds.
            if (MapReverse(pair.Right!) is not { } created) return null;
            return new PairPlan(pair) { LeftWrite = NonEmpty(created), CreateLeft = true, Base = Snapshot(pair.Right!.Data) };
        }
        if (pair.Right is null)
        {
            if (MapForward(pair.Left) is not { } created) return null;
            return new PairPlan(pair) { RightWrite = NonEmpty(created), CreateRight = true, Base = Snapshot(created) };
        }
        if (MapForward(pair.Left) is not { } leftValues) return null;
        var input = new MergeInput(flow.Fields, pair.Base, leftValues, Project(pair.Right.Data), pair.Left.Modified, pair.Right.Modified, flow.LeftOwned)
        {
            Decision = pair.Parked?.Decision,
            DecidedFields = pair.Parked?.ConflictingFields.ToHashSet(StringComparer.Ordinal) ?? [],
        };
        var merge = _merge.Merge(input);
        if (merge.MustPark)
        {
            Park(pair, merge);
            return null;
        }
        if (!merge.AnyChange && !pair.Matched)
        {
            if (firstLook) Counts.Unchanged++;
            if (pair.Parked is not null) Settle(pair);
            return null;
        }
        // The agreed values go to the left through the reverse mapping; the right then gets what the left
        // maps to, so that the base is exactly what the next read of either side maps to.
        var rightView = (JObject)pair.Right.Data.DeepClone();
        foreach (var field in flow.Fields) rightView[field] = merge.Merged[field]?.DeepClone() ?? JValue.CreateNull();
        if (MapReverse(pair.Right, rightView) is not { } reverse) return null;
        var leftWrite = new JObject();
        foreach (var field in flow.ReverseFields)
        {
            if (!FieldValues.Same(reverse[field], pair.Left.Data[field])) leftWrite[field] = reverse[field]?.DeepClone() ?? JValue.CreateNull();
        }
        var newLeft = (JObject)pair.Left.Data.DeepClone();
        foreach (var property in leftWrite.Properties()) newLeft[property.Name] = property.Value.DeepClone();
        if (MapForward(pair.Left, newLeft) is not { } newValues) return null;
        var rightWrite = new JObject();
        foreach (var field in flow.Fields)
        {
            if (!FieldValues.Same(newValues[field], pair.Right.Data[field])) rightWrite[field] = newValues[field]?.DeepClone() ?? JValue.CreateNull();
        }
        return new PairPlan(pair)
        {
            LeftWrite = leftWrite.Count > 0 ? leftWrite : null,
            RightWrite = rightWrite.Count > 0 ? rightWrite : null,
            Base = Snapshot(newValues),
            Merge = merge,
        };
    }

    /// <summary>Writes the planned changes, left side then right side, and routes each outcome. Returns the pairs to read and plan again.</summary>
    private async Task<List<Pair>> WriteAsync(List<PairPlan> plans)
    {
        var outcomes = new Dictionary<Pair, List<(FlowSide Side, WriteOutcome Outcome)>>();
        foreach (var side in new[] { FlowSide.Left, FlowSide.Right })
        {
            var requests = new List<(PairPlan Plan, WriteRequest Request)>();
            foreach (var plan in plans)
            {
                if (RequestOf(plan, side) is { } request) requests.Add((plan, request));
            }
            if (requests.Count == 0) continue;
            var (connectors, stream) = side == FlowSide.Left ? (left, flow.Left) : (right, flow.Right);
            var bySource = requests.ToDictionary(r => r.Request.Source, r => r.Plan.Pair);
            foreach (var batch in requests.Chunk(Math.Max(1, connectors.Writer.MaxBatchSize(stream.Stream))))
            {
                var results = await connectors.Writer.WriteAsync(stream.Stream, [.. batch.Select(b => b.Request)], cancellationToken).ConfigureAwait(false);
                foreach (var outcome in results)
                {
                    if (!bySource.TryGetValue(outcome.Source, out var pair))
                    {
                        throw new InvalidOperationException($"The {side} connector returned an outcome for {outcome.Source}, which was not in the batch.");
                    }
                    if (!outcomes.TryGetValue(pair, out var list)) outcomes[pair] = list = [];
                    list.Add((side, outcome));
                }
            }
        }

        var again = new List<Pair>();
        foreach (var plan in plans)
        {
            var pair = plan.Pair;
            if (plan.WritesNothing)
            {
                Agree(plan);
                continue;
            }
            var results = outcomes.GetValueOrDefault(pair) ?? [];
            var refused = false;
            var failed = false;
            var deferred = false;
            var created = false;
            foreach (var (side, outcome) in results)
            {
                switch (outcome)
                {
                    case WriteOutcome.Written written:
                        Count(side, written.Created);
                        if (side == FlowSide.Left && plan.CreateLeft) (pair.LeftId, created) = (written.TargetId, true);
                        if (side == FlowSide.Right && plan.CreateRight) (pair.RightId, created) = (written.TargetId, true);
                        break;
                    case WriteOutcome.Conflict:
                        refused = true;
                        break;
                    case WriteOutcome.Rejected rejected:
                        failed = true;
                        var blamed = side == FlowSide.Left ? pair.Right ?? pair.Left! : pair.Left ?? pair.Right!;
                        DeadLetter(blamed, rejected.VendorCode, rejected.Field, $"{side} side refused it: {rejected.Message}");
                        break;
                    case WriteOutcome.RetryLater later:
                        deferred = true;
                        Defer(pair, $"the {side} side asked to retry after {later.After}: {later.Reason}");
                        break;
                }
            }
            if (results.Count < (plan.LeftWrite is null ? 0 : 1) + (plan.RightWrite is null ? 0 : 1))
            {
                throw new InvalidOperationException($"A connector returned no outcome for the pair {pair}.");
            }
            if (failed || deferred) continue;
            if (refused)
            {
                pair.Refusals++;
                Counts.Remerged++;
                if (pair.Refusals >= TwoWaySync.MaxAttempts) Defer(pair, "its record kept changing between our read and our write");
                else again.Add(pair);
                continue;
            }
            Agree(plan);
            // A record just created is read back once, so that its base is what its vendor stored.
            if (created) again.Add(pair);
        }
        return again;
    }

    private WriteRequest? RequestOf(PairPlan plan, FlowSide side)
    {
        var pair = plan.Pair;
        if (side == FlowSide.Left && plan.LeftWrite is { } leftWrite)
        {
            return plan.CreateLeft
                ? new WriteRequest(pair.Right!.Key, null, leftWrite, [.. flow.MatchFields.Select(m => flow.LeftMatchFields.GetValueOrDefault(m)).OfType<string>().Where(leftWrite.ContainsKey)])
                : new WriteRequest(pair.Right!.Key, pair.LeftId, leftWrite, [], pair.Left!.Version);
        }
        if (side == FlowSide.Right && plan.RightWrite is { } rightWrite)
        {
            return plan.CreateRight
                ? new WriteRequest(pair.Left!.Key, null, rightWrite, [.. flow.MatchFields.Where(rightWrite.ContainsKey)])
                : new WriteRequest(pair.Left!.Key, pair.RightId, rightWrite, [], pair.Right!.Version);
        }
        return null;
    }

    private void Count(FlowSide side, bool created)
    {
        if (side == FlowSide.Left)
        {
            if (created) Counts.CreatedLeft++; else Counts.UpdatedLeft++;
        }
        else if (created)
        {
            Counts.CreatedRight++;
        }
        else
        {
            Counts.UpdatedRight++;
        }
    }

    /// <summary>Both sides now hold the plan's values: the link records them as the new base.</summary>
    private void Agree(PairPlan plan)
    {
        var pair = plan.Pair;
        var link = new Link(flow.Name, pair.LeftId!, pair.RightId!, Fingerprint.Of(plan.Base), clock.GetUtcNow()) { Base = plan.Base };
        if (pair.Link is null || !pair.Link.Equals(link with { SyncedAt = pair.Link.SyncedAt }))
        {
            _links.Add(link);
            pair.Link = link;
        }
        pair.Matched = false;
        if (pair.Parked is not null)
        {
            if (pair.Parked.Decision is not null) Counts.Resolved++;
            Settle(pair);
        }
    }

    private void Park(Pair pair, MergeOutcome merge)
    {
        var conflict = new Conflict(Conflict.IdOf(flow.Name, pair.LeftId!, pair.RightId!), flow.Name, pair.LeftId!, pair.RightId!,
            merge.ToConflictFields(), clock.GetUtcNow());
        if (pair.Parked is null || pair.Parked.Decision is not null
            || ConflictFieldText.ToJson(pair.Parked.Fields) != ConflictFieldText.ToJson(conflict.Fields))
        {
            _parked.Add(conflict);
            Counts.Conflicts++;
            log.LogInformation("Flow {Flow}: {Pair} parked in the conflict queue as {Id} ({Fields})", flow.Name, pair, conflict.Id,
                string.Join(", ", conflict.ConflictingFields));
        }
        // A pair matched in this run is linked now with an empty base, so that neither record is matched
        // with another while the conflict waits.
        if (pair.Link is null)
        {
            var link = new Link(flow.Name, pair.LeftId!, pair.RightId!, Fingerprint.Of(new JObject()), clock.GetUtcNow()) { Base = [] };
            _links.Add(link);
            pair.Link = link;
        }
    }

    private void Settle(Pair pair)
    {
        _settled.Add(pair.Parked!.Id);
        _queue.Remove(pair.Parked.Id);
        pair.Parked = null;
    }

    private void Orphan(Pair pair)
    {
        Counts.Orphans++;
        var (survivor, gone) = pair.Left is not null ? (pair.Left.Key, $"{flow.Right}/{pair.RightId}") : pair.Right is not null ? (pair.Right.Key, $"{flow.Left}/{pair.LeftId}") : (null, "");
        if (survivor is not null)
        {
            Reported.Add(new ReportedRecord(survivor, $"its counterpart {gone} is gone; it is not recreated"));
            log.LogWarning("Flow {Flow}: {Record} lost its counterpart {Gone}; the link is kept as an orphan", flow.Name, survivor, gone);
        }
        if (pair.Link is { Orphaned: false } link) _links.Add(link with { Orphaned = true, SyncedAt = clock.GetUtcNow() });
        if (pair.Parked is not null) Settle(pair);
    }

    private void Defer(Pair pair, string reason)
    {
        Counts.Deferred++;
        if (pair.LeftId is not null) _unresolvedLeft.Add(pair.LeftId);
        if (pair.RightId is not null) _unresolvedRight.Add(pair.RightId);
        if (pair.Left is not null) _unresolvedLeft.Add(pair.Left.Key.Id);
        if (pair.Right is not null) _unresolvedRight.Add(pair.Right.Key.Id);
        log.LogWarning("Flow {Flow}: {Pair} deferred: {Reason}", flow.Name, pair, reason);
    }

    private void DeadLetter(Record record, string code, string? field, string message)
    {
        Counts.Failed++;
        _letters.Add(new DeadLetter(flow.Name, record.Key, code, field, message, record.Data, clock.GetUtcNow()));
    }

    private JObject? MapForward(Record record, JObject? data = null, bool deadLetter = true)
    {
        try
        {
            return Project(flow.Forward.Apply(data ?? record.Data));
        }
        catch (MappingException e)
        {
            if (deadLetter) DeadLetter(record, MappingFailedCode, e.Field, e.Reason);
            return null;
        }
    }

    private JObject? MapReverse(Record record, JObject? data = null)
    {
        try
        {
            return flow.Reverse.Apply(data ?? record.Data);
        }
        catch (MappingException e)
        {
            DeadLetter(record, MappingFailedCode, e.Field, e.Reason);
            return null;
        }
    }

    /// <summary>The compared fields of <paramref name="values"/>, empties left out.</summary>
    private JObject Project(JObject values)
    {
        var projected = new JObject();
        foreach (var field in flow.Fields)
        {
            if (!FieldValues.IsEmpty(values[field])) projected[field] = values[field]!.DeepClone();
        }
        return projected;
    }

    private JObject Snapshot(JObject values) => Project(values);

    private static JObject NonEmpty(JObject values) =>
        new(values.Properties().Where(p => !FieldValues.IsEmpty(p.Value)).Select(p => new JProperty(p.Name, p.Value.DeepClone())));

    private async Task CommitAsync(Watermark? leftWatermark, Watermark? rightWatermark)
    {
        if (_links.Count == 0 && _letters.Count == 0 && _parked.Count == 0 && _settled.Count == 0 && leftWatermark is null && rightWatermark is null) return;
        await state.CommitAsync(new TwoWayCommit(flow.Name, [.. _links], [.. _letters], leftWatermark, rightWatermark, [.. _parked], [.. _settled]),
            cancellationToken).ConfigureAwait(false);
        _links.Clear();
        _letters.Clear();
        _parked.Clear();
        _settled.Clear();
    }
}
