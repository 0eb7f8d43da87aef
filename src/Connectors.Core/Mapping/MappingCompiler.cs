using System.Globalization;
using System.Text;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Mapping;

/// <summary>
/// Compiles mapping expressions once per flow. An expression is a source path
/// (<c>default_address.city</c>, <c>addresses[0].zip</c>), a quoted constant (<c>'Shop'</c>) or a
/// template (<c>{first_name} {last_name}</c>), followed by transforms after pipes
/// (<c>email | trim | lower</c>).
/// </summary>
public static class MappingCompiler
{
    private static readonly Dictionary<string, Func<JToken?, JToken?>> Transforms = new(StringComparer.Ordinal)
    {
        ["trim"] = v => Text(v, s => s.Trim()),
        ["lower"] = v => Text(v, s => s.ToLowerInvariant()),
        ["upper"] = v => Text(v, s => s.ToUpperInvariant()),
        ["empty_as_null"] = v => v is JValue { Type: JTokenType.String } s && string.IsNullOrWhiteSpace((string?)s) ? null : v,
    };

    /// <summary>Compiles target-field → expression pairs, in order.</summary>
    /// <exception cref="MappingException">An expression is malformed; names the target field.</exception>
    public static FieldMapping Compile(IEnumerable<KeyValuePair<string, string>> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return new FieldMapping(fields.Select(f => new FieldRule(f.Key, f.Value, CompileExpression(f.Key, f.Value))));
    }

    private static Func<JObject, JToken?> CompileExpression(string target, string expression)
    {
        var parts = expression.Split('|', StringSplitOptions.TrimEntries);
        if (parts[0].Length == 0) throw new MappingException(target, "the expression is empty.");
        var value = CompileValue(target, parts[0]);
        foreach (var name in parts.Skip(1))
        {
            if (!Transforms.TryGetValue(name, out var transform))
            {
                throw new MappingException(target, $"unknown transform '{name}'; known: {string.Join(", ", Transforms.Keys)}.");
            }
            var inner = value;
            value = source => transform(inner(source));
        }
        return value;
    }

    private static Func<JObject, JToken?> CompileValue(string target, string text)
    {
        if (text.Length >= 2 && text[0] == '\'' && text[^1] == '\'')
        {
            var constant = new JValue(text[1..^1]);
            return _ => constant;
        }
        if (text.Contains('{', StringComparison.Ordinal)) return CompileTemplate(target, text);
        var path = JsonPath.Parse(target, text);
        return path.Select;
    }

    private static Func<JObject, JToken?> CompileTemplate(string target, string template)
    {
        var literals = new List<string>();
        var paths = new List<JsonPath>();
        var rest = template.AsSpan();
        while (true)
        {
            var open = rest.IndexOf('{');
            if (open < 0) { literals.Add(rest.ToString()); break; }
            var close = rest[open..].IndexOf('}');
            if (close < 0) throw new MappingException(target, $"template '{template}' has an unclosed '{{'.");
            literals.Add(rest[..open].ToString());
            paths.Add(JsonPath.Parse(target, rest.Slice(open + 1, close - 1).Trim().ToString()));
            rest = rest[(open + close + 1)..];
        }
        return source =>
        {
            var text = new StringBuilder();
            var any = false;
            for (var i = 0; i < paths.Count; i++)
            {
                text.Append(literals[i]);
                var value = paths[i].Select(source);
                if (value is null || value.Type == JTokenType.Null) continue;
                any = true;
                text.Append(Convert.ToString(((JValue)value).Value, CultureInfo.InvariantCulture));
            }
            text.Append(literals[^1]);
            // A template over fields that are all missing is "no value", not a string of separators.
            return any ? new JValue(text.ToString().Trim()) : null;
        };
    }

    private static JToken? Text(JToken? value, Func<string, string> change) =>
        value is JValue { Type: JTokenType.String } s ? new JValue(change((string)s!)) : value;
}
