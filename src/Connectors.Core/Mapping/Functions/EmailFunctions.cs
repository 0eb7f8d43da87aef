using System.Net.Mail;
using Connectors.Core.Mapping.Expressions;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Mapping.Functions;

/// <summary>
/// Email: <c>email</c> trims, drops a <c>mailto:</c> prefix and a display name (<c>Ann &lt;ann@x.com&gt;</c>),
/// and lower-cases the address, so that one customer is one address on every side. What is not an
/// address is left as it was, for an <c>email</c> validation rule to reject.
/// </summary>
internal static class EmailFunctions
{
    /// <summary>The family's functions.</summary>
    public static IEnumerable<FunctionDefinition> All =>
    [
        new("email", 0, 0, "email", _ => (JToken? input, in Scope _) =>
        {
            if (input is null) return null;
            var normalized = Normalize(Values.Text(input, "email"));
            return normalized is null ? input : new JValue(normalized);
        }),
    ];

    /// <summary>The normalized address, or <see langword="null"/> when the text is not an email address.</summary>
    public static string? Normalize(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase)) trimmed = trimmed[7..];
        return IsAddress(trimmed, out var address) ? address.ToLowerInvariant() : null;
    }

    /// <summary>Whether <paramref name="text"/> holds one address whose domain has a dot; <paramref name="address"/> is its bare form.</summary>
    public static bool IsAddress(string text, out string address)
    {
        address = "";
        if (!MailAddress.TryCreate(text, out var parsed)) return false;
        var host = parsed.Host;
        if (host.Length < 3 || !host.Contains('.', StringComparison.Ordinal) || host.StartsWith('.') || host.EndsWith('.')) return false;
        address = parsed.Address;
        return true;
    }
}
