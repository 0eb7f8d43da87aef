using Newtonsoft.Json.Linq;

namespace Connectors.Core.Mapping.Expressions;

/// <summary><c>a ?? b ?? 'n/a'</c>: the first option that has a value; missing, null and empty strings are passed over.</summary>
/// <param name="options">The options, in order.</param>
internal sealed class CoalesceExpr(Expr[] options) : Expr
{
    /// <inheritdoc />
    public override JToken? Evaluate(in Scope scope)
    {
        foreach (var option in options)
        {
            var value = option.Evaluate(scope);
            if (!Values.IsBlank(value)) return value;
        }
        return null;
    }

    /// <inheritdoc />
    public override Shape Infer(ShapeScope scope) => Shape.Union([.. options.Select(o => o.Infer(scope))]);
}
