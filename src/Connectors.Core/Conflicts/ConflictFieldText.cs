using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Conflicts;

/// <summary>
/// The stored text of a conflict's fields, one form for every state store: a JSON array of
/// <c>{"field","base","left","right","inConflict"}</c>, values kept exactly (date-like strings stay strings).
/// </summary>
public static class ConflictFieldText
{
    /// <summary>The fields as compact JSON.</summary>
    public static string ToJson(IReadOnlyList<ConflictField> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return new JArray(fields.Select(f => new JObject
        {
            ["field"] = f.Field,
            ["base"] = f.Base?.DeepClone(),
            ["left"] = f.Left?.DeepClone(),
            ["right"] = f.Right?.DeepClone(),
            ["inConflict"] = f.InConflict,
        })).ToString(Formatting.None);
    }

    /// <summary>Reads back what <see cref="ToJson"/> wrote.</summary>
    /// <exception cref="JsonException">The text is not such an array.</exception>
    public static IReadOnlyList<ConflictField> Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var reader = new JsonTextReader(new StringReader(json)) { DateParseHandling = DateParseHandling.None };
        return [.. JArray.Load(reader).OfType<JObject>().Select(f => new ConflictField(
            (string?)f["field"] ?? "",
            Value(f["base"]),
            Value(f["left"]),
            Value(f["right"]),
            (bool?)f["inConflict"] ?? false))];
    }

    private static JToken? Value(JToken? token) => token is null || token.Type == JTokenType.Null ? null : token;
}
