using Newtonsoft.Json.Linq;

namespace Connectors.Core.Mapping.Expressions;

/// <summary><c>a and b</c>, <c>a or b</c>: a boolean, evaluating the right side only when it decides.</summary>
/// <param name="isAnd"><see langword="true"/> for <c>and</c>, <see langword="false"/> for <c>or</c>.</param>
/// <param name="left">The left operand.</param>
/// <param name="right">The right operand.</param>
internal sealed class LogicalExpr(bool isAnd, Expr left, Expr right) : Expr
{
    /// <inheritdoc />
    public override JToken? Evaluate(in Scope scope)
    {
        var first = Values.IsTruthy(left.Evaluate(scope));
        if (isAnd ? !first : first) return Values.Bool(first);
        return Values.Bool(Values.IsTruthy(right.Evaluate(scope)));
    }

    /// <inheritdoc />
    public override Shape Infer(ShapeScope scope)
    {
        left.Infer(scope);
        right.Infer(scope);
        return Shape.Of(Schema.FieldKind.Boolean);
    }
}
