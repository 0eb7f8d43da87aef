using Newtonsoft.Json.Linq;

namespace Connectors.Core.Mapping.Expressions;

/// <summary><c>not x</c>: true when <c>x</c> is not truthy.</summary>
/// <param name="operand">The negated expression.</param>
internal sealed class NotExpr(Expr operand) : Expr
{
    /// <inheritdoc />
    public override JToken? Evaluate(in Scope scope) => Values.Bool(!Values.IsTruthy(operand.Evaluate(scope)));

    /// <inheritdoc />
    public override Shape Infer(ShapeScope scope)
    {
        operand.Infer(scope);
        return Shape.Of(Schema.FieldKind.Boolean);
    }
}
