using Newtonsoft.Json.Linq;

namespace Connectors.Core.Mapping.Expressions;

/// <summary>A literal: the same value for every record.</summary>
internal sealed class ConstantExpr : Expr
{
    private readonly JToken? _value;

    /// <summary>Creates the literal; JSON null becomes "no value".</summary>
    public ConstantExpr(JToken? value) => _value = Values.IsAbsent(value) ? null : Values.Share(value!);

    /// <summary>The literal, shared: payloads receive copies of it.</summary>
    public JToken? Value => _value;

    /// <inheritdoc />
    public override bool IsConstant => true;

    /// <inheritdoc />
    public override JToken? Evaluate(in Scope scope) => _value;

    /// <inheritdoc />
    public override Shape Infer(ShapeScope scope) => Shape.Constant(_value);
}
