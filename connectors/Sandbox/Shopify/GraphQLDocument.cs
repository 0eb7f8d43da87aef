using System.Globalization;
using System.Text;
using Newtonsoft.Json.Linq;

namespace Connectors.Sandbox.Shopify;

/// <summary>
/// Just enough of a GraphQL parser for the documents a connector sends: one query or mutation operation
/// (variable definitions and directives are skipped), fields with aliases and arguments, nested selections
/// and inline fragments, string and block-string values. Argument values are resolved against the
/// request's variables while parsing. Not supported (answered as errors): subscriptions, named fragments.
/// </summary>
internal sealed class GraphQLDocument
{
    private const string BlockQuote = "\"\"\"";

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

    /// <summary>A parsed operation: <c>query</c> (also the shorthand <c>{ … }</c>) or <c>mutation</c>, and its root selections.</summary>
    internal sealed record Operation(string Kind, IReadOnlyList<Selection> Selections);

    /// <summary>Parses <paramref name="text"/>, a query; returns its root selections, or throws <see cref="GraphQLException"/>.</summary>
    public static IReadOnlyList<Selection> Parse(string text, JObject? variables)
    {
        var operation = ParseOperation(text, variables);
        return operation.Kind == "query" ? operation.Selections : throw new GraphQLException($"Expected a query, not a {operation.Kind}.");
    }

    /// <summary>Parses <paramref name="text"/>, a query or a mutation, or throws <see cref="GraphQLException"/>.</summary>
    public static Operation ParseOperation(string text, JObject? variables) => new GraphQLDocument(text, variables ?? []).ParseOperation();

    private Operation ParseOperation()
    {
        SkipIgnored();
        var kind = "query";
        if (Peek() != '{')
        {
            kind = ReadName();
            if (kind is not ("query" or "mutation"))
            {
                throw new GraphQLException($"The sandbox answers query and mutation operations only, not '{kind}'.");
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
        return new Operation(kind, selections);
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
        if (_text.AsSpan(_at).StartsWith(BlockQuote, StringComparison.Ordinal)) return ReadBlockString();
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

    // A block string, as bulk queries are usually written: raw text (an escaped triple quote stands for itself),
    // the common indentation of its lines removed and blank first and last lines dropped (GraphQL spec, BlockStringValue).
    private string ReadBlockString()
    {
        _at += BlockQuote.Length;
        var raw = new StringBuilder();
        while (true)
        {
            if (_at >= _text.Length) throw Error("unterminated block string");
            if (_text.AsSpan(_at).StartsWith(BlockQuote, StringComparison.Ordinal))
            {
                _at += BlockQuote.Length;
                break;
            }
            if (_text[_at] == '\\' && _text.AsSpan(_at + 1).StartsWith(BlockQuote, StringComparison.Ordinal))
            {
                raw.Append(BlockQuote);
                _at += 1 + BlockQuote.Length;
                continue;
            }
            raw.Append(_text[_at++]);
        }
        var lines = raw.ToString().Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var indent = lines.Skip(1).Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart(' ', '\t').Length).DefaultIfEmpty(0).Min();
        for (var i = 1; i < lines.Length; i++) lines[i] = lines[i].Length >= indent ? lines[i][indent..] : "";
        var first = 0;
        var last = lines.Length - 1;
        while (first <= last && lines[first].Trim().Length == 0) first++;
        while (last >= first && lines[last].Trim().Length == 0) last--;
        return string.Join('\n', lines[first..(last + 1)]);
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
