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

    /// <summary>The key <paramref name="prefix"/> + the escaped parts joined by <c>|</c>, or a hash when that would be too long.</summary>
    public static string Of(string prefix, params string[] parts)
    {
        var key = new StringBuilder(prefix);
        for (var i = 0; i < parts.Length; i++)
        {
            if (i > 0) key.Append('|');
            Escape(parts[i], key);
        }
        if (key.Length <= MaxKeyLength) return key.ToString();
        // '~' is always escaped in natural keys, so a hashed key can never equal one.
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', parts)));
        return prefix + "~" + Convert.ToHexStringLower(hash);
    }

    private static void Escape(string value, StringBuilder into)
    {
        foreach (var c in value)
        {
            if (c is '%' or '/' or '\\' or '#' or '?' or '|' or '~' || char.IsControl(c))
            {
                into.Append('%').Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            else
            {
                into.Append(c);
            }
        }
    }
}
