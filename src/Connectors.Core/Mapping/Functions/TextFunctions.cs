using System.Globalization;
using Connectors.Core.Mapping.Expressions;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Mapping.Functions;

/// <summary>Text: <c>trim</c>, <c>lower</c>, <c>upper</c>, <c>title</c>, <c>empty_as_null</c>, <c>truncate(n)</c>, <c>replace(old, new)</c>.</summary>
internal static class TextFunctions
{
    /// <summary>The family's functions.</summary>
    public static IEnumerable<FunctionDefinition> All =>
    [
        FunctionDefinition.OnText("trim", s => s.Trim()),
        FunctionDefinition.OnText("lower", s => s.ToLowerInvariant()),
        FunctionDefinition.OnText("upper", s => s.ToUpperInvariant()),
        // Lower-casing first makes "JOHN SMITH" and "john smith" both "John Smith"; ToTitleCase alone
        // leaves all-caps words alone as acronyms.
        FunctionDefinition.OnText("title", s => CultureInfo.InvariantCulture.TextInfo.ToTitleCase(s.ToLowerInvariant())),
        new("empty_as_null", 0, 0, "empty_as_null", _ => (JToken? input, in Scope _) =>
            input is JValue { Type: JTokenType.String, Value: string s } && string.IsNullOrWhiteSpace(s) ? null : input),
        new("truncate", 1, 1, "truncate(length)", Truncate),
        new("replace", 2, 2, "replace(old, new)", Replace),
    ];

    private static FunctionBody Truncate(CallSite site)
    {
        var length = site.Integer(0, "length", 0, 1, int.MaxValue);
        return (JToken? input, in Scope _) =>
        {
            if (input is null) return null;
            var text = Values.Text(input, "truncate");
            if (text.Length <= length) return input;
            // Never cut a surrogate pair in half: the target would store a broken character.
            var cut = char.IsHighSurrogate(text[length - 1]) ? length - 1 : length;
            return new JValue(text[..cut]);
        };
    }

    private static FunctionBody Replace(CallSite site)
    {
        var old = site.Text(0, "text to replace");
        if (old.Length == 0) throw site.Error("the text to replace must not be empty.");
        var replacement = site.Text(1, "replacement");
        return (JToken? input, in Scope _) =>
            input is null ? null : new JValue(Values.Text(input, "replace").Replace(old, replacement, StringComparison.Ordinal));
    }
}
