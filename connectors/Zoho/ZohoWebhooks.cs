using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Connectors.Zoho;

/// <summary>
/// Verifies and reads the notifications Zoho POSTs to a watch channel's <c>notify_url</c>. Zoho signs
/// nothing: it echoes the token we set on the channel, so a notification is genuine when its
/// <c>channel_id</c> is one of ours and its <c>token</c> equals that channel's token (compared in
/// constant time). A notification carries record ids only; read the records afterwards
/// (shared reference zoho-crm.md §7.1).
/// </summary>
public sealed class ZohoWebhooks
{
    private readonly Dictionary<string, byte[]> _tokenHashes;

    /// <summary>Creates a verifier for the given channels.</summary>
    /// <param name="channels">Channel id → the verification token set when the channel was created.</param>
    public ZohoWebhooks(IReadOnlyDictionary<string, string> channels)
    {
        ArgumentNullException.ThrowIfNull(channels);
        // Hashes have equal lengths, so the comparison does not even leak the token's length.
        _tokenHashes = channels.ToDictionary(c => c.Key, c => SHA256.HashData(Encoding.UTF8.GetBytes(c.Value)), StringComparer.Ordinal);
    }

    /// <summary>
    /// Checks a notification body. On success <paramref name="notification"/> holds the module, the
    /// operation and the record ids; otherwise <paramref name="rejection"/> says why (never echoing the
    /// token), and the caller should answer 401 without acting on it.
    /// </summary>
    /// <param name="body">The raw request body.</param>
    /// <param name="notification">The verified notification.</param>
    /// <param name="rejection">Why the notification was refused.</param>
    public bool TryVerify(string body, [NotNullWhen(true)] out ZohoNotification? notification, [NotNullWhen(false)] out string? rejection)
    {
        notification = null;
        ZohoNotification? parsed;
        try
        {
            parsed = ZohoJson.Parse(body ?? "").ToObject<ZohoNotification>();
        }
        catch (JsonException)
        {
            rejection = "The body is not a Zoho notification (not JSON).";
            return false;
        }
        if (parsed?.ChannelId is not { Length: > 0 } channelId)
        {
            rejection = "The notification has no channel_id.";
            return false;
        }
        if (!_tokenHashes.TryGetValue(channelId, out var expected))
        {
            rejection = "The notification is for a channel this system did not create.";
            return false;
        }
        if (parsed.Token is null)
        {
            rejection = "The notification carries no token.";
            return false;
        }
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(parsed.Token));
        if (!CryptographicOperations.FixedTimeEquals(presented, expected))
        {
            rejection = "The notification's token does not match its channel.";
            return false;
        }
        if (string.IsNullOrEmpty(parsed.Module) || string.IsNullOrEmpty(parsed.Operation))
        {
            rejection = "The notification names no module or operation.";
            return false;
        }
        parsed.Token = null;
        notification = parsed;
        rejection = null;
        return true;
    }
}
