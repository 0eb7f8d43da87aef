using System.Globalization;
using System.Text;
using Connectors.Core.Conflicts;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Sync.TwoWay;

/// <summary>
/// The normalized value two records are matched on: e-mail addresses case-folded, phone numbers
/// reduced to E.164 digits (<c>+</c> and digits; <c>00</c> read as <c>+</c>), any other text trimmed and
/// case-folded. A number written without its country code keeps only its digits: without a region
/// there is no telling which code it lacks, and guessing would match strangers.
/// </summary>
public static class MatchKey
{
    private const int MinPhoneDigits = 6;

    /// <summary>The normalized form of <paramref name="value"/>, or <see langword="null"/> when it has none (empty).</summary>
    public static string? Normalize(JToken? value)
    {
        if (FieldValues.IsEmpty(value)) return null;
        var text = (value is JValue scalar ? Convert.ToString(scalar.Value, CultureInfo.InvariantCulture) : value!.ToString())?.Trim() ?? "";
        if (text.Contains('@', StringComparison.Ordinal)) return text.ToLowerInvariant();
        if (Phone(text) is { } phone) return phone;
        return text.ToLowerInvariant();
    }

    /// <summary>The key of a record: the first of <paramref name="fields"/> that has a value, as <c>field=value</c>.</summary>
    public static string? Of(JObject values, IReadOnlyList<string> fields)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(fields);
        foreach (var field in fields)
        {
            if (Normalize(values[field]) is { } normalized) return $"{field}={normalized}";
        }
        return null;
    }

    private static string? Phone(string text)
    {
        var digits = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c)) digits.Append(c);
            else if (c is not (' ' or '-' or '(' or ')' or '.' or '/' or '+')) return null;
        }
        if (digits.Length < MinPhoneDigits) return null;
        var international = text.StartsWith('+') || text.StartsWith("00", StringComparison.Ordinal);
        var number = digits.ToString();
        if (text.StartsWith("00", StringComparison.Ordinal)) number = number[2..];
        return international ? "+" + number : number;
    }
}
