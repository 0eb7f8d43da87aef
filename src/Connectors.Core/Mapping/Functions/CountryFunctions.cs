using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using Connectors.Core.Mapping.Expressions;
using Newtonsoft.Json.Linq;
using PhoneNumbers;

namespace Connectors.Core.Mapping.Functions;

/// <summary>
/// Countries: <c>country_code</c> (ISO 3166-1 alpha-2), <c>country_code3</c> (alpha-3) and
/// <c>country_name</c> (English short name) each read any of an alpha-2 code, an alpha-3 code, or a name
/// in English or the country's own language, ignoring case, accents and punctuation. What is not a
/// country is left as it was, for an <c>allowed</c> validation rule to reject.
/// </summary>
internal static class CountryFunctions
{
    private static readonly Lazy<FrozenDictionary<string, Country>> Countries = new(Load);

    // The codes and names as written, for the common case that needs no folding (and so no allocation);
    // codes first, so that they win as they do in the folded table.
    private static readonly Lazy<FrozenDictionary<string, Country>> AsWritten = new(() =>
    {
        var countries = Countries.Value.Values.Distinct().ToArray();
        var table = new Dictionary<string, Country>(StringComparer.OrdinalIgnoreCase);
        foreach (var country in countries) table.TryAdd(country.Alpha2, country);
        foreach (var country in countries) table.TryAdd(country.Alpha3, country);
        foreach (var country in countries) table.TryAdd(country.Name, country);
        return table.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    });

    // Names people and shops still use that differ from the ICU short names.
    private static readonly (string Name, string Code)[] Aliases =
    [
        ("United States of America", "US"), ("America", "US"), ("UK", "GB"), ("Great Britain", "GB"),
        ("Britain", "GB"), ("Holland", "NL"), ("Czech Republic", "CZ"), ("Turkey", "TR"), ("Russia", "RU"),
        ("Russian Federation", "RU"), ("Korea, Republic of", "KR"), ("Republic of Korea", "KR"),
        ("Ivory Coast", "CI"), ("Viet Nam", "VN"), ("Macedonia", "MK"), ("Swaziland", "SZ"), ("Burma", "MM"),
        ("Cape Verde", "CV"), ("Iran, Islamic Republic of", "IR"), ("Vatican", "VA"), ("UAE", "AE"),
    ];

    /// <summary>The family's functions.</summary>
    public static IEnumerable<FunctionDefinition> All =>
    [
        Define("country_code", c => c.Alpha2),
        Define("country_code3", c => c.Alpha3),
        Define("country_name", c => c.Name),
    ];

    private static FunctionDefinition Define(string name, Func<Country, string> pick) =>
        new(name, 0, 0, name, _ => (JToken? input, in Scope _) =>
        {
            if (input is null) return null;
            var text = Values.Text(input, name);
            return AsWritten.Value.TryGetValue(text, out var country) || Countries.Value.TryGetValue(Key(text), out country)
                ? new JValue(pick(country))
                : input;
        });

    /// <summary>Folds a code or name for lookup: letters and digits only, accents dropped, lower case.</summary>
    private static string Key(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var key = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (char.IsLetterOrDigit(c)) key.Append(char.ToLowerInvariant(c));
        }
        return key.ToString();
    }

    private static FrozenDictionary<string, Country> Load()
    {
        var codes = new SortedSet<string>(PhoneNumberUtil.GetInstance().GetSupportedRegions(), StringComparer.Ordinal);
        var nativeNames = new List<(string Code, string Name)>();
        foreach (var culture in CultureInfo.GetCultures(CultureTypes.SpecificCultures))
        {
            try
            {
                var region = new RegionInfo(culture.Name);
                codes.Add(region.TwoLetterISORegionName);
                nativeNames.Add((region.TwoLetterISORegionName, region.NativeName));
            }
            catch (ArgumentException)
            {
                // A culture without a region of its own (a language-only or a macro-region culture).
            }
        }
        var byCode = new Dictionary<string, Country>(StringComparer.Ordinal);
        foreach (var code in codes)
        {
            if (code.Length != 2 || !char.IsAsciiLetterUpper(code[0]) || !char.IsAsciiLetterUpper(code[1])) continue;
            try
            {
                var region = new RegionInfo(code);
                byCode[code] = new Country(code, region.ThreeLetterISORegionName, region.EnglishName);
            }
            catch (ArgumentException)
            {
                // A code the platform's ICU data does not describe.
            }
        }
        var byKey = new Dictionary<string, Country>(StringComparer.Ordinal);
        // Codes first and names after, each only where the key is still free: "CA" stays Canada even if
        // some language's name for a country folds to "ca".
        foreach (var country in byCode.Values) byKey.TryAdd(Key(country.Alpha2), country);
        foreach (var country in byCode.Values) byKey.TryAdd(Key(country.Alpha3), country);
        foreach (var country in byCode.Values) byKey.TryAdd(Key(country.Name), country);
        foreach (var (name, code) in Aliases)
        {
            if (byCode.TryGetValue(code, out var country)) byKey.TryAdd(Key(name), country);
        }
        foreach (var (code, name) in nativeNames)
        {
            if (byCode.TryGetValue(code, out var country)) byKey.TryAdd(Key(name), country);
        }
        return byKey.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>One country's codes and English short name.</summary>
    private sealed record Country(string Alpha2, string Alpha3, string Name);
}
