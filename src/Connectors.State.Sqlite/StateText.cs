using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Connectors.Core.Sync;
using Newtonsoft.Json;
using JsonSerializer = System.Text.Json.JsonSerializer;
using Newtonsoft.Json.Linq;

namespace Connectors.State.Sqlite;

/// <summary>The text forms in which the state values are kept in their columns, both ways.</summary>
internal static class StateText
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// ISO 8601 with seven fractional digits and the offset: the exact instant and the offset it was
    /// given in, so that a vendor's <c>+05:30</c> comes back as <c>+05:30</c>, to the tick.
    /// </summary>
    public static string Instant(DateTimeOffset value) => value.ToString("o", CultureInfo.InvariantCulture);

    /// <summary>Reads back a value written by <see cref="Instant(DateTimeOffset)"/>.</summary>
    public static DateTimeOffset ParseInstant(string text) => DateTimeOffset.ParseExact(text, "o", CultureInfo.InvariantCulture, DateTimeStyles.None);

    /// <summary>The watermark as a JSON document, its stamp with its offset.</summary>
    public static string WatermarkJson(Watermark watermark) =>
        JsonSerializer.Serialize(new WatermarkDocument(watermark.Modified is { } m ? Instant(m) : null), Json);

    /// <summary>Reads back a watermark written by <see cref="WatermarkJson"/>.</summary>
    public static Watermark ParseWatermark(string json)
    {
        var document = JsonSerializer.Deserialize<WatermarkDocument>(json, Json)
            ?? throw new InvalidDataException($"A stored watermark is not a JSON object: {json}");
        return document.Modified is null ? Watermark.Start : new Watermark(ParseInstant(document.Modified));
    }

    /// <summary>A run's counts as a JSON object.</summary>
    public static string CountsJson(IReadOnlyDictionary<string, long> counts) => JsonSerializer.Serialize(counts, Json);

    /// <summary>Reads back counts written by <see cref="CountsJson"/>.</summary>
    public static IReadOnlyDictionary<string, long> ParseCounts(string json) =>
        new Dictionary<string, long>(
            JsonSerializer.Deserialize<Dictionary<string, long>>(json, Json) ?? [],
            StringComparer.Ordinal);

    /// <summary>A record's fields as compact JSON.</summary>
    public static string RecordJson(JObject record) => record.ToString(Formatting.None);

    /// <summary>
    /// Reads back a record written by <see cref="RecordJson"/>. Date-like strings stay strings, as our
    /// connectors read them, so a replay sees the record exactly as the vendor sent it.
    /// </summary>
    public static JObject ParseRecord(string json)
    {
        using var reader = new JsonTextReader(new StringReader(json)) { DateParseHandling = DateParseHandling.None };
        return JObject.Load(reader);
    }

    /// <summary>
    /// The stored shape of a watermark. The stamp is kept as text in <see cref="Instant"/> form rather
    /// than left to a serializer's date handling, which is where offsets usually get lost.
    /// </summary>
    private sealed record WatermarkDocument([property: JsonPropertyName("modified")] string? Modified);
}
