using Connectors.Core.Mapping.Expressions;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Mapping.Rules;

/// <summary>
/// <c>lookup: {flow: customers-to-crm, id: customer.id}</c>: the target id that another flow has linked
/// to a source id (the CRM contact an order's customer became). The links come from the
/// <see cref="MappingContext"/> the sync run loads per page. An id that is not linked yet gives no value,
/// or fails the record when the lookup is <c>required</c>, so that it is dead-lettered and replayed once
/// the other flow has run.
/// </summary>
/// <param name="flow">The flow whose links answer the lookup.</param>
/// <param name="id">The source id to look up.</param>
/// <param name="required">Whether a missing link fails the record.</param>
internal sealed class LookupRule(string flow, Expr id, bool required) : Expr
{
    /// <inheritdoc />
    public override JToken? Evaluate(in Scope scope)
    {
        var sourceId = Id(scope);
        if (sourceId is null) return null;
        var targetId = scope.Context.FindTarget(flow, sourceId);
        if (targetId is not null) return new JValue(targetId);
        if (!required) return null;
        throw new RuleFailure($"lookup: source id '{sourceId}' has no link in flow '{flow}' yet; run that flow first, then replay this record.");
    }

    /// <inheritdoc />
    public override void CollectLookups(in Scope scope, LookupIdSet ids)
    {
        if (Id(scope) is { } sourceId) ids.Add(flow, sourceId);
    }

    /// <inheritdoc />
    public override Shape Infer(ShapeScope scope)
    {
        id.Infer(scope);
        return Shape.Of(Schema.FieldKind.Text);
    }

    private string? Id(in Scope scope)
    {
        var value = id.Evaluate(scope);
        return value is null ? null : Values.Scalar(value, "lookup");
    }
}
