using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Reconciliation;

/// <summary>
/// How reconciliation compares a mapped payload with the target record: field by field as the target
/// would store it. Blank (missing, null, empty or white space) equals blank; text compares exactly;
/// numbers by value; an object written as a lookup (<c>{"id": …}</c>) equals a target object carrying
/// the same keys (the target may add a display name).
/// </summary>
internal static class FieldComparison
{
    /// <summary>
    /// The join key of a record: the first match field with a value, as <c>field␟VALUE</c>, trimmed and
    /// upper-cased (vendors compare e-mail addresses without case); <see langword="null"/> when none has a value.
    /// </summary>
    public static string? MatchKey(JObject fields, IReadOnlyList<string> matchFields)
    {
        foreach (var field in matchFields)
        {
            if (Text(fields[field]) is { Length: > 0 } value)
            {
                return field + "\u001f" + value.ToUpperInvariant();
            }
        }
        return null;
    }

    /// <summary>
    /// A 128-bit digest of the named fields' values as the comparison sees them (blank as empty, text trimmed),
    /// in the given order. Equal signatures mean <see cref="Drifted"/> would find nothing, so a pair whose
    /// signatures agree is in sync without parsing either side; unequal ones are compared field by field.
    /// </summary>
    public static byte[] Signature(JObject fields, IReadOnlyList<string> order)
    {
        var text = new StringBuilder(256);
        foreach (var field in order)
        {
            var value = fields[field];
            if (!IsBlank(value)) text.Append(value is JContainer ? "\u0001" + value.ToString(Newtonsoft.Json.Formatting.None) : Text(value));
            text.Append('\u001f');
        }
        return SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()))[..16];
    }

    /// <summary>The value of a match key for people to read.</summary>
    public static string? Label(string? matchKey) => matchKey?[(matchKey.IndexOf('\u001f', StringComparison.Ordinal) + 1)..].ToLowerInvariant();

    /// <summary>The fields of <paramref name="payload"/> whose value the target holds differently, in payload order.</summary>
    public static List<string> Drifted(JObject payload, JObject target)
    {
        var drifted = new List<string>();
        foreach (var property in payload.Properties())
        {
            if (!Same(property.Value, target[property.Name])) drifted.Add(property.Name);
        }
        return drifted;
    }

    /// <summary>Keeps only the named fields of a record (absent ones as null), so that the scratch file holds what is compared.</summary>
    public static JObject Project(JObject record, IEnumerable<string> fields)
    {
        var projected = new JObject();
        foreach (var field in fields)
        {
            if (!projected.ContainsKey(field)) projected[field] = record[field]?.DeepClone() ?? JValue.CreateNull();
        }
        return projected;
    }

    /// <summary>Whether a field holds a value that counts as set (<c>true</c>, a non-blank text other than <c>false</c>, a non-zero number).</summary>
    public static bool IsSet(JToken? value) => value switch
    {
        null => false,
        JValue { Type: JTokenType.Boolean } flag => (bool)flag,
        JValue { Type: JTokenType.Integer or JTokenType.Float } number => Convert.ToDouble(number.Value, CultureInfo.InvariantCulture) != 0,
        _ => Text(value) is { Length: > 0 } text && !text.Equals("false", StringComparison.OrdinalIgnoreCase),
    };

    private static bool Same(JToken? expected, JToken? actual)
    {
        if (IsBlank(expected)) return IsBlank(actual);
        if (IsBlank(actual)) return false;
        switch (expected)
        {
            case JObject expectedObject:
                return actual is JObject actualObject && expectedObject.Properties().All(p => Same(p.Value, actualObject[p.Name]));
            case JArray expectedArray:
                return actual is JArray actualArray && expectedArray.Count == actualArray.Count
                    && expectedArray.Zip(actualArray).All(pair => Same(pair.First, pair.Second));
            case JValue { Type: JTokenType.Integer or JTokenType.Float } number:
                return Number(actual) is { } value && value == Convert.ToDecimal(number.Value, CultureInfo.InvariantCulture);
            case JValue { Type: JTokenType.Boolean } flag:
                return actual is JValue { Type: JTokenType.Boolean } other ? (bool)flag == (bool)other
                    : string.Equals(Text(actual), ((bool)flag).ToString(CultureInfo.InvariantCulture), StringComparison.OrdinalIgnoreCase);
            default:
                return string.Equals(Text(expected), Text(actual), StringComparison.Ordinal);
        }
    }

    private static decimal? Number(JToken? token) => token switch
    {
        JValue { Type: JTokenType.Integer or JTokenType.Float } value => Convert.ToDecimal(value.Value, CultureInfo.InvariantCulture),
        JValue { Type: JTokenType.String } text when decimal.TryParse((string?)text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };

    private static bool IsBlank(JToken? token) =>
        token is null || token.Type == JTokenType.Null || token.Type == JTokenType.Undefined
        || token is JValue { Type: JTokenType.String } text && string.IsNullOrWhiteSpace((string?)text);

    private static string? Text(JToken? token) => token switch
    {
        null => null,
        JValue { Type: JTokenType.Null } => null,
        JValue { Type: JTokenType.Date } date => ((DateTime)date).ToString("o", CultureInfo.InvariantCulture),
        JValue value => Convert.ToString(value.Value, CultureInfo.InvariantCulture)?.Trim(),
        _ => token.ToString(Newtonsoft.Json.Formatting.None),
    };
}
