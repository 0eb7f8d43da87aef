using Newtonsoft.Json.Linq;

namespace Connectors.Core.Mapping.Expressions;

/// <summary>
/// A compiled path into the record (<c>default_address.city</c>, <c>addresses[0].zip</c>), resolved
/// by property and index steps without parsing at run time. A missing step yields no value.
/// </summary>
/// <param name="fromRoot">Starts at the record even inside <c>each</c> (<c>$root.…</c>).</param>
/// <param name="steps">The steps after the start.</param>
internal sealed class PathExpr(bool fromRoot, PathStep[] steps) : Expr
{
    /// <inheritdoc />
    public override JToken? Evaluate(in Scope scope)
    {
        var current = fromRoot ? scope.Root : scope.Current;
        foreach (var step in steps)
        {
            if (step.Name is not null)
            {
                if (current is not JObject obj) return null;
                current = obj[step.Name];
            }
            else
            {
                if (current is not JArray array || step.Index >= array.Count) return null;
                current = array[step.Index];
            }
            if (current is null) return null;
        }
        return Values.Normalize(current);
    }
}
