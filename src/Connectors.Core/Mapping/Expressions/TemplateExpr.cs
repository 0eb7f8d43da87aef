using System.Text;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Mapping.Expressions;

/// <summary>
/// Text with placeholders (<c>{first_name} {last_name}</c>). Placeholders without a value are left out
/// and the result is trimmed; a template whose placeholders all lack a value is "no value", not a string
/// of separators.
/// </summary>
/// <param name="literals">The text around the placeholders: one more than there are placeholders.</param>
/// <param name="parts">The placeholders' expressions.</param>
internal sealed class TemplateExpr(string[] literals, Expr[] parts) : Expr
{
    [ThreadStatic]
    private static StringBuilder? _cachedBuilder;

    /// <inheritdoc />
    public override JToken? Evaluate(in Scope scope)
    {
        var text = _cachedBuilder ?? new StringBuilder(64);
        _cachedBuilder = null;
        text.Clear();
        var any = parts.Length == 0;
        for (var i = 0; i < parts.Length; i++)
        {
            text.Append(literals[i]);
            var value = parts[i].Evaluate(scope);
            if (Values.IsAbsent(value)) continue;
            if (value is not JValue)
            {
                throw new RuleFailure($"a template placeholder expects a single value but got {Values.Describe(value)}.");
            }
            any = true;
            text.Append(Values.ScalarText(value));
        }
        text.Append(literals[^1]);
        var result = any ? Trimmed(text) : null;
        _cachedBuilder = text;
        return result is null ? null : new JValue(result);
    }

    /// <inheritdoc />
    public override Shape Infer(ShapeScope scope)
    {
        foreach (var part in parts)
        {
            var shape = part.Infer(scope);
            if (shape.Kind is Schema.FieldKind.List or Schema.FieldKind.Object)
            {
                scope.Problem($"a template placeholder expects a single value but {shape.Origin ?? "it"} is {Shape.Describe(shape.Kind.Value)}.");
            }
        }
        return Shape.Of(Schema.FieldKind.Text);
    }

    private static string Trimmed(StringBuilder text)
    {
        var start = 0;
        var end = text.Length;
        while (start < end && char.IsWhiteSpace(text[start])) start++;
        while (end > start && char.IsWhiteSpace(text[end - 1])) end--;
        return text.ToString(start, end - start);
    }
}
