using Newtonsoft.Json.Linq;

namespace Connectors.Core.Mapping.Expressions;

/// <summary>
/// A compiled path into the record (<c>default_address.city</c>, <c>addresses[0].zip</c>), resolved
/// by property and index steps without parsing at run time. A missing step yields no value.
/// </summary>
/// <param name="fromRoot">Starts at the record even inside <c>each</c> (<c>$root.…</c>).</param>
/// <param name="steps">The steps after the start.</param>
internal sealed class PathExpr(bool fromRoot, PathStep[] steps) : Expr
{
    /// <inheritdoc />
    public override JToken? Evaluate(in Scope scope)
    {
        var current = fromRoot ? scope.Root : scope.Current;
        foreach (var step in steps)
        {
            if (step.Name is not null)
            {
                if (current is not JObject obj) return null;
                current = obj[step.Name];
            }
            else
            {
                if (current is not JArray array || step.Index >= array.Count) return null;
                current = array[step.Index];
            }
            if (current is null) return null;
        }
        return Values.Normalize(current);
    }

    /// <inheritdoc />
    public override Shape Infer(ShapeScope scope)
    {
        var origin = $"'{Text()}'";
        var current = fromRoot ? scope.Root : scope.Current;
        var walked = fromRoot ? "$root" : "";
        foreach (var step in steps)
        {
            // An undescribed level (an open object, a source without a schema) is not checked below.
            if (current is null) return Shape.Unknown with { Origin = origin };
            var at = walked.Length == 0 ? "the record" : $"'{walked}'";
            if (step.Name is not null)
            {
                if (current.Kind != Schema.FieldKind.Object)
                {
                    scope.Problem(current.Kind == Schema.FieldKind.List
                        ? $"{origin} reads field '{step.Name}' of {at}, which is a list: take one item ({walked}[0].{step.Name}) or map them all with each."
                        : $"{origin} reads field '{step.Name}' of {at}, which is {Shape.Describe(current.Kind)}, not an object.");
                    return Shape.Unknown with { Origin = origin };
                }
                if (current.Fields is null) return Shape.Unknown with { Origin = origin };
                var next = current.Field(step.Name);
                if (next is null)
                {
                    var known = current.Fields.Select(f => f.Name).ToList();
                    var suggestion = Functions.FunctionLibrary.Closest(step.Name, known);
                    scope.Problem(suggestion is not null
                        ? $"{origin}: {at} has no field '{step.Name}'; did you mean '{suggestion}'?"
                        : $"{origin}: {at} has no field '{step.Name}'; it has: {string.Join(", ", known)}.");
                    return Shape.Unknown with { Origin = origin };
                }
                current = next;
                walked = walked.Length == 0 ? step.Name : $"{walked}.{step.Name}";
            }
            else
            {
                if (current.Kind != Schema.FieldKind.List)
                {
                    scope.Problem($"{origin} takes item [{step.Index}] of {at}, which is {Shape.Describe(current.Kind)}, not a list.");
                    return Shape.Unknown with { Origin = origin };
                }
                current = current.Fields is not null
                    ? new Schema.FieldSchema($"{current.Name}[]", Schema.FieldKind.Object) { Fields = current.Fields }
                    : current.ItemKind is { } kind ? new Schema.FieldSchema($"{current.Name}[]", kind) : null;
                walked = $"{walked}[{step.Index}]";
            }
        }
        return current is null ? Shape.Unknown with { Origin = origin } : new Shape(current.Kind) { Origin = origin, Source = current };
    }

    /// <summary>The path as written (<c>$root.customer.id</c>, <c>addresses[0].zip</c>), for messages.</summary>
    private string Text()
    {
        var text = new System.Text.StringBuilder(fromRoot ? "$root" : steps.Length == 0 ? "$" : "");
        foreach (var step in steps)
        {
            if (step.Name is null) text.Append('[').Append(step.Index).Append(']');
            else text.Append(text.Length == 0 ? "" : ".").Append(step.Name);
        }
        return text.ToString();
    }
}
