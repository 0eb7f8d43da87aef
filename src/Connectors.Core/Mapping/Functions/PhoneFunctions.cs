using Connectors.Core.Mapping.Expressions;
using Newtonsoft.Json.Linq;
using PhoneNumbers;

namespace Connectors.Core.Mapping.Functions;

/// <summary>
/// Phones: <c>phone(region)</c> normalizes to E.164 (<c>+493012345678</c>), reading numbers without a
/// country code as numbers of the default region. What is not a valid number is left as it was, so that a
/// <c>phone</c> validation rule can reject it with the value the customer typed.
/// </summary>
internal static class PhoneFunctions
{
    private static readonly PhoneNumberUtil Numbers = PhoneNumberUtil.GetInstance();

    /// <summary>The region libphonenumber uses for "none": numbers must then carry their own country code.</summary>
    private const string NoRegion = "ZZ";

    /// <summary>The family's functions.</summary>
    public static IEnumerable<FunctionDefinition> All =>
    [
        new("phone", 0, 1, "phone(default_region)", Phone),
    ];

    /// <summary>The E.164 form of a valid phone number, or <see langword="null"/> when the text is not one.</summary>
    public static string? ToE164(string text, string region)
    {
        try
        {
            var number = Numbers.Parse(text, region);
            return Numbers.IsValidNumber(number) ? Numbers.Format(number, PhoneNumberFormat.E164) : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    private static FunctionBody Phone(CallSite site)
    {
        var region = site.Text(0, "default region", NoRegion).ToUpperInvariant();
        if (region != NoRegion && !Numbers.GetSupportedRegions().Contains(region))
        {
            throw site.Error($"'{region}' is not a region with a phone numbering plan; use an ISO 3166 code such as 'DE'.");
        }
        return (JToken? input, in Scope _) =>
        {
            if (input is null) return null;
            var text = Values.IsNumber(input) ? Values.ScalarText(input) : Values.Text(input, "phone");
            var normalized = ToE164(text, region);
            return normalized is null ? input : new JValue(normalized);
        };
    }
}
