using Connectors.Core.Mapping.Expressions;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Mapping.Functions;

/// <summary>
/// Conversions: <c>to_number</c> (invariant notation, <c>"19.99"</c>), <c>to_string</c> (invariant text,
/// dates in ISO 8601), <c>to_bool</c> (<c>true/false</c>, <c>yes/no</c>, <c>y/n</c>, <c>on/off</c>, <c>1/0</c>).
/// A blank string converts to no value.
/// </summary>
internal static class ConversionFunctions
{
    /// <summary>The family's functions.</summary>
    public static IEnumerable<FunctionDefinition> All =>
    [
        new("to_number", 0, 0, "to_number", _ => (JToken? input, in Scope _) => ToNumber(input)),
        new("to_string", 0, 0, "to_string", _ => (JToken? input, in Scope _) =>
            input is null ? null : input.Type == JTokenType.String ? input : new JValue(Values.Scalar(input, "to_string"))),
        new("to_bool", 0, 0, "to_bool", _ => (JToken? input, in Scope _) => ToBool(input)),
    ];

    private static JToken? ToNumber(JToken? input)
    {
        if (input is null) return null;
        if (Values.IsNumber(input)) return input;
        switch (((input as JValue)?.Value))
        {
            case bool b:
                return new JValue(b ? 1L : 0L);
            case string s when string.IsNullOrWhiteSpace(s):
                return null;
            case string:
                if (Values.TryNumber(input, out var number)) return Values.Number(number);
                throw new RuleFailure($"to_number could not read {Values.Describe(input)} as a number.");
            default:
                throw Values.WrongType("to_number", "text or a number", input);
        }
    }

    private static JToken? ToBool(JToken? input)
    {
        if (input is null) return null;
        switch (((input as JValue)?.Value))
        {
            case bool:
                return input;
            case long l:
                return Values.Bool(l != 0);
            case double d:
                return Values.Bool(d != 0);
            case decimal m:
                return Values.Bool(m != 0);
            case string s:
                switch (s.Trim().ToLowerInvariant())
                {
                    case "": return null;
                    case "true" or "yes" or "y" or "on" or "1": return Values.True;
                    case "false" or "no" or "n" or "off" or "0": return Values.False;
                }
                throw new RuleFailure($"to_bool could not read {Values.Describe(input)} as true or false.");
            default:
                throw Values.WrongType("to_bool", "text, a number or a boolean", input);
        }
    }
}
