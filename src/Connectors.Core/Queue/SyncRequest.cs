using System.Globalization;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Queue;

/// <summary>
/// A request to sync some records of one flow, as it travels through the work queue between the
/// webhook (or a schedule) and the sync worker. Serialised as a small JSON object so that a queue
/// message stays far below the queue's size limit.
/// </summary>
/// <param name="Flow">The flow to run.</param>
/// <param name="Stream">The source stream that changed (<c>shop.customers</c>), when the sender knows it.</param>
/// <param name="RecordIds">The native ids of the changed records; empty means "whatever changed since the watermark".</param>
/// <param name="EventId">The vendor's event or delivery id, for deduplication and tracing; <see langword="null"/> for scheduled work.</param>
/// <param name="ReceivedAt">When we received the event (our clock).</param>
public sealed record SyncRequest(string Flow, string? Stream, IReadOnlyList<string> RecordIds, string? EventId, DateTimeOffset ReceivedAt)
{
    private static readonly JsonSerializerSettings ReadSettings = new()
    {
        DateParseHandling = DateParseHandling.None,
        MaxDepth = 8,
    };

    /// <summary>The JSON form: <c>{"flow":…,"stream":…,"ids":[…],"event":…,"at":…}</c>, absent values left out.</summary>
    public string ToJson()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Flow);
        ArgumentNullException.ThrowIfNull(RecordIds);
        var json = new JObject { ["flow"] = Flow };
        if (Stream is not null) json["stream"] = Stream;
        if (RecordIds.Count > 0) json["ids"] = new JArray(RecordIds);
        if (EventId is not null) json["event"] = EventId;
        // "o" keeps the offset and every tick, so that the request reads back exactly as it was sent.
        json["at"] = ReceivedAt.ToString("o", CultureInfo.InvariantCulture);
        return json.ToString(Formatting.None);
    }

    /// <summary>Reads the JSON form written by <see cref="ToJson"/>.</summary>
    /// <exception cref="FormatException">The text is not a sync request; the message says what is wrong.</exception>
    public static SyncRequest FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JObject obj;
        try
        {
            obj = JsonConvert.DeserializeObject<JObject>(json, ReadSettings)
                ?? throw new FormatException("A sync request must be a JSON object, not null.");
        }
        catch (JsonException e)
        {
            throw new FormatException($"A sync request must be a JSON object: {e.Message}");
        }

        var flow = obj["flow"] is { Type: JTokenType.String } f ? (string)f! : null;
        if (string.IsNullOrWhiteSpace(flow)) throw new FormatException("A sync request needs a \"flow\" string.");
        var stream = OptionalString(obj, "stream");
        var eventId = OptionalString(obj, "event");

        var ids = new List<string>();
        switch (obj["ids"])
        {
            case null or { Type: JTokenType.Null }:
                break;
            case JArray array:
                foreach (var id in array)
                {
                    if (id.Type != JTokenType.String) throw new FormatException("A sync request's \"ids\" must all be strings.");
                    ids.Add((string)id!);
                }
                break;
            default:
                throw new FormatException("A sync request's \"ids\" must be an array of strings.");
        }

        if (obj["at"] is not { Type: JTokenType.String } at
            || !DateTimeOffset.TryParseExact((string)at!, "o", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var receivedAt))
        {
            throw new FormatException("A sync request needs an \"at\" timestamp in ISO 8601 round-trip form.");
        }
        return new SyncRequest(flow, stream, ids, eventId, receivedAt);
    }

    /// <summary>
    /// Splits the request into requests of at most <paramref name="maxIds"/> record ids each, in order,
    /// all with the same flow, stream, event id and time. A request with no ids is returned as it is.
    /// </summary>
    public IReadOnlyList<SyncRequest> Split(int maxIds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxIds, 1);
        if (RecordIds.Count <= maxIds) return [this];
        return RecordIds.Chunk(maxIds).Select(ids => this with { RecordIds = ids }).ToArray();
    }

    /// <summary>Equal when every field is, the record ids compared in order (not by list reference).</summary>
    public bool Equals(SyncRequest? other) =>
        other is not null
        && Flow == other.Flow
        && Stream == other.Stream
        && EventId == other.EventId
        && ReceivedAt.EqualsExact(other.ReceivedAt)
        && RecordIds.SequenceEqual(other.RecordIds, StringComparer.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Flow, Stream, EventId, ReceivedAt, RecordIds.Count);

    private static string? OptionalString(JObject obj, string name) => obj[name] switch
    {
        null or { Type: JTokenType.Null } => null,
        { Type: JTokenType.String } value => (string)value!,
        _ => throw new FormatException($"A sync request's \"{name}\" must be a string."),
    };
}
