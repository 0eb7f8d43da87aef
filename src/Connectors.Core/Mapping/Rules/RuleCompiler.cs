using System.Collections.Frozen;
using Connectors.Core.Mapping.Expressions;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Mapping.Rules;

/// <summary>
/// Compiles one rule as the config gives it (JSON) into an <see cref="Expr"/>: strings are expressions,
/// other scalars constants, objects one of the structured forms. Notes which flows lookups read.
/// </summary>
internal sealed class RuleCompiler(MappingOptions options)
{
    private static readonly string[] Forms = ["const", "when", "map", "each", "lookup", "script"];

    private readonly SortedSet<string> _lookupFlows = new(StringComparer.Ordinal);

    /// <summary>The flows whose links the compiled rules look up, sorted.</summary>
    public IReadOnlyCollection<string> LookupFlows => _lookupFlows;

    /// <summary>Compiles one rule.</summary>
    /// <exception cref="RuleFailure">The rule is malformed; nested failures carry their field path.</exception>
    public Expr Compile(JToken? rule) => rule switch
    {
        null => throw new RuleFailure("the rule is missing."),
        JValue { Type: JTokenType.String } text => ExpressionParser.Parse((string)text.Value!),
        JValue constant => new ConstantExpr(constant.DeepClone()),
        JObject form => CompileForm(form),
        _ => throw new RuleFailure("a rule is an expression, a constant or an object; write a literal array as {const: [...]}."),
    };

    private Expr CompileForm(JObject rule)
    {
        var present = Forms.Where(rule.ContainsKey).ToArray();
        if (present.Length > 1)
        {
            throw new RuleFailure($"a rule has one form, but this one has {string.Join(" and ", present)}; nest one inside the other.");
        }
        var form = present.Length == 1 ? present[0]
            : rule.ContainsKey("fields") ? "fields"
            : rule.ContainsKey("value") ? "value"
            : throw new RuleFailure("an object rule needs one of: value, const, when, map, each, fields, lookup, script.");
        switch (form)
        {
            case "const":
                Keys(rule, form, "const");
                return new ConstantExpr(rule["const"]!.DeepClone());
            case "value":
                Keys(rule, form, "value");
                return Compile(rule["value"]);
            case "when":
                Keys(rule, form, "when", "then", "else");
                return new ConditionalRule(
                    Expression(rule, "when"),
                    Compile(Required(rule, "then")),
                    rule["else"] is { } otherwise ? Compile(otherwise) : null);
            case "map":
                Keys(rule, form, "value", "map", "default", "ignore_case");
                return CompileMap(rule);
            case "each":
                Keys(rule, form, "each", "where", "fields", "value");
                return CompileEach(rule);
            case "fields":
                Keys(rule, form, "fields");
                return CompileFields(rule["fields"]);
            case "lookup":
                Keys(rule, form, "lookup");
                return CompileLookup(rule["lookup"]);
            default:
                Keys(rule, form, "script", "value");
                if (rule["script"] is not JValue { Type: JTokenType.String } code) throw new RuleFailure("script: the script must be text.");
                return ScriptRule.Compile((string)code.Value!, options.Scripts, rule["value"] is { } input ? Compile(input) : null);
        }
    }

    private ValueMapRule CompileMap(JObject rule)
    {
        var input = Compile(Required(rule, "value"));
        if (rule["map"] is not JObject table) throw new RuleFailure("map: 'map' must be an object of source value: target value.");
        var ignoreCase = Flag(rule, "ignore_case", "map");
        var entries = new Dictionary<string, JToken>(ignoreCase ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        foreach (var entry in table.Properties())
        {
            if (Values.IsAbsent(entry.Value)) throw new RuleFailure($"map: '{entry.Name}' maps to nothing; leave it out to use the default.");
            if (!entries.TryAdd(entry.Name, Values.Share(entry.Value.DeepClone())))
            {
                throw new RuleFailure($"map: '{entry.Name}' is listed twice when case is ignored.");
            }
        }
        var fallback = rule["default"] is { } given && !Values.IsAbsent(given) ? Values.Share(given.DeepClone()) : null;
        var comparer = ignoreCase ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
        return new ValueMapRule(input, entries.ToFrozenDictionary(comparer), fallback);
    }

    private EachRule CompileEach(JObject rule)
    {
        var source = Expression(rule, "each");
        var where = rule.ContainsKey("where") ? Expression(rule, "where") : null;
        var item = (rule["fields"], rule["value"]) switch
        {
            ({ } fields, null) => CompileFields(fields),
            (null, { } value) => Compile(value),
            _ => throw new RuleFailure("each: give the item either 'fields' (an object per item) or 'value' (a rule per item), not both or neither."),
        };
        return new EachRule(source, where, item);
    }

    private ObjectRule CompileFields(JToken? fields)
    {
        if (fields is not JObject nested || !nested.HasValues) throw new RuleFailure("fields: 'fields' must be an object of target field: rule.");
        var names = new List<string>();
        var rules = new List<Expr>();
        foreach (var field in nested.Properties())
        {
            if (string.IsNullOrWhiteSpace(field.Name)) throw new RuleFailure("fields: a nested target field has no name.");
            try
            {
                rules.Add(Compile(field.Value));
            }
            catch (RuleFailure failure)
            {
                throw failure.Within(field.Name);
            }
            names.Add(field.Name);
        }
        return new ObjectRule([.. names], [.. rules]);
    }

    private LookupRule CompileLookup(JToken? lookup)
    {
        if (lookup is not JObject spec) throw new RuleFailure("lookup: 'lookup' must be an object with 'flow' and 'id'.");
        Keys(spec, "lookup", "flow", "id", "required");
        if (spec["flow"] is not JValue { Type: JTokenType.String, Value: string { Length: > 0 } flow })
        {
            throw new RuleFailure("lookup: 'flow' must name the flow whose links to use.");
        }
        var required = Flag(spec, "required", "lookup");
        var id = Expression(spec, "id");
        _lookupFlows.Add(flow);
        return new LookupRule(flow, id, required);
    }

    private static Expr Expression(JObject rule, string key)
    {
        if (rule[key] is not JValue { Type: JTokenType.String } text) throw new RuleFailure($"'{key}' must be an expression written as text.");
        try
        {
            return ExpressionParser.Parse((string)text.Value!);
        }
        catch (RuleFailure failure)
        {
            throw new RuleFailure($"{key}: {failure.Message}");
        }
    }

    private static bool Flag(JObject rule, string key, string form)
    {
        if (rule[key] is null) return false;
        return Values.TryFlag(rule[key], out var flag) ? flag : throw new RuleFailure($"{form}: '{key}' must be true or false.");
    }

    private static JToken Required(JObject rule, string key) =>
        rule[key] ?? throw new RuleFailure($"the rule needs '{key}'.");

    private static void Keys(JObject rule, string form, params string[] allowed)
    {
        foreach (var property in rule.Properties())
        {
            if (!allowed.Contains(property.Name, StringComparer.Ordinal))
            {
                throw new RuleFailure($"'{property.Name}' is not part of a '{form}' rule, which takes {string.Join(", ", allowed)}.");
            }
        }
    }
}
