using System.Globalization;
using System.Text;
using Newtonsoft.Json.Linq;

namespace Connectors.Sandbox.Shopify;

/// <summary>
/// Just enough of a GraphQL parser for the queries a connector sends: one query operation (variable
/// definitions and directives are skipped), fields with aliases and arguments, nested selections and
/// inline fragments. Argument values are resolved against the request's variables while parsing.
/// Not supported (answered as errors): mutations, subscriptions, named fragments, block strings.
/// </summary>
internal sealed class GraphQLDocument
{
    private readonly string _text;
    private readonly JObject _variables;
    private int _at;

    private GraphQLDocument(string text, JObject variables)
    {
        _text = text;
        _variables = variables;
    }

    /// <summary>A field or an inline fragment inside a selection set.</summary>
    internal abstract record Selection;

    /// <summary>A selected field: <c>alias: name(arguments) { selections }</c>.</summary>
    internal sealed record Field(string Alias, string Name, IReadOnlyDictionary<string, JToken> Arguments, IReadOnlyList<Selection> Selections)
        : Selection;

    /// <summary>An inline fragment: <c>... on Type { selections }</c>.</summary>
    internal sealed record InlineFragment(string TypeCondition, IReadOnlyList<Selection> Selections) : Selection;

    /// <summary>Parses <paramref name="text"/>; returns the operation's root selections, or throws <see cref="GraphQLException"/>.</summary>
    public static IReadOnlyList<Selection> Parse(string text, JObject? variables)
    {
        var document = new GraphQLDocument(text, variables ?? []);
        return document.ParseOperation();
    }

    private IReadOnlyList<Selection> ParseOperation()
    {
        SkipIgnored();
        if (Peek() != '{')
        {
            var keyword = ReadName();
            if (keyword != "query")
            {
                throw new GraphQLException($"The sandbox answers query operations only, not '{keyword}'.");
            }
            SkipIgnored();
            if (IsNameStart(Peek())) ReadName();
            SkipIgnored();
            if (Peek() == '(') SkipBalanced('(', ')');
            SkipDirectives();
        }
        var selections = ParseSelectionSet();
        SkipIgnored();
        if (_at < _text.Length)
        {
            throw Error("only one operation per document is supported");
        }
        return selections;
    }

    private List<Selection> ParseSelectionSet()
    {
        Expect('{');
        var selections = new List<Selection>();
        while (true)
        {
            SkipIgnored();
            if (Peek() == '}')
            {
                _at++;
                return selections;
            }
            if (Peek() == '\0') throw Error("unterminated selection set");
            if (_text.AsSpan(_at).StartsWith("...", StringComparison.Ordinal))
            {
                _at += 3;
                SkipIgnored();
                var on = ReadName();
                if (on != "on") throw Error($"named fragment '{on}' (only inline fragments are supported)");
                SkipIgnored();
                var type = ReadName();
                SkipDirectives();
                selections.Add(new InlineFragment(type, ParseSelectionSet()));
                continue;
            }
            selections.Add(ParseField());
        }
    }

    private Field ParseField()
    {
        var alias = ReadName();
        var name = alias;
        SkipIgnored();
        if (Peek() == ':')
        {
            _at++;
            SkipIgnored();
            name = ReadName();
            SkipIgnored();
        }
        var arguments = new Dictionary<string, JToken>(StringComparer.Ordinal);
        if (Peek() == '(')
        {
            _at++;
            while (true)
            {
                SkipIgnored();
                if (Peek() == ')')
                {
                    _at++;
                    break;
                }
                var argument = ReadName();
                SkipIgnored();
                Expect(':');
                arguments[argument] = ParseValue();
            }
        }
        SkipDirectives();
        SkipIgnored();
        var selections = Peek() == '{' ? ParseSelectionSet() : [];
        return new Field(alias, name, arguments, selections);
    }

