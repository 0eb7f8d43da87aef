using Connectors.Core.Mapping.Expressions;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Mapping.Rules;

/// <summary>
/// <c>fields: {…}</c>: a nested object built field by field (a lookup object <c>{id: …}</c>, a subform row).
/// Fields without a value are left out, and an object with no field left is no value at all.
/// </summary>
/// <param name="names">The nested target fields, in config order.</param>
/// <param name="rules">Their compiled rules.</param>
internal sealed class ObjectRule(string[] names, Expr[] rules) : Expr
{
    /// <inheritdoc />
    public override JToken? Evaluate(in Scope scope)
    {
        JObject? result = null;
        for (var i = 0; i < rules.Length; i++)
        {
            JToken? value;
            try
            {
                value = rules[i].Evaluate(scope);
            }
            catch (RuleFailure failure)
            {
                throw failure.Within(names[i]);
            }
            if (value is null) continue;
            (result ??= new JObject()).Add(names[i], value);
        }
        return result;
    }

    /// <inheritdoc />
    public override void CollectLookups(in Scope scope, LookupIdSet ids)
    {
        foreach (var rule in rules) rule.CollectLookups(scope, ids);
    }

    /// <inheritdoc />
    public override Shape Infer(ShapeScope scope) => Shape.Of(Schema.FieldKind.Object) with
    {
        Members = [.. names.Select((name, i) => KeyValuePair.Create(name, rules[i].Infer(scope.Within(name))))],
    };
}
