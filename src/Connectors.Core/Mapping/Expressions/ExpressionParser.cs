using System.Globalization;
using System.Text;
using Connectors.Core.Mapping.Functions;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Mapping.Expressions;

/// <summary>
/// Parses a rule's expression text once, at compile time, into an <see cref="Expr"/> tree. Recursive
/// descent over the characters; the grammar, loosest binding first:
/// <code>
/// or         := and ('or' and)*
/// and        := not ('and' not)*
/// not        := 'not' not | comparison
/// comparison := coalesce (('==' | '!=' | '&lt;' | '&lt;=' | '&gt;' | '&gt;=') coalesce)?
/// coalesce   := pipeline ('??' pipeline)*
/// pipeline   := primary ('|' name ('(' args ')')?)*
/// primary    := path | 'text' | "template {expr}" | number | true | false | null | name '(' args ')' | '(' or ')'
/// path       := name ('.' name | '[' index ']' | '[' 'key' ']')*        ($ = current item, $root = record)
/// </code>
/// A rule with a <c>{</c> outside quotes is a bare template (<c>{first_name} {last_name} | trim</c>):
/// text with placeholders up to the first <c>|</c> outside braces, then pipes that apply to the whole.
/// </summary>
internal sealed class ExpressionParser
{
    private readonly string _text;
    private int _pos;

    private ExpressionParser(string text) => _text = text;

