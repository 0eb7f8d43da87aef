using Connectors.Core.Mapping.Expressions;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Mapping.Rules;

/// <summary>
/// <c>each: line_items</c>: maps every item of a source array with a nested rule (order lines into a
/// subform), optionally keeping only the items a <c>where</c> condition holds for. Inside, paths start at
/// the item; <c>$root.…</c> reaches the record. A missing array is no value; an empty one stays empty.
/// </summary>
/// <param name="source">The array to map.</param>
/// <param name="where">Which items to keep, or <see langword="null"/> for all.</param>
/// <param name="item">The rule applied to each item.</param>
internal sealed class EachRule(Expr source, Expr? where, Expr item) : Expr
{
    /// <inheritdoc />
    public override JToken? Evaluate(in Scope scope)
    {
        if (Items(scope) is not { } array) return null;
        var result = new JArray();
        for (var i = 0; i < array.Count; i++)
        {
            if (!Keeps(scope, array[i], i, out var itemScope)) continue;
            JToken? value;
            try
            {
                value = item.Evaluate(itemScope);
            }
            catch (RuleFailure failure)
            {
                throw failure.Within($"[{i}]");
            }
            if (value is not null) result.Add(value);
        }
        return result;
    }

    /// <inheritdoc />
    public override void CollectLookups(in Scope scope, LookupIdSet ids)
    {
        if (Items(scope) is not { } array) return;
        for (var i = 0; i < array.Count; i++)
        {
            if (Keeps(scope, array[i], i, out var itemScope)) item.CollectLookups(itemScope, ids);
        }
    }

    /// <inheritdoc />
    public override Shape Infer(ShapeScope scope)
    {
        var list = source.Infer(scope);
        if (list.Kind is { } kind && kind != Schema.FieldKind.List)
        {
            scope.Problem($"each expects an array but {list.Origin ?? "its input"} is {Shape.Describe(kind)}.");
        }
        var itemScope = scope.WithCurrent(ItemOf(list.Source));
        where?.Infer(itemScope);
        return Shape.Of(Schema.FieldKind.List) with { Item = item.Infer(itemScope.Within("[]")) };
    }

    /// <summary>One item of a described source list, as a field of its own, so that paths inside <c>each</c> are checked.</summary>
    private static Schema.FieldSchema? ItemOf(Schema.FieldSchema? list)
    {
        if (list is not { Kind: Schema.FieldKind.List }) return null;
        if (list.Fields is not null) return new Schema.FieldSchema($"{list.Name}[]", Schema.FieldKind.Object) { Fields = list.Fields };
        return list.ItemKind is { } kind ? new Schema.FieldSchema($"{list.Name}[]", kind) : null;
    }

    private JArray? Items(in Scope scope)
    {
        var value = source.Evaluate(scope);
        if (value is null) return null;
        return value as JArray ?? throw Values.WrongType("each", "an array", value);
    }

    private bool Keeps(in Scope scope, JToken element, int index, out Scope itemScope)
    {
        itemScope = scope.WithCurrent(element);
        if (Values.IsAbsent(element)) return false;
        if (where is null) return true;
        try
        {
            return Values.IsTruthy(where.Evaluate(itemScope));
        }
        catch (RuleFailure failure)
        {
            throw failure.Within($"[{index}]");
        }
    }
}
