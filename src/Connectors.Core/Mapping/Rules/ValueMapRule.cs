using System.Collections.Frozen;
using Connectors.Core.Mapping.Expressions;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Mapping.Rules;

/// <summary>
/// <c>value: …, map: {paid: Closed Won}, default: …</c>: translates a source value (a status, a picklist
/// entry) through a fixed table. A value the table does not list, or no value, gives the default, or no
/// value when there is none. Table values and the default are constants.
/// </summary>
/// <param name="input">The value to translate.</param>
/// <param name="table">Source value (as invariant text) to target value.</param>
/// <param name="fallback">The default, or <see langword="null"/>.</param>
internal sealed class ValueMapRule(Expr input, FrozenDictionary<string, JToken> table, JToken? fallback) : Expr
{
    /// <inheritdoc />
    public override JToken? Evaluate(in Scope scope)
    {
        var value = input.Evaluate(scope);
        if (value is null) return fallback;
        var key = Values.Scalar(value, "map");
        return table.TryGetValue(key, out var mapped) ? mapped : fallback;
    }

    /// <inheritdoc />
    public override void CollectLookups(in Scope scope, LookupIdSet ids) => input.CollectLookups(scope, ids);

    /// <inheritdoc />
    public override Shape Infer(ShapeScope scope)
    {
        var given = input.Infer(scope);
        if (given.Kind is Schema.FieldKind.List or Schema.FieldKind.Object)
        {
            scope.Problem($"map expects a single value but {given.Origin ?? "its input"} is {Shape.Describe(given.Kind.Value)}.");
        }
        var outputs = table.Values.Concat(fallback is null ? [] : [fallback]).Select(Shape.Constant).ToList();
        return Shape.Union(outputs);
    }
}
