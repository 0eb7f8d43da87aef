using System.Security.Cryptography;
using System.Text;

namespace Connectors.Core.Webhooks;

/// <summary>
/// The webhook signature most systems use: the base64 HMAC-SHA256 of the raw body, keyed with a shared
/// secret. Compared in constant time, and against the previous secret too whenever one is configured, so
/// that the time a check takes does not tell which secret matched.
/// </summary>
public static class HmacSha256Signature
{
    private const int Length = 32;

    /// <summary>The base64 signature of <paramref name="body"/> with <paramref name="key"/>.</summary>
    public static string Sign(ReadOnlySpan<byte> body, ReadOnlySpan<byte> key) => Convert.ToBase64String(HMACSHA256.HashData(key, body));

    /// <summary>Checks a presented base64 signature against the secrets.</summary>
    /// <param name="body">The request body exactly as received.</param>
    /// <param name="presented">The base64 signature from the delivery (any prefix already removed), or <see langword="null"/>.</param>
    /// <param name="secrets">The secrets the system signs with.</param>
    /// <param name="now">The time, for the previous secret's rotation window.</param>
    /// <param name="keyOf">Turns a secret into the HMAC key; its UTF-8 bytes when <see langword="null"/>.</param>
    public static SignatureCheck Check(ReadOnlySpan<byte> body, string? presented, WebhookSecrets secrets, DateTimeOffset now, Func<string, byte[]>? keyOf = null)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        if (string.IsNullOrWhiteSpace(presented)) return SignatureCheck.Missing;
        Span<byte> claimed = stackalloc byte[Length];
        if (!Convert.TryFromBase64String(presented.Trim(), claimed, out var claimedLength) || claimedLength != Length) return SignatureCheck.Malformed;
        keyOf ??= Encoding.UTF8.GetBytes;
        var matchesCurrent = Matches(body, keyOf(secrets.Current), claimed);
        var matchesPrevious = secrets.Previous is { } previous && Matches(body, keyOf(previous), claimed);
        if (matchesCurrent) return SignatureCheck.Valid;
        if (!matchesPrevious) return SignatureCheck.Mismatch;
        return secrets.PreviousValidUntil is { } until && now < until ? SignatureCheck.ValidWithPrevious : SignatureCheck.PreviousExpired;
    }

    /// <summary>The reason to give for a failed check, naming the header it was read from; <see langword="null"/> for a valid one.</summary>
    public static string? Reason(SignatureCheck check, string header) => check switch
    {
        SignatureCheck.Missing => $"The {header} header is missing.",
        SignatureCheck.Malformed => $"The {header} header is not a base64 HMAC-SHA256.",
        SignatureCheck.Mismatch => "The signature does not match the body.",
        SignatureCheck.PreviousExpired => "The delivery is signed with the previous secret, whose rotation window has ended.",
        _ => null,
    };

    private static bool Matches(ReadOnlySpan<byte> body, byte[] key, ReadOnlySpan<byte> claimed)
    {
        Span<byte> expected = stackalloc byte[Length];
        HMACSHA256.HashData(key, body, expected);
        return CryptographicOperations.FixedTimeEquals(expected, claimed);
    }
}
