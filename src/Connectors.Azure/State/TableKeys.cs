using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Connectors.Azure.State;

/// <summary>
/// Builds PartitionKey and RowKey values from names and vendor ids, which may hold any character.
/// The service forbids <c>/ \ # ?</c> and control characters in keys and limits them to 1 KiB.
/// </summary>
internal static class TableKeys
{
    // Well under 1 KiB even when every character takes two bytes.
    private const int MaxKeyLength = 400;

    // '%' and four hexadecimal digits.
    private const int EscapedLength = 5;

    /// <summary>The key <paramref name="prefix"/> + the escaped parts joined by <c>|</c>, or a hash when that would be too long.</summary>
    public static string Of(string prefix, params string[] parts)
    {
        // Measured first, so that the key is built in one string of its size: one is made for every ledger row.
        var length = prefix.Length + Math.Max(0, parts.Length - 1);
        foreach (var part in parts)
        {
            foreach (var c in part) length += NeedsEscape(c) ? EscapedLength : 1;
        }
        if (length <= MaxKeyLength)
        {
            // A part that needs no escaping is the key itself: nothing to copy.
            return parts is [var only] && prefix.Length == 0 && length == only.Length ? only : string.Create(length, (prefix, parts), Write);
        }
        // '~' is always escaped in natural keys, so a hashed key can never equal one.
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', parts)));
        return prefix + "~" + Convert.ToHexStringLower(hash);
    }

    private static void Write(Span<char> key, (string Prefix, string[] Parts) state)
    {
        state.Prefix.CopyTo(key);
        var at = state.Prefix.Length;
        for (var i = 0; i < state.Parts.Length; i++)
        {
            if (i > 0) key[at++] = '|';
            foreach (var c in state.Parts[i])
            {
                if (NeedsEscape(c))
                {
                    key[at++] = '%';
                    ((int)c).TryFormat(key[at..], out var written, "X4", CultureInfo.InvariantCulture);
                    at += written;
                }
                else
                {
                    key[at++] = c;
                }
            }
        }
    }

    private static bool NeedsEscape(char c) => c is '%' or '/' or '\\' or '#' or '?' or '|' or '~' || char.IsControl(c);
}