    /// <summary>Parses one rule's text.</summary>
    /// <exception cref="RuleFailure">The text is not an expression; the message names the position.</exception>
    public static Expr Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (string.IsNullOrWhiteSpace(text)) throw new RuleFailure("the rule is empty.");
        var parser = new ExpressionParser(text);
        try
        {
            return IsBareTemplate(text) ? parser.ParseBareTemplate() : parser.ParseWhole();
        }
        catch (RuleFailure failure) when (LooksLikeUnquotedText(text))
        {
            throw new RuleFailure($"{failure.Message} To write the text itself, quote it: '{text.Trim()}'.");
        }
    }

    private Expr ParseWhole()
    {
        var expression = ParseOr();
        SkipSpace();
        if (_pos < _text.Length) throw Unexpected();
        return expression;
    }

    private Expr ParseBareTemplate()
    {
        var expression = ParseTemplate(closingQuote: null);
        while (TryPipe())
        {
            expression = ParseStage(expression);
        }
        SkipSpace();
        if (_pos < _text.Length) throw Unexpected();
        return expression;
    }

    private Expr ParseOr()
    {
        var left = ParseAnd();
        while (TryKeyword("or")) left = new LogicalExpr(false, left, ParseAnd());
        return left;
    }

    private Expr ParseAnd()
    {
        var left = ParseNot();
        while (TryKeyword("and")) left = new LogicalExpr(true, left, ParseNot());
        return left;
    }

    private Expr ParseNot() => TryKeyword("not") ? new NotExpr(ParseNot()) : ParseComparison();

    private Expr ParseComparison()
    {
        var left = ParseCoalesce();
        SkipSpace();
        var symbol = Peek(0) switch
        {
            '=' when Peek(1) == '=' => "==",
            '!' when Peek(1) == '=' => "!=",
            '<' when Peek(1) == '=' => "<=",
            '>' when Peek(1) == '=' => ">=",
            '<' => "<",
            '>' => ">",
            '=' => throw Fail("'=' is not an operator; compare with '=='", _pos),
            _ => null,
        };
        if (symbol is null) return left;
        _pos += symbol.Length;
        var op = symbol switch
        {
            "==" => ComparisonOperator.Equal,
            "!=" => ComparisonOperator.NotEqual,
            "<=" => ComparisonOperator.LessOrEqual,
            ">=" => ComparisonOperator.GreaterOrEqual,
            "<" => ComparisonOperator.Less,
            _ => ComparisonOperator.Greater,
        };
        return new ComparisonExpr(op, symbol, left, ParseCoalesce());
    }

    private Expr ParseCoalesce()
    {
        var first = ParsePipeline();
        List<Expr>? options = null;
        while (true)
        {
            SkipSpace();
            if (Peek(0) != '?' || Peek(1) != '?') break;
            _pos += 2;
            (options ??= [first]).Add(ParsePipeline());
        }
        return options is null ? first : new CoalesceExpr([.. options]);
    }

    private Expr ParsePipeline()
    {
        var expression = ParsePrimary();
        while (TryPipe()) expression = ParseStage(expression);
        return expression;
    }

    private bool TryPipe()
    {
        SkipSpace();
        if (Peek(0) != '|') return false;
        if (Peek(1) == '|') throw Fail("'||' is not an operator; write 'or'", _pos);
        _pos++;
        return true;
    }

    private Expr ParseStage(Expr input)
    {
        SkipSpace();
        var start = _pos;
        var name = ReadName() ?? throw Fail("expected a function name after '|'", start);
        SkipSpace();
        var args = Peek(0) == '(' ? ParseArgs() : [];
        return Bind(name, start, input, args);
    }

    private Expr ParsePrimary()
    {
        SkipSpace();
        var start = _pos;
        var c = Peek(0);
        if (c == '(')
        {
            _pos++;
            var inner = ParseOr();
            Expect(')');
            return inner;
        }
        if (c == '\'') return new ConstantExpr(new JValue(ReadQuoted()));
        if (c == '"')
        {
            _pos++;
            return ParseTemplate(closingQuote: '"');
        }
        if (char.IsAsciiDigit(c) || (c == '-' && char.IsAsciiDigit(Peek(1)))) return ReadNumber();
        var name = ReadName();
        if (name is null)
        {
            if (_pos >= _text.Length) throw Fail("expected a value but the rule ends", _pos);
            throw Fail($"expected a value but found '{c}'", _pos);
        }
        switch (name)
        {
            case "true": return new ConstantExpr(Values.True);
            case "false": return new ConstantExpr(Values.False);
            case "null": return new ConstantExpr(null);
            case "and" or "or" or "not": throw Fail($"expected a value but found '{name}'", start);
        }
        SkipSpace();
        if (Peek(0) == '(')
        {
            var args = ParseArgs();
            if (args.Length == 0) throw Fail($"{name}() needs the value it applies to: write x | {name} or {name}(x)", start);
            return Bind(name, start, args[0], args[1..]);
        }
        return ParsePathRest(name);
    }

    private Expr ParsePathRest(string first)
    {
        var fromRoot = first == "$root";
        var steps = new List<PathStep>();
        if (first is not ("$" or "$root")) steps.Add(new PathStep(first, 0));
        while (true)
        {
            if (Peek(0) == '.')
            {
                _pos++;
                var name = ReadName() ?? throw Fail("expected a field name after '.'", _pos);
                steps.Add(new PathStep(name, 0));
            }
            else if (Peek(0) == '[')
            {
                _pos++;
                SkipSpace();
                if (Peek(0) == '\'')
                {
                    steps.Add(new PathStep(ReadQuoted(), 0));
                }
                else
                {
                    var start = _pos;
                    while (char.IsAsciiDigit(Peek(0))) _pos++;
                    if (start == _pos || !int.TryParse(_text.AsSpan(start, _pos - start), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                    {
                        throw Fail("expected an array index or a quoted field name after '['", start);
                    }
                    steps.Add(new PathStep(null, index));
                }
                SkipSpace();
                Expect(']');
            }
            else
            {
                return new PathExpr(fromRoot, [.. steps]);
            }
        }
    }

    private Expr[] ParseArgs()
    {
        Expect('(');
        SkipSpace();
        if (Peek(0) == ')')
        {
            _pos++;
            return [];
        }
        var args = new List<Expr>();
        while (true)
        {
            args.Add(ParseOr());
            SkipSpace();
            if (Peek(0) == ',')
            {
                _pos++;
                continue;
            }
            Expect(')');
            return [.. args];
        }
    }

    /// <summary>Text with <c>{expression}</c> placeholders; <c>{{</c> and <c>}}</c> are literal braces.</summary>
    private Expr ParseTemplate(char? closingQuote)
    {
        var opening = _pos - (closingQuote is null ? 0 : 1);
        var literals = new List<string>();
        var parts = new List<Expr>();
        var literal = new StringBuilder();
        while (true)
        {
            if (_pos >= _text.Length)
            {
                if (closingQuote is not null) throw Fail("the quoted text is not closed", opening);
                break;
            }
            var c = _text[_pos];
            if (closingQuote is not null && c == '\\' && Peek(1) is '"' or '\\')
            {
                literal.Append(_text[_pos + 1]);
                _pos += 2;
            }
            else if (c == closingQuote)
            {
                _pos++;
                break;
            }
            else if (closingQuote is null && c == '|')
            {
                break;
            }
            else if ((c == '{' || c == '}') && Peek(1) == c)
            {
                literal.Append(c);
                _pos += 2;
            }
            else if (c == '{')
            {
                var open = _pos++;
                literals.Add(literal.ToString());
                literal.Clear();
                parts.Add(ParseOr());
                SkipSpace();
                if (Peek(0) != '}') throw Fail("the placeholder opened here is not closed with '}'", open);
                _pos++;
            }
            else if (c == '}')
            {
                throw Fail("'}' closes no placeholder; write '}}' for a literal brace", _pos);
            }
            else
            {
                literal.Append(c);
                _pos++;
            }
        }
        literals.Add(literal.ToString());
        return parts.Count == 0 ? new ConstantExpr(new JValue(literals[0])) : new TemplateExpr([.. literals], [.. parts]);
    }

    private Expr Bind(string name, int position, Expr input, Expr[] args)
    {
        if (!FunctionLibrary.TryFind(name, out var function))
        {
            var suggestion = FunctionLibrary.Suggest(name);
            throw Fail(suggestion is null
                ? $"unknown function '{name}'; see the function list in the mapping README"
                : $"unknown function '{name}'; did you mean '{suggestion}'?", position);
        }
        if (args.Length < function.MinArgs || args.Length > function.MaxArgs)
        {
            var expected = function.MinArgs == function.MaxArgs ? $"{function.MinArgs}" : $"{function.MinArgs} to {function.MaxArgs}";
            throw Fail($"{name} takes {expected} argument(s) besides its input, as in {function.Usage}, but was given {args.Length}", position);
        }
        var site = new CallSite(name, args, message => Fail(message.TrimEnd('.'), position));
        return new CallExpr(input, function.Bind(site), name, args);
    }

    private string ReadQuoted()
    {
        var open = _pos++;
        var text = new StringBuilder();
        while (true)
        {
            if (_pos >= _text.Length) throw Fail("the quoted text is not closed", open);
            var c = _text[_pos++];
            if (c == '\\' && Peek(0) is '\'' or '\\')
            {
                text.Append(_text[_pos++]);
            }
            else if (c == '\'')
            {
                if (Peek(0) != '\'') return text.ToString();
                text.Append('\'');
                _pos++;
            }
            else
            {
                text.Append(c);
            }
        }
    }

    private ConstantExpr ReadNumber()
    {
        var start = _pos;
        if (Peek(0) == '-') _pos++;
        while (char.IsAsciiDigit(Peek(0))) _pos++;
        if (Peek(0) == '.' && char.IsAsciiDigit(Peek(1)))
        {
            _pos++;
            while (char.IsAsciiDigit(Peek(0))) _pos++;
        }
        if (!decimal.TryParse(_text.AsSpan(start, _pos - start), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            throw Fail("the number is out of range", start);
        }
        return new ConstantExpr(Values.Number(number));
    }

    private string? ReadName()
    {
        if (_pos >= _text.Length || !IsNameStart(_text[_pos])) return null;
        var start = _pos++;
        while (_pos < _text.Length && IsNamePart(_text[_pos])) _pos++;
        return _text[start.._pos];
    }

    private bool TryKeyword(string keyword)
    {
        SkipSpace();
        if (string.CompareOrdinal(_text, _pos, keyword, 0, keyword.Length) != 0) return false;
        var after = _pos + keyword.Length;
        if (after < _text.Length && IsNamePart(_text[after])) return false;
        _pos = after;
        return true;
    }

    private void Expect(char c)
    {
        SkipSpace();
        if (Peek(0) != c) throw Fail(_pos >= _text.Length ? $"expected '{c}' but the rule ends" : $"expected '{c}' but found '{_text[_pos]}'", _pos);
        _pos++;
    }

    private RuleFailure Unexpected() => Fail($"unexpected '{_text[_pos]}'", _pos);

    private RuleFailure Fail(string message, int position) =>
        new($"{message} (at position {position + 1} of {Values.Quote(_text)}).");

    private char Peek(int offset) => _pos + offset < _text.Length ? _text[_pos + offset] : '\0';

    private void SkipSpace()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos])) _pos++;
    }

    private static bool IsNameStart(char c) => char.IsLetter(c) || c is '_' or '$' or '@';

    private static bool IsNamePart(char c) => char.IsLetterOrDigit(c) || c is '_' or '$' or '@' or '-';

    /// <summary>
    /// Whether a <c>{</c> occurs outside quoted text. A quote opens text only where a value may start (not
    /// after a letter), so that the apostrophe in <c>O'Brien {x}</c> stays literal template text.
    /// </summary>
    private static bool IsBareTemplate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '{') return true;
            if (c is '\'' or '"' && (i == 0 || !char.IsLetterOrDigit(text[i - 1])))
            {
                for (i++; i < text.Length && text[i] != c; i++)
                {
                    if (text[i] == '\\') i++;
                }
            }
        }
        return false;
    }

    /// <summary>Whether a rule that failed to parse reads like a constant someone forgot to quote (<c>Web Shop</c>).</summary>
    private static bool LooksLikeUnquotedText(string text) =>
        text.Trim().Contains(' ', StringComparison.Ordinal) && text.AsSpan().IndexOfAny("|?=<>!(),'\"{}[]") < 0;
}
