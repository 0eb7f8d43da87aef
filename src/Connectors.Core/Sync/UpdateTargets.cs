using System.Globalization;
using Connectors.Core.Connectors;
using Connectors.Core.Flows;
using Connectors.Core.Mapping.Expressions;
using Connectors.Core.Records;
using Connectors.Core.Sync.TwoWay;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Sync;

/// <summary>
/// What an update-only flow (<see cref="WriteMode.UpdateOnly"/>) updates: for each mapped record not linked yet,
/// the target record its match fields find, looked up in the target (<see cref="IRecordLookup"/>) before
/// anything is written, so that a record that matches nothing is never created. The one path
/// <see cref="SyncRun"/> and <see cref="SyncPlan"/> share.
/// </summary>
internal static class UpdateTargets
{
    /// <summary>The dead-letter code of a record an update-only flow found nothing to update for.</summary>
    public const string NoMatchCode = "NO_MATCH";

    /// <summary>
    /// Looks <paramref name="records"/> up in the target by the first of the flow's match fields each has a value
    /// for, one lookup per match field, values compared as <see cref="MatchKey"/> normalizes them. Where several
    /// target records match, the oldest is updated (as a two-way flow links the oldest).
    /// </summary>
    /// <returns>Per source id: the target id to update, or why there is none.</returns>
    /// <exception cref="ConnectorException">The target cannot be searched by a field, or the lookup failed as a whole.</exception>
    public static async Task<IReadOnlyDictionary<string, Target>> FindAsync(Flow flow, ITargetConnector target,
        IReadOnlyList<(RecordKey Source, JObject Payload)> records, CancellationToken cancellationToken)
    {
        var results = new Dictionary<string, Target>(StringComparer.Ordinal);
        if (records.Count == 0) return results;
        var lookup = target switch { IRecordLookup own => own, BulkWriteTarget bulk => bulk.Lookup, _ => null } ?? throw new ConnectorException(flow.To.System, ConnectorErrorCode.InvalidRequest,
            $"Flow '{flow.Name}' only updates (writes: update-only), but the connector of {flow.To.System} cannot look records up by a field, "
            + "so it cannot find what to update; write with create-or-update instead.");
        var keyed = new List<(RecordKey Source, string Field, string Key, string Raw)>();
        foreach (var (source, payload) in records)
        {
            if (MatchKey.Of(payload, flow.MatchFields) is not { } key)
            {
                results[source.Id] = new Target.NotFound(flow.MatchFields.FirstOrDefault(),
                    $"the mapped record has no value for its match field(s) {string.Join(", ", flow.MatchFields)}, so no record of {flow.To} can be "
                    + "found to update; the flow only updates (writes: update-only), so it was not created.");
                continue;
            }
            var field = key[..key.IndexOf('=', StringComparison.Ordinal)];
            keyed.Add((source, field, key, Raw(payload[field])));
        }
        var found = new Dictionary<string, List<Record>>(StringComparer.Ordinal);
        foreach (var group in keyed.GroupBy(k => k.Field, StringComparer.Ordinal))
        {
            var values = group.Select(k => k.Raw).Distinct(StringComparer.Ordinal).ToArray();
            foreach (var record in await lookup.FindAsync(flow.To.Stream, group.Key, values, cancellationToken).ConfigureAwait(false))
            {
                if (MatchKey.Normalize(record.Data[group.Key]) is not { } value) continue;
                var key = $"{group.Key}={value}";
                if (!found.TryGetValue(key, out var list)) found[key] = list = [];
                list.Add(record);
            }
        }
        foreach (var (source, field, key, raw) in keyed)
        {
            var oldest = found.GetValueOrDefault(key)?
                .OrderBy(r => r.Modified).ThenBy(r => r.Key.Id, StringComparer.Ordinal)
                .FirstOrDefault();
            results[source.Id] = oldest is not null
                ? new Target.Found(oldest.Key.Id)
                : new Target.NotFound(field, $"{flow.To} has no record whose {field} is {Values.Quote(raw)}; the flow only updates (writes: update-only), "
                    + "so it was not created.");
        }
        return results;
    }

    private static string Raw(JToken? value) => value is JValue { Value: { } scalar } ? Convert.ToString(scalar, CultureInfo.InvariantCulture) ?? "" : value?.ToString() ?? "";

    /// <summary>What the lookup found for one source record.</summary>
    internal abstract record Target
    {
        /// <summary>The target record to update.</summary>
        /// <param name="TargetId">Its id.</param>
        public sealed record Found(string TargetId) : Target;

        /// <summary>Nothing to update: the record is dead-lettered with <see cref="NoMatchCode"/>.</summary>
        /// <param name="Field">The match field it was looked up by (the first match field when it had no value).</param>
        /// <param name="Message">Why, for the dead letter.</param>
        public sealed record NotFound(string? Field, string Message) : Target;
    }
}
