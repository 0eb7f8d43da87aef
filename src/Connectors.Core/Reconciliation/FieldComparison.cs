using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Newtonsoft.Json;
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
    [ThreadStatic]
    private static StringBuilder? t_signatureText;

    [ThreadStatic]
    private static StringBuilder? t_projectedText;

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
        // Called for every record of both sides: the text and its bytes go through buffers this thread keeps.
        var text = t_signatureText ??= new StringBuilder(256);
        text.Clear();
        foreach (var field in order)
        {
            var value = fields[field];
            if (!IsBlank(value)) AppendCompared(text, value!);
            text.Append('\u001f');
        }
        var chars = ArrayPool<char>.Shared.Rent(text.Length);
        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            text.CopyTo(0, chars, 0, text.Length);
            var length = Encoding.UTF8.GetBytes(chars, 0, text.Length, bytes, 0);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(bytes.AsSpan(0, length), hash);
            return hash[..16].ToArray();
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private static void AppendCompared(StringBuilder text, JToken value)
    {
        switch (value)
        {
            case JValue { Value: string plain }:
                text.Append(plain.AsSpan().Trim());
                break;
            case JContainer:
                text.Append('\u0001').Append(value.ToString(Newtonsoft.Json.Formatting.None));
                break;
            default:
                text.Append(Text(value));
                break;
        }
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

    /// <summary>
    /// The named fields of a record (absent ones as null) as one JSON object, so that the scratch file holds what is
    /// compared; written straight from the record, without a copy of it.
    /// </summary>
    public static string ProjectedJson(JObject record, IReadOnlyList<string> fields)
    {
        var text = t_projectedText ??= new StringBuilder(512);
        text.Clear();
        using (var writer = new JsonTextWriter(new StringWriter(text, CultureInfo.InvariantCulture)) { Formatting = Newtonsoft.Json.Formatting.None })
        {
            writer.WriteStartObject();
            foreach (var field in fields)
            {
                writer.WritePropertyName(field);
                if (record[field] is { } value) value.WriteTo(writer);
                else writer.WriteNull();
            }
            writer.WriteEndObject();
        }
        return text.ToString();
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
