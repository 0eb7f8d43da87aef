using System.Globalization;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;

namespace Connectors.Sandbox.BusinessCentral;

/// <summary>
/// The part of OData v4 <c>$filter</c> the emulator understands: comparisons (<c>eq ne gt ge lt le</c>) of a
/// field with a literal, <c>field in (…)</c>, <c>and</c>, <c>or</c> and parentheses. Literals: quoted strings
/// (quotes doubled), unquoted date-times and GUIDs, numbers, <c>true</c>, <c>false</c>, <c>null</c>. Strings
/// compare case-insensitively, as on Business Central's SQL collation.
/// </summary>
internal sealed partial class ODataFilter
{
    private readonly List<string> _tokens;
    private int _next;

    private ODataFilter(List<string> tokens) => _tokens = tokens;

    /// <summary>Compiles a filter; throws <see cref="FormatException"/> with a readable reason when it cannot.</summary>
    public static Func<JObject, bool> Parse(string text)
    {
        var tokens = TokenPattern().Matches(text).Select(m => m.Value).ToList();
        var parser = new ODataFilter(tokens);
        var predicate = parser.Or();
        if (parser._next != tokens.Count)
        {
            throw new FormatException($"Syntax error at position {parser._next} in '{text}'.");
        }
        return predicate;
    }

    /// <summary>Compares a field's value with another for ordering; missing values first.</summary>
    public static int Compare(JToken? left, JToken? right)
    {
        var a = Scalar(left);
        var b = Scalar(right);
        if (a is null || b is null) return (a is null ? 0 : 1) - (b is null ? 0 : 1);
        if (a is string sa && b is string sb)
        {
            if (DateTimeOffset.TryParse(sa, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var da)
                && DateTimeOffset.TryParse(sb, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var db)
                && IsDateTime(sa) && IsDateTime(sb))
            {
                return da.CompareTo(db);
            }
            return string.Compare(sa, sb, StringComparison.OrdinalIgnoreCase);
        }
        if (IsNumber(a) && IsNumber(b)) return Convert.ToDecimal(a, CultureInfo.InvariantCulture).CompareTo(Convert.ToDecimal(b, CultureInfo.InvariantCulture));
        return string.Compare(Convert.ToString(a, CultureInfo.InvariantCulture), Convert.ToString(b, CultureInfo.InvariantCulture),
            StringComparison.OrdinalIgnoreCase);
    }

    private Func<JObject, bool> Or()
    {
        var left = And();
        while (Accept("or"))
        {
            var (l, r) = (left, And());
            left = e => l(e) || r(e);
        }
        return left;
    }

    private Func<JObject, bool> And()
    {
        var left = Term();
        while (Accept("and"))
        {
            var (l, r) = (left, Term());
            left = e => l(e) && r(e);
        }
        return left;
    }

    private Func<JObject, bool> Term()
    {
        if (Accept("("))
        {
            var inner = Or();
            Expect(")");
            return inner;
        }
        var field = Take();
        if (!IdentifierPattern().IsMatch(field)) throw new FormatException($"A property name was expected, found '{field}'.");
        var op = Take().ToLowerInvariant();
        if (op == "in")
        {
            Expect("(");
            var values = new List<object?> { Literal(Take()) };
            while (Accept(",")) values.Add(Literal(Take()));
            Expect(")");
            return e => values.Any(v => Matches(e[field], "eq", v));
        }
        if (op is not ("eq" or "ne" or "gt" or "ge" or "lt" or "le")) throw new FormatException($"The operator '{op}' is not supported.");
        var literal = Literal(Take());
        return e => Matches(e[field], op, literal);
    }

    private static bool Matches(JToken? field, string op, object? literal)
    {
        var value = Scalar(field);
        if (literal is null || value is null)
        {
            var same = literal is null && value is null;
            return op switch { "eq" => same, "ne" => !same, _ => false };
        }
        int? order = literal switch
        {
            DateTimeOffset when value is string s && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d)
                => d.CompareTo((DateTimeOffset)literal),
            Guid when value is string s && Guid.TryParse(s, out var g) => g.CompareTo((Guid)literal),
            decimal when IsNumber(value) => Convert.ToDecimal(value, CultureInfo.InvariantCulture).CompareTo((decimal)literal),
            bool when value is bool b => b.CompareTo((bool)literal),
            string text when value is string s => string.Compare(s, text, StringComparison.OrdinalIgnoreCase),
            _ => null,
        };
        if (order is not { } o) return op == "ne";
        return op switch
        {
            "eq" => o == 0,
            "ne" => o != 0,
            "gt" => o > 0,
            "ge" => o >= 0,
            "lt" => o < 0,
            _ => o <= 0,
        };
    }

    private static object? Literal(string token)
    {
        if (token.Length >= 2 && token[0] == '\'' && token[^1] == '\'') return token[1..^1].Replace("''", "'", StringComparison.Ordinal);
        if (token == "null") return null;
        if (token is "true" or "false") return token == "true";
        if (Guid.TryParseExact(token, "D", out var guid)) return guid;
        if (IsDateTime(token) && DateTimeOffset.TryParse(token, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var stamp)) return stamp;
        if (decimal.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)) return number;
        throw new FormatException($"'{token}' is not a literal this service understands.");
    }

    private static object? Scalar(JToken? token) => token is JValue { Value: var v } ? v : null;

    private static bool IsNumber(object value) => value is int or long or decimal or double or float;

    private static bool IsDateTime(string text) => DateTimePattern().IsMatch(text);

    private bool Accept(string token)
    {
        if (_next < _tokens.Count && string.Equals(_tokens[_next], token, StringComparison.OrdinalIgnoreCase))
        {
            _next++;
            return true;
        }
        return false;
    }

    private void Expect(string token)
    {
        if (!Accept(token)) throw new FormatException($"'{token}' was expected at position {_next}.");
    }

    private string Take() => _next < _tokens.Count ? _tokens[_next++] : throw new FormatException("The filter ends too early.");

    // A lone quote (an unterminated string) becomes a token of its own and fails as a literal.
    [GeneratedRegex(@"'(?:[^']|'')*'|[(),]|[^\s(),']+|'", RegexOptions.CultureInvariant)]
    private static partial Regex TokenPattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex IdentifierPattern();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex DateTimePattern();
}
