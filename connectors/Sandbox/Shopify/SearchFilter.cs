using System.Globalization;
using System.Text;

namespace Connectors.Sandbox.Shopify;

/// <summary>
/// The part of Shopify's search syntax the emulator understands for a connection's <c>query:</c>: terms
/// joined by whitespace or AND, each <c>field:value</c> with the comparators <c>: :&lt; :&gt; :&lt;= :&gt;=</c>,
/// on <c>updated_at</c>, <c>created_at</c> (date values must be quoted, as Shopify's syntax page says),
/// <c>id</c>, and the exact-match text fields of the node type (<c>email</c> for customers). Anything else
/// is refused so that a connector's mistake shows.
/// </summary>
internal sealed class SearchFilter<T> where T : IStoredNode
{
    private readonly List<Func<T, bool>> _terms;

    private SearchFilter(List<Func<T, bool>> terms) => _terms = terms;

    public bool Matches(T node) => _terms.TrueForAll(term => term(node));

    /// <summary>Parses <paramref name="query"/>; <paramref name="textFields"/> names the fields matched by equality, ignoring case.</summary>
    public static SearchFilter<T> Parse(string? query, IReadOnlyDictionary<string, Func<T, string?>> textFields)
    {
        var terms = new List<Func<T, bool>>();
        foreach (var text in Tokens(query ?? ""))
        {
            if (text == "AND") continue;
            if (text is "OR" or "NOT" || text.StartsWith('-'))
            {
                throw new GraphQLException($"The sandbox does not support '{text}' in search queries.");
            }
            terms.Add(Term(text, textFields));
        }
        return new SearchFilter<T>(terms);
    }

    private static Func<T, bool> Term(string text, IReadOnlyDictionary<string, Func<T, string?>> textFields)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0) throw new GraphQLException($"The sandbox does not support free-text search ('{text}').");
        var field = text[..colon];
        var rest = text[(colon + 1)..];
        var comparator = rest.StartsWith(">=", StringComparison.Ordinal) ? ">="
            : rest.StartsWith("<=", StringComparison.Ordinal) ? "<="
            : rest.StartsWith('>') ? ">"
            : rest.StartsWith('<') ? "<"
            : "";
        var (value, quoted) = Unquote(rest[comparator.Length..]);
        switch (field)
        {
            case "updated_at" or "created_at":
                if (!quoted) throw new GraphQLException($"Date values must be a string surrounded by quotes ('{text}').");
                if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var stamp))
                {
                    throw new GraphQLException($"'{value}' is not a date.");
                }
                return field == "updated_at"
                    ? node => Compare(node.UpdatedAt.CompareTo(stamp), comparator)
                    : node => Compare(node.CreatedAt.CompareTo(stamp), comparator);
            case "id":
                if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                {
                    throw new GraphQLException($"'{value}' is not a numeric id.");
                }
                return node => Compare(node.Id.CompareTo(id), comparator);
            default:
                if (comparator.Length == 0 && textFields.TryGetValue(field, out var read))
                {
                    return node => string.Equals(read(node), value, StringComparison.OrdinalIgnoreCase);
                }
                throw new GraphQLException($"The sandbox does not support the search term '{text}'.");
        }
    }

    private static bool Compare(int order, string comparator) => comparator switch
    {
        ">=" => order >= 0,
        "<=" => order <= 0,
        ">" => order > 0,
        "<" => order < 0,
        _ => order == 0,
    };

    private static (string Value, bool Quoted) Unquote(string value) =>
        value.Length >= 2 && value[0] is '\'' or '"' && value[^1] == value[0] ? (value[1..^1], true) : (value, false);

    // Splits on whitespace outside quotes.
    private static IEnumerable<string> Tokens(string query)
    {
        var token = new StringBuilder();
        char? quote = null;
        foreach (var c in query)
        {
            if (quote is { } open)
            {
                token.Append(c);
                if (c == open) quote = null;
            }
            else if (c is '\'' or '"')
            {
                token.Append(c);
                quote = c;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (token.Length > 0) yield return token.ToString();
                token.Clear();
            }
            else
            {
                token.Append(c);
            }
        }
        if (quote is not null) throw new GraphQLException("Unterminated quote in the search query.");
        if (token.Length > 0) yield return token.ToString();
    }
}
