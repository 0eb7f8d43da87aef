using Connectors.Core.Mapping.Expressions;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Mapping.Rules;

/// <summary><c>when: …, then: …, else: …</c>: one rule or the other, by a condition; no <c>else</c> means no value.</summary>
/// <param name="condition">The condition, judged truthy or not.</param>
/// <param name="then">The rule when it holds.</param>
/// <param name="otherwise">The rule when it does not, or <see langword="null"/>.</param>
internal sealed class ConditionalRule(Expr condition, Expr then, Expr? otherwise) : Expr
{
    /// <inheritdoc />
    public override JToken? Evaluate(in Scope scope) =>
        Values.IsTruthy(condition.Evaluate(scope)) ? then.Evaluate(scope) : otherwise?.Evaluate(scope);

    /// <inheritdoc />
    public override void CollectLookups(in Scope scope, LookupIdSet ids)
    {
        if (Values.IsTruthy(condition.Evaluate(scope))) then.CollectLookups(scope, ids);
        else otherwise?.CollectLookups(scope, ids);
    }

    /// <inheritdoc />
    public override Shape Infer(ShapeScope scope)
    {
        condition.Infer(scope);
        var branches = new List<Shape> { then.Infer(scope) };
        if (otherwise is not null) branches.Add(otherwise.Infer(scope));
        return Shape.Union(branches);
    }
}
