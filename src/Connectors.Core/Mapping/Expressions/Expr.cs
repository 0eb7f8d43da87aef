using Newtonsoft.Json.Linq;

namespace Connectors.Core.Mapping.Expressions;

/// <summary>
/// A compiled rule or part of one. Evaluation returns <see langword="null"/> for "no value" (a missing
/// field or a JSON null) and never re-parses anything.
/// </summary>
internal abstract class Expr
{
    /// <summary>Computes the value against <paramref name="scope"/>.</summary>
    /// <exception cref="RuleFailure">The rule cannot produce a value from this record.</exception>
    public abstract JToken? Evaluate(in Scope scope);

    /// <summary>Adds the source ids that lookups below this rule will ask for; nothing for plain expressions.</summary>
    public virtual void CollectLookups(in Scope scope, LookupIdSet ids)
    {
    }

    /// <summary>
    /// What the rule yields as far as it can be known without a record, noting in <paramref name="scope"/>
    /// what cannot work (a text function on a list, a path the source does not have). For <c>validate</c>.
    /// </summary>
    public virtual Shape Infer(ShapeScope scope) => Shape.Unknown;

    /// <summary>Whether the value is known at compile time (a literal).</summary>
    public virtual bool IsConstant => false;
}
