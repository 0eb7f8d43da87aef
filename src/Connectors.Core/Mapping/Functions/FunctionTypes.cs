using Connectors.Core.Mapping.Expressions;
using Connectors.Core.Schema;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Mapping.Functions;

/// <summary>
/// What each function of the library accepts and gives, for static checks: a function applied to a value
/// whose kind is known and wrong (<c>tags | lower</c> on a list) is reported before any record is read,
/// with the same words the run would use. A function missing here is simply not checked.
/// </summary>
internal static class FunctionTypes
{
    private static readonly FieldKind[] Textual = [FieldKind.Text, FieldKind.Date, FieldKind.DateTime];
    private static readonly FieldKind[] Numeric = [FieldKind.Number, FieldKind.Text];
    private static readonly FieldKind[] Scalar = [FieldKind.Text, FieldKind.Number, FieldKind.Boolean, FieldKind.Date, FieldKind.DateTime];
    private static readonly FieldKind[] Lists = [FieldKind.List];

    /// <summary>The names of the functions this table types, to keep it complete (tested against <see cref="FunctionLibrary.Names"/>).</summary>
    public static IReadOnlyCollection<string> Typed { get; } =
    [
        "trim", "lower", "upper", "title", "truncate", "replace", "email", "parse_date", "country_code", "country_code3",
        "country_name", "split", "phone", "number", "currency", "round", "date", "first", "join", "sha256", "to_string",
        "to_number", "to_bool", "empty_as_null", "default", "coalesce",
    ];

    /// <summary>The shape <paramref name="name"/> gives for an input of shape <paramref name="input"/>, noting a wrong input kind in <paramref name="scope"/>.</summary>
    public static Shape Apply(string name, Shape input, IReadOnlyList<Expr> args, IReadOnlyList<Shape> given, ShapeScope scope)
    {
        switch (name)
        {
            case "trim" or "lower" or "upper" or "title" or "truncate" or "replace" or "email" or "country_code" or "country_code3" or "country_name":
                Expect(name, input, Textual, "text", scope);
                return Shape.Of(FieldKind.Text);
            case "parse_date":
                Expect(name, input, Textual, "text", scope);
                return Shape.Of(FieldKind.DateTime);
            case "split":
                Expect(name, input, Textual, "text", scope);
                return Shape.Of(FieldKind.List) with { Item = Shape.Of(FieldKind.Text) };
            case "phone":
                Expect(name, input, Numeric, "text or a number", scope);
                return Shape.Of(FieldKind.Text);
            case "number" or "currency":
                Expect(name, input, Numeric, "a number", scope);
                return Shape.Of(FieldKind.Text);
            case "round":
                Expect(name, input, Numeric, "a number", scope);
                return Shape.Of(FieldKind.Number);
            case "date":
                Expect(name, input, Textual, "an ISO-8601 date and time", scope);
                return args is [ConstantExpr { Value: JValue { Value: "unix" or "unix_ms" } }, ..] ? Shape.Of(FieldKind.Number) : Shape.Of(FieldKind.Text);
            case "first":
                Expect(name, input, Lists, "an array", scope);
                return input.Item ?? ItemOf(input);
            case "join":
                Expect(name, input, Lists, "an array", scope);
                return Shape.Of(FieldKind.Text);
            case "sha256" or "to_string":
                Expect(name, input, Scalar, "a single value", scope);
                return Shape.Of(FieldKind.Text);
            case "to_number":
                Expect(name, input, Scalar, "text or a number", scope);
                return Shape.Of(FieldKind.Number);
            case "to_bool":
                Expect(name, input, Scalar, "text, a number or a boolean", scope);
                return Shape.Of(FieldKind.Boolean);
            case "empty_as_null":
                return input;
            case "default" or "coalesce":
                return Shape.Union([input, .. given]);
            default:
                return Shape.Unknown;
        }
    }

    private static Shape ItemOf(Shape list) => list.Source switch
    {
        { Fields: { } fields } source => new Shape(FieldKind.Object) { Source = new FieldSchema($"{source.Name}[]", FieldKind.Object) { Fields = fields } },
        { ItemKind: { } kind } => Shape.Of(kind),
        _ => Shape.Unknown,
    };

    private static void Expect(string name, Shape input, FieldKind[] accepted, string expected, ShapeScope scope)
    {
        if (input.Kind is not { } kind || accepted.Contains(kind)) return;
        var what = input.Origin ?? "its input";
        var hint = kind switch
        {
            FieldKind.List when Textual.Contains(accepted[0]) || accepted[0] == FieldKind.Number =>
                $"; take one item with {input.Origin?.Trim('\'') ?? "x"} | first, or join them with | join(', ')",
            FieldKind.Number or FieldKind.Boolean when accepted[0] == FieldKind.Text => "; convert it first with | to_string",
            _ => "",
        };
        scope.Problem($"{name} expects {expected} but {what} is {Shape.Describe(kind)}{hint}.");
    }
}