    private JToken ParseValue()
    {
        SkipIgnored();
        var c = Peek();
        switch (c)
        {
            case '$':
                _at++;
                var variable = ReadName();
                return _variables.TryGetValue(variable, out var value) ? value : JValue.CreateNull();
            case '"':
                return new JValue(ReadString());
            case '[':
                _at++;
                var list = new JArray();
                while (true)
                {
                    SkipIgnored();
                    if (Peek() == ']')
                    {
                        _at++;
                        return list;
                    }
                    list.Add(ParseValue());
                }
            case '{':
                _at++;
                var obj = new JObject();
                while (true)
                {
                    SkipIgnored();
                    if (Peek() == '}')
                    {
                        _at++;
                        return obj;
                    }
                    var key = ReadName();
                    SkipIgnored();
                    Expect(':');
                    obj[key] = ParseValue();
                }
        }
        if (c == '-' || char.IsAsciiDigit(c))
        {
            var start = _at++;
            while (char.IsAsciiDigit(Peek()) || Peek() is '.' or 'e' or 'E' or '+' or '-') _at++;
            var number = _text[start.._at];
            return long.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole)
                ? new JValue(whole)
                : new JValue(double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture));
        }
        var word = ReadName();
        return word switch
        {
            "true" => new JValue(true),
            "false" => new JValue(false),
            "null" => JValue.CreateNull(),
            // Enum values are kept as their names.
            _ => new JValue(word),
        };
    }

    private string ReadString()
    {
        if (_text.AsSpan(_at).StartsWith("\"\"\"", StringComparison.Ordinal)) throw Error("block strings are not supported");
        _at++;
        var text = new StringBuilder();
        while (true)
        {
            var c = Peek();
            if (c is '\0' or '\n') throw Error("unterminated string");
            _at++;
            if (c == '"') return text.ToString();
            if (c != '\\')
            {
                text.Append(c);
                continue;
            }
            var escaped = Peek();
            _at++;
            switch (escaped)
            {
                case 'n': text.Append('\n'); break;
                case 't': text.Append('\t'); break;
                case 'r': text.Append('\r'); break;
                case 'b': text.Append('\b'); break;
                case 'f': text.Append('\f'); break;
                case 'u':
                    text.Append((char)int.Parse(_text.AsSpan(_at, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    _at += 4;
                    break;
                default: text.Append(escaped); break;
            }
        }
    }

    private void SkipDirectives()
    {
        SkipIgnored();
        while (Peek() == '@')
        {
            _at++;
            ReadName();
            SkipIgnored();
            if (Peek() == '(') SkipBalanced('(', ')');
            SkipIgnored();
        }
    }

    private void SkipBalanced(char open, char close)
    {
        var depth = 0;
        do
        {
            var c = Peek();
            if (c == '\0') throw Error($"unbalanced '{open}'");
            if (c == '"')
            {
                ReadString();
                continue;
            }
            if (c == open) depth++;
            else if (c == close) depth--;
            _at++;
        }
        while (depth > 0);
    }

    private string ReadName()
    {
        SkipIgnored();
        if (!IsNameStart(Peek())) throw Error("expected a name");
        var start = _at;
        while (IsNameStart(Peek()) || char.IsAsciiDigit(Peek())) _at++;
        return _text[start.._at];
    }

    private void Expect(char c)
    {
        SkipIgnored();
        if (Peek() != c) throw Error($"expected '{c}'");
        _at++;
    }

    // Whitespace, commas and comments are insignificant in GraphQL.
    private void SkipIgnored()
    {
        while (_at < _text.Length)
        {
            var c = _text[_at];
            if (c == '#')
            {
                while (_at < _text.Length && _text[_at] != '\n') _at++;
            }
            else if (char.IsWhiteSpace(c) || c == ',' || c == '\uFEFF')
            {
                _at++;
            }
            else
            {
                return;
            }
        }
    }

    private char Peek() => _at < _text.Length ? _text[_at] : '\0';

    private static bool IsNameStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private GraphQLException Error(string what)
    {
        var line = 1 + _text.AsSpan(0, Math.Min(_at, _text.Length)).Count('\n');
        var column = _at - _text.LastIndexOf('\n', Math.Max(0, Math.Min(_at, _text.Length) - 1));
        var near = _at < _text.Length ? _text[_at].ToString() : "end of document";
        return new GraphQLException($"Parse error on \"{near}\" at [{line}, {column}]: {what}");
    }
}
