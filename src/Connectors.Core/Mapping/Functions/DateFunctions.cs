using System.Globalization;
using Connectors.Core.Mapping.Expressions;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Mapping.Functions;

/// <summary>
/// Dates and times: <c>date(format, zone, culture)</c> shows an ISO-8601 instant in an IANA time zone;
/// <c>parse_date(format, zone, culture)</c> reads a vendor's own format as local time in a zone and gives
/// ISO 8601 with the offset. Zones are resolved once, at compile time.
/// </summary>
internal static class DateFunctions
{
    /// <summary>ISO 8601 with seconds and the offset: what vendors accept and what <c>date</c> reads back.</summary>
    public const string IsoFormat = "yyyy-MM-dd'T'HH:mm:sszzz";

    private static readonly string[] IsoInputs =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ssK", "yyyy-MM-dd HH:mmK",
    ];

    /// <summary>The family's functions.</summary>
    public static IEnumerable<FunctionDefinition> All =>
    [
        new("date", 0, 3, "date(format = 'iso', zone = 'UTC', culture = 'invariant')", Date),
        new("parse_date", 1, 3, "parse_date(format, zone = 'UTC', culture = 'invariant')", ParseDate),
    ];

    private static FunctionBody Date(CallSite site)
    {
        var format = site.Text(0, "format", "iso");
        var zone = Zone(site, 1);
        var culture = site.Culture(2);
        Func<DateTimeOffset, JToken> show = format switch
        {
            "iso" => t => new JValue(t.ToString(IsoFormat, CultureInfo.InvariantCulture)),
            "unix" => t => new JValue(t.ToUnixTimeSeconds()),
            "unix_ms" => t => new JValue(t.ToUnixTimeMilliseconds()),
            _ => t => new JValue(t.ToString(format, culture)),
        };
        CheckFormat(site, format is "iso" or "unix" or "unix_ms" ? IsoFormat : format, culture);
        return (JToken? input, in Scope _) =>
        {
            if (input is null) return null;
            var instant = ReadInstant(input, zone);
            return show(TimeZoneInfo.ConvertTime(instant, zone));
        };
    }

    private static FunctionBody ParseDate(CallSite site)
    {
        var format = site.Text(0, "format");
        var zone = Zone(site, 1);
        var culture = site.Culture(2);
        CheckFormat(site, format, culture);
        var hasOffset = HasOffset(format);
        return (JToken? input, in Scope _) =>
        {
            if (input is null) return null;
            var text = Values.Text(input, "parse_date").Trim();
            DateTimeOffset instant;
            if (hasOffset)
            {
                if (!DateTimeOffset.TryParseExact(text, format, culture, DateTimeStyles.None, out instant)) throw Unreadable(text, format);
            }
            else
            {
                if (!DateTime.TryParseExact(text, format, culture, DateTimeStyles.None, out var local)) throw Unreadable(text, format);
                instant = InZone(local, zone);
            }
            return new JValue(instant.ToString(IsoFormat, CultureInfo.InvariantCulture));
        };
    }

    /// <summary>
    /// Reads an instant: a typed date, or an ISO-8601 string. A string without an offset is UTC; a date
    /// without a time is that calendar day's midnight in <paramref name="zone"/>, so that it shows as the
    /// same day there rather than the day before west of Greenwich.
    /// </summary>
    private static DateTimeOffset ReadInstant(JToken input, TimeZoneInfo zone)
    {
        switch ((input as JValue)?.Value)
        {
            case DateTimeOffset offset:
                return offset;
            case DateTime dateTime:
                return dateTime.Kind == DateTimeKind.Unspecified ? new DateTimeOffset(dateTime, TimeSpan.Zero) : new DateTimeOffset(dateTime);
            case string text:
                var trimmed = text.AsSpan().Trim();
                if (trimmed.Length == 10 && DateTime.TryParseExact(trimmed, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                {
                    return InZone(day, zone);
                }
                if (DateTimeOffset.TryParseExact(trimmed, IsoInputs, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
                {
                    return instant;
                }
                throw new RuleFailure($"date expects an ISO-8601 date and time such as '2024-03-01T10:00:00+01:00' but got {Values.Describe(input)}; read other formats with parse_date(format, zone) first.");
            default:
                throw Values.WrongType("date", "an ISO-8601 date and time", input);
        }
    }

    /// <summary>A wall-clock time in a zone as an instant; a time skipped by a daylight-saving change takes the offset before it.</summary>
    private static DateTimeOffset InZone(DateTime local, TimeZoneInfo zone)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        return new DateTimeOffset(unspecified, zone.GetUtcOffset(unspecified));
    }

    private static TimeZoneInfo Zone(CallSite site, int index)
    {
        var id = site.Text(index, "time zone", "UTC");
        if (id is "UTC" or "Etc/UTC" or "Z") return TimeZoneInfo.Utc;
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw site.Error($"'{id}' is not a known time zone; use an IANA name such as 'Europe/Berlin'.");
        }
    }

    private static void CheckFormat(CallSite site, string format, CultureInfo culture)
    {
        try
        {
            _ = new DateTimeOffset(2024, 3, 1, 10, 0, 0, TimeSpan.Zero).ToString(format, culture);
        }
        catch (FormatException)
        {
            throw site.Error($"'{format}' is not a .NET date and time format.");
        }
    }

    /// <summary>Whether a custom format reads an offset itself (<c>z</c>, <c>K</c>) outside quoted literal text.</summary>
    private static bool HasOffset(string format)
    {
        var quote = '\0';
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (quote != '\0') { if (c == quote) quote = '\0'; continue; }
            if (c is '\'' or '"') quote = c;
            else if (c == '\\') i++;
            else if (c is 'z' or 'K') return true;
        }
        return false;
    }

    private static RuleFailure Unreadable(string text, string format) =>
        new($"parse_date could not read {Values.Quote(text)} with the format '{format}'.");
}
