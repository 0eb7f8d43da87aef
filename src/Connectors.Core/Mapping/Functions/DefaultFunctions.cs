using Connectors.Core.Mapping.Expressions;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Mapping.Functions;

/// <summary>
/// Fallbacks: <c>x | default(y)</c> and <c>coalesce(x, y, …)</c> give the first value that is not
/// missing, null or an empty string, like <c>x ?? y</c>. The fallbacks may be expressions.
/// </summary>
internal static class DefaultFunctions
{
    /// <summary>The family's functions.</summary>
    public static IEnumerable<FunctionDefinition> All =>
    [
        new("default", 1, 1, "default(fallback)", site => (JToken? input, in Scope scope) =>
            Values.IsBlank(input) ? site.Evaluate(0, scope) : input),
        new("coalesce", 1, 16, "coalesce(first, second, …)", site => (JToken? input, in Scope scope) =>
        {
            if (!Values.IsBlank(input)) return input;
            for (var i = 0; i < site.Count; i++)
            {
                var value = site.Evaluate(i, scope);
                if (!Values.IsBlank(value)) return value;
            }
            return null;
        }),
    ];
}
