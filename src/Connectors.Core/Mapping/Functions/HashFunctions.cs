using System.Security.Cryptography;
using System.Text;
using Connectors.Core.Mapping.Expressions;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Mapping.Functions;

/// <summary>Hashing: <c>sha256</c> gives the lower-case hex SHA-256 of a value's UTF-8 text (for pseudonymous keys).</summary>
internal static class HashFunctions
{
    /// <summary>The family's functions.</summary>
    public static IEnumerable<FunctionDefinition> All =>
    [
        new("sha256", 0, 0, "sha256", _ => (JToken? input, in Scope _) =>
        {
            if (input is null) return null;
            var text = Values.Scalar(input, "sha256");
            var length = Encoding.UTF8.GetMaxByteCount(text.Length);
            var bytes = length <= 1024 ? stackalloc byte[length] : new byte[length];
            var written = Encoding.UTF8.GetBytes(text, bytes);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(bytes[..written], hash);
            return new JValue(Convert.ToHexStringLower(hash));
        }),
    ];
}
