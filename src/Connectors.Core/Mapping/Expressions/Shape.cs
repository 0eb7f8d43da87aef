using Connectors.Core.Schema;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Mapping.Expressions;

/// <summary>
/// What a compiled rule is known to yield before any record is read: the kind of value (when it can be
/// known), the source field it comes from, every literal it can take, and for objects and lists the
/// shape of their members. Used by <c>connectors validate</c>; never at run time.
/// </summary>
/// <param name="Kind">The kind of value, or <see langword="null"/> when it cannot be known statically.</param>
internal sealed record Shape(FieldKind? Kind)
{
    /// <summary>Nothing is known.</summary>
    public static Shape Unknown { get; } = new((FieldKind?)null);

    /// <summary>How to name the value in a message (<c>'tags'</c>), or <see langword="null"/> for "its input".</summary>
    public string? Origin { get; init; }

    /// <summary>The source field the value is read from, for paths and <c>each</c> below it.</summary>
    public FieldSchema? Source { get; init; }

    /// <summary>Every value the rule can give, when all of them are literals (a constant, a value map); otherwise <see langword="null"/>.</summary>
    public IReadOnlyList<JToken>? Constants { get; init; }

    /// <summary>For an object built field by field, its fields in order.</summary>
    public IReadOnlyList<KeyValuePair<string, Shape>>? Members { get; init; }

    /// <summary>For a list built with <c>each</c>, the shape of one item.</summary>
    public Shape? Item { get; init; }

    /// <summary>A value of a known kind.</summary>
    public static Shape Of(FieldKind kind) => new(kind);

    /// <summary>The shape of a literal.</summary>
    public static Shape Constant(JToken? value) => Values.IsAbsent(value)
        ? Unknown with { Constants = [] }
        : new Shape(KindOf(value!)) { Constants = [value!] };

    /// <summary>What one of several alternatives gives: their common kind, and their literals when all are literal.</summary>
    public static Shape Union(IReadOnlyList<Shape> options)
    {
        if (options.Count == 0) return Unknown;
        if (options.Count == 1) return options[0];
        // A branch that is only "no value" (no literal) does not change the kind of the others.
        var valued = options.Where(o => o.Kind is not null || o.Constants is not { Count: 0 }).ToList();
        var kinds = valued.Select(o => o.Kind).Distinct().ToList();
        return new Shape(kinds.Count == 1 ? kinds[0] : null)
        {
            Constants = options.All(o => o.Constants is not null) ? [.. options.SelectMany(o => o.Constants!)] : null,
            Members = valued.Select(o => o.Members).FirstOrDefault(m => m is not null),
            Item = valued.Select(o => o.Item).FirstOrDefault(i => i is not null),
        };
    }

    /// <summary>The kind of a JSON value.</summary>
    public static FieldKind? KindOf(JToken value) => value.Type switch
    {
        JTokenType.String or JTokenType.Guid or JTokenType.Uri => FieldKind.Text,
        JTokenType.Integer or JTokenType.Float => FieldKind.Number,
        JTokenType.Boolean => FieldKind.Boolean,
        JTokenType.Date => FieldKind.DateTime,
        JTokenType.Object => FieldKind.Object,
        JTokenType.Array => FieldKind.List,
        _ => null,
    };

    /// <summary>A kind in words, with its article: <c>text</c>, <c>a number</c>, <c>a list</c>.</summary>
    public static string Describe(FieldKind kind) => kind switch
    {
        FieldKind.Text => "text",
        FieldKind.Number => "a number",
        FieldKind.Boolean => "a boolean",
        FieldKind.Date => "a date",
        FieldKind.DateTime => "a date and time",
        FieldKind.Object => "an object",
        _ => "a list",
    };

    /// <summary>Whether the value is text to functions that read text (dates travel as ISO-8601 text).</summary>
    public static bool IsTextual(FieldKind kind) => kind is FieldKind.Text or FieldKind.Date or FieldKind.DateTime;
}
