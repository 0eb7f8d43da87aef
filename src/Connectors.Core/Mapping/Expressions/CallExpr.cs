using Connectors.Core.Mapping.Functions;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Mapping.Expressions;

/// <summary>A function applied to a value: <c>x | lower</c> or <c>lower(x)</c>, bound to its arguments at compile time.</summary>
/// <param name="input">What the function is applied to.</param>
/// <param name="body">The bound function.</param>
internal sealed class CallExpr(Expr input, FunctionBody body) : Expr
{
    /// <inheritdoc />
    public override JToken? Evaluate(in Scope scope) => body(input.Evaluate(scope), scope);
}
