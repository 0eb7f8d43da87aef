using Connectors.Core.Mapping.Functions;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Mapping.Expressions;

/// <summary>A function applied to a value: <c>x | lower</c> or <c>lower(x)</c>, bound to its arguments at compile time.</summary>
/// <param name="input">What the function is applied to.</param>
/// <param name="body">The bound function.</param>
/// <param name="name">The function's name, for static checks.</param>
/// <param name="args">The arguments after the input, for static checks.</param>
internal sealed class CallExpr(Expr input, FunctionBody body, string name, Expr[] args) : Expr
{
    /// <inheritdoc />
    public override JToken? Evaluate(in Scope scope) => body(input.Evaluate(scope), scope);

    /// <inheritdoc />
    public override Shape Infer(ShapeScope scope)
    {
        var shape = input.Infer(scope);
        var given = args.Select(a => a.Infer(scope)).ToArray();
        return FunctionTypes.Apply(name, shape, args, given, scope);
    }
}
