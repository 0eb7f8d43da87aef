using Connectors.Core.Mapping.Expressions;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Mapping.Functions;

/// <summary>Lists: <c>split(separator)</c>, <c>join(separator)</c>, <c>first</c>.</summary>
internal static class ListFunctions
{
    /// <summary>The family's functions.</summary>
    public static IEnumerable<FunctionDefinition> All =>
    [
        new("split", 0, 1, "split(separator = ',')", Split),
        new("join", 0, 1, "join(separator = ', ')", Join),
        new("first", 0, 0, "first", _ => (JToken? input, in Scope _) =>
        {
            if (input is null) return null;
            if (input is not JArray array) throw Values.WrongType("first", "an array", input);
            foreach (var item in array)
            {
                if (!Values.IsAbsent(item)) return item;
            }
            return null;
        }),
    ];

    private static FunctionBody Split(CallSite site)
    {
        var separator = site.Text(0, "separator", ",");
        if (separator.Length == 0) throw site.Error("the separator must not be empty.");
        return (JToken? input, in Scope _) =>
        {
            if (input is null) return null;
            var parts = Values.Text(input, "split").Split(separator, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var array = new JArray();
            foreach (var part in parts) array.Add(part);
            return array;
        };
    }

    private static FunctionBody Join(CallSite site)
    {
        var separator = site.Text(0, "separator", ", ");
        return (JToken? input, in Scope _) =>
        {
            if (input is null) return null;
            if (input is not JArray array) throw Values.WrongType("join", "an array", input);
            var parts = new List<string>(array.Count);
            foreach (var item in array)
            {
                if (Values.IsAbsent(item)) continue;
                var text = Values.Scalar(item, "join");
                if (text.Length > 0) parts.Add(text);
            }
            return parts.Count == 0 ? null : new JValue(string.Join(separator, parts));
        };
    }
}
