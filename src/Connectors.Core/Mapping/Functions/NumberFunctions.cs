using System.Collections.Frozen;
using System.Globalization;
using Connectors.Core.Mapping.Expressions;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Mapping.Functions;

/// <summary>
/// Numbers: <c>number(format, culture)</c> and <c>currency(code, culture)</c> format to text,
/// <c>round(digits)</c> rounds. Inputs are numbers or numeric strings in invariant notation (vendors
/// send prices as <c>"19.99"</c>); money is computed in decimal, never in binary floating point.
/// </summary>
internal static class NumberFunctions
{
    private static readonly Lazy<FrozenDictionary<string, CurrencyFacts>> Currencies = new(LoadCurrencies);

    /// <summary>The family's functions.</summary>
    public static IEnumerable<FunctionDefinition> All =>
    [
        new("number", 0, 2, "number(format = '0.##########', culture = 'invariant')", Number),
        new("currency", 1, 2, "currency(code, culture = 'invariant')", Currency),
        new("round", 0, 1, "round(digits = 0)", Round),
    ];

    private static FunctionBody Number(CallSite site)
    {
        var format = site.Text(0, "format", "0.##########");
        var culture = site.Culture(1);
        try
        {
            _ = 1234.5m.ToString(format, culture);
        }
        catch (FormatException)
        {
            throw site.Error($"'{format}' is not a .NET number format.");
        }
        return (JToken? input, in Scope _) => input is null ? null : new JValue(Read(input, "number").ToString(format, culture));
    }

    private static FunctionBody Currency(CallSite site)
    {
        var code = site.Text(0, "currency code").ToUpperInvariant();
        if (!Currencies.Value.TryGetValue(code, out var facts))
        {
            throw site.Error($"'{code}' is not an ISO 4217 currency code this system knows.");
        }
        var culture = site.Culture(1);
        var format = (NumberFormatInfo)culture.NumberFormat.Clone();
        format.CurrencyDecimalDigits = facts.Digits;
        if (culture.Equals(CultureInfo.InvariantCulture))
        {
            // Invariant output is for machines and mixed audiences: the ISO code, never a symbol
            // that means different currencies in different countries ($).
            format.CurrencySymbol = code;
            format.CurrencyPositivePattern = 2;
            format.CurrencyNegativePattern = 12;
        }
        else
        {
            format.CurrencySymbol = facts.SymbolFor(culture);
        }
        return (JToken? input, in Scope _) => input is null ? null : new JValue(Read(input, "currency").ToString("C", format));
    }

    private static FunctionBody Round(CallSite site)
    {
        var digits = site.Integer(0, "digits", 0, 0, 28);
        return (JToken? input, in Scope _) =>
            input is null ? null : Values.Number(Math.Round(Read(input, "round"), digits, MidpointRounding.AwayFromZero));
    }

    private static decimal Read(JToken input, string function)
    {
        if ((Values.IsNumber(input) || input.Type == JTokenType.String) && Values.TryNumber(input, out var number)) return number;
        throw Values.WrongType(function, "a number", input);
    }

    private static FrozenDictionary<string, CurrencyFacts> LoadCurrencies()
    {
        var facts = new Dictionary<string, CurrencyFacts>(StringComparer.Ordinal);
        foreach (var culture in CultureInfo.GetCultures(CultureTypes.SpecificCultures))
        {
            RegionInfo region;
            try
            {
                region = new RegionInfo(culture.Name);
            }
            catch (ArgumentException)
            {
                continue;
            }
            var code = region.ISOCurrencySymbol;
            if (code.Length != 3) continue;
            if (!facts.TryGetValue(code, out var entry))
            {
                entry = new CurrencyFacts(culture.NumberFormat.CurrencyDecimalDigits);
                facts.Add(code, entry);
            }
            entry.AddSymbol(culture.TwoLetterISOLanguageName, culture.NumberFormat.CurrencySymbol);
        }
        return facts.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>What the cultures of the countries that use a currency say about it.</summary>
    private sealed class CurrencyFacts(int digits)
    {
        private readonly Dictionary<string, string> _symbolByLanguage = new(StringComparer.Ordinal);

        public int Digits { get; } = digits;

        public void AddSymbol(string language, string symbol) => _symbolByLanguage.TryAdd(language, symbol);

        /// <summary>The symbol readers of <paramref name="culture"/> know the currency by, else the English one.</summary>
        public string SymbolFor(CultureInfo culture) =>
            _symbolByLanguage.GetValueOrDefault(culture.TwoLetterISOLanguageName)
            ?? _symbolByLanguage.GetValueOrDefault("en")
            ?? _symbolByLanguage.Values.First();
    }
}
