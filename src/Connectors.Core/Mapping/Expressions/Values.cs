using System.Globalization;
using System.Numerics;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Mapping.Expressions;

/// <summary>How rules read, describe and convert JSON values, the same way everywhere.</summary>
internal static class Values
{
    /// <summary>The shared <see langword="true"/>.</summary>
    public static readonly JValue True = Share(new JValue(true));

    /// <summary>The shared <see langword="false"/>.</summary>
    public static readonly JValue False = Share(new JValue(false));

    /// <summary>Parks a compile-time value so that payloads always receive a copy of it.</summary>
    /// <remarks>
    /// Newtonsoft clones a token that already has a parent when it is added to a payload. Giving every
    /// value the compiled tree shares between records a private parent guarantees that no payload ever
    /// adopts (and no consumer ever mutates) the shared instance; the holder lives as long as the value.
    /// </remarks>
    public static T Share<T>(T value) where T : JToken
    {
        if (value.Parent is null) _ = new JArray { value };
        return value;
    }

    /// <summary>A shared boolean.</summary>
    public static JValue Bool(bool value) => value ? True : False;

    /// <summary>
    /// Whether a value counts as missing: nothing, JSON null or undefined, or a string token without a value
    /// (what <c>new JValue((string?)null)</c> makes in records built in code).
    /// </summary>
    public static bool IsAbsent(JToken? value) =>
        value is null || value.Type is JTokenType.Null or JTokenType.Undefined || value is JValue { Type: JTokenType.String, Value: null };

    /// <summary>Whether a value counts as missing for <c>??</c> and <c>default</c>: absent, or an empty string.</summary>
    public static bool IsBlank(JToken? value) =>
        IsAbsent(value) || value is JValue { Type: JTokenType.String, Value: string { Length: 0 } };

    /// <summary>Turns JSON null and undefined into <see langword="null"/>.</summary>
    public static JToken? Normalize(JToken? value) => IsAbsent(value) ? null : value;

    /// <summary>Whether a value is a JSON number.</summary>
    public static bool IsNumber(JToken value) => value.Type is JTokenType.Integer or JTokenType.Float;

    /// <summary>Whether a value is text (a JSON string, or a GUID or URI a reader typed for us).</summary>
    public static bool IsText(JToken value) => value.Type is JTokenType.String or JTokenType.Guid or JTokenType.Uri;

    /// <summary>The text of a string value; a wrong-type failure naming <paramref name="function"/> otherwise.</summary>
    public static string Text(JToken value, string function)
    {
        if (value.Type == JTokenType.String) return (string)((JValue)value).Value!;
        if (IsText(value)) return ScalarText(value);
        throw WrongType(function, "text", value);
    }

    /// <summary>
    /// The invariant text of a scalar (string, number, boolean, date); a failure naming
    /// <paramref name="function"/> for objects and arrays.
    /// </summary>
    public static string Scalar(JToken value, string function)
    {
        if (value is JValue) return ScalarText(value);
        throw WrongType(function, "a single value", value);
    }

    /// <summary>The invariant text of a scalar value, dates in ISO 8601; compact JSON for an object or array.</summary>
    public static string ScalarText(JToken value)
    {
        if (value is not JValue scalar) return value.ToString(Newtonsoft.Json.Formatting.None);
        var raw = scalar.Value;
        return raw switch
        {
            null => "",
            string s => s,
            bool b => b ? "true" : "false",
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            float f => f.ToString("R", CultureInfo.InvariantCulture),
            DateTime dt => dt.ToString("o", CultureInfo.InvariantCulture),
            DateTimeOffset dto => dto.ToString("o", CultureInfo.InvariantCulture),
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => raw.ToString() ?? "",
        };
    }

    /// <summary>Reads a number, or a string holding one in invariant notation (<c>"19.99"</c>), as a decimal.</summary>
    public static bool TryNumber(JToken value, out decimal number)
    {
        switch ((value as JValue)?.Value)
        {
            case long l: number = l; return true;
            case int i: number = i; return true;
            case decimal m: number = m; return true;
            case double d when !double.IsNaN(d) && !double.IsInfinity(d) && Math.Abs(d) < 7.9e27:
                number = (decimal)d;
                return true;
            case BigInteger big when big >= (BigInteger)decimal.MinValue && big <= (BigInteger)decimal.MaxValue:
                number = (decimal)big;
                return true;
            case string s:
                return decimal.TryParse(s.AsSpan().Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out number);
            default:
                number = 0;
                return false;
        }
    }

    /// <summary>A number as a JSON value: an integer when it has no fraction, a decimal otherwise.</summary>
    public static JValue Number(decimal number) =>
        number == decimal.Truncate(number) && number is >= long.MinValue and <= long.MaxValue
            ? new JValue((long)number)
            : new JValue(number);

    /// <summary>
    /// Reads a config flag: a JSON boolean, or the text <c>true</c>/<c>false</c>, which is how a YAML
    /// loader that keeps every scalar as text hands it over.
    /// </summary>
    public static bool TryFlag(JToken? value, out bool flag)
    {
        switch ((value as JValue)?.Value)
        {
            case bool b:
                flag = b;
                return true;
            case string s when bool.TryParse(s.Trim(), out var parsed):
                flag = parsed;
                return true;
            default:
                flag = false;
                return false;
        }
    }

    /// <summary>Reads a whole number from config: a JSON integer, or its text.</summary>
    public static bool TryWholeNumber(JToken? value, out long number)
    {
        switch ((value as JValue)?.Value)
        {
            case long l:
                number = l;
                return true;
            case string s when long.TryParse(s.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed):
                number = parsed;
                return true;
            default:
                number = 0;
                return false;
        }
    }

    /// <summary>Whether a condition holds: false for nothing, <c>false</c>, zero and the empty string.</summary>
    public static bool IsTruthy(JToken? value) => value switch
    {
        null => false,
        JValue v => v.Value switch
        {
            null => false,
            bool b => b,
            string s => s.Length > 0,
            long l => l != 0,
            double d => d != 0,
            decimal m => m != 0,
            _ => true,
        },
        _ => true,
    };

    /// <summary>The failure of a function applied to a value of the wrong type.</summary>
    public static RuleFailure WrongType(string function, string expected, JToken? got) =>
        new($"{function} expects {expected} but got {Describe(got)}.");

    /// <summary>Describes a value for a message: its type and, for scalars, a short form of it.</summary>
    public static string Describe(JToken? value)
    {
        if (IsAbsent(value)) return "no value";
        return value!.Type switch
        {
            JTokenType.Object => "an object",
            JTokenType.Array => $"an array of {((JArray)value).Count} item(s)",
            JTokenType.String => $"a string ({Quote(ScalarText(value))})",
            JTokenType.Integer or JTokenType.Float => $"a number ({ScalarText(value)})",
            JTokenType.Boolean => $"a boolean ({ScalarText(value)})",
            JTokenType.Date => $"a date ({ScalarText(value)})",
            _ => $"a {value.Type.ToString().ToLowerInvariant()} ({Quote(ScalarText(value))})",
        };
    }

    /// <summary>Quotes text for a message, shortened so that one long value cannot flood a dead letter.</summary>
    public static string Quote(string text)
    {
        const int MaxShown = 80;
        return text.Length <= MaxShown ? $"'{text}'" : $"'{text[..MaxShown]}…' ({text.Length} characters)";
    }
}
