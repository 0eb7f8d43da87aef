using Newtonsoft.Json.Linq;

namespace Connectors.Core.Mapping.Expressions;

/// <summary>
/// <c>a == b</c>, <c>a &lt; b</c>, …: numbers compare as numbers (a numeric string against a number
/// too, since vendors send prices as strings), text compares ordinally, and a missing value equals only
/// another missing value and is neither less nor greater than anything.
/// </summary>
/// <param name="op">The operator.</param>
/// <param name="symbol">The operator as written, for messages.</param>
/// <param name="left">The left operand.</param>
/// <param name="right">The right operand.</param>
internal sealed class ComparisonExpr(ComparisonOperator op, string symbol, Expr left, Expr right) : Expr
{
    /// <inheritdoc />
    public override JToken? Evaluate(in Scope scope)
    {
        var a = left.Evaluate(scope);
        var b = right.Evaluate(scope);
        if (Values.IsAbsent(a) || Values.IsAbsent(b))
        {
            var bothAbsent = Values.IsAbsent(a) && Values.IsAbsent(b);
            return Values.Bool(op switch
            {
                ComparisonOperator.Equal => bothAbsent,
                ComparisonOperator.NotEqual => !bothAbsent,
                _ => false,
            });
        }
        if (Compare(a!, b!) is { } order)
        {
            return Values.Bool(op switch
            {
                ComparisonOperator.Equal => order == 0,
                ComparisonOperator.NotEqual => order != 0,
                ComparisonOperator.Less => order < 0,
                ComparisonOperator.LessOrEqual => order <= 0,
                ComparisonOperator.Greater => order > 0,
                _ => order >= 0,
            });
        }
        if (op is ComparisonOperator.Equal or ComparisonOperator.NotEqual)
        {
            var equal = JToken.DeepEquals(a, b);
            return Values.Bool(op == ComparisonOperator.Equal ? equal : !equal);
        }
        throw new RuleFailure($"'{symbol}' cannot order {Values.Describe(a)} against {Values.Describe(b)}.");
    }

    /// <inheritdoc />
    public override Shape Infer(ShapeScope scope)
    {
        left.Infer(scope);
        right.Infer(scope);
        return Shape.Of(Schema.FieldKind.Boolean);
    }

    private static int? Compare(JToken a, JToken b)
    {
        if ((Values.IsNumber(a) || Values.IsNumber(b)) && Values.TryNumber(a, out var x) && Values.TryNumber(b, out var y))
        {
            return x.CompareTo(y);
        }
        if (a is JValue && b is JValue && a.Type == b.Type && a.Type is JTokenType.String or JTokenType.Date or JTokenType.Guid or JTokenType.Uri)
        {
            return string.CompareOrdinal(Values.ScalarText(a), Values.ScalarText(b));
        }
        return null;
    }
}
