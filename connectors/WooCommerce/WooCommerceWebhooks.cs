using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Text.Json;

using Connectors.Core.Webhooks;

namespace Connectors.WooCommerce;

/// <summary>
/// Verifies and reads WooCommerce webhook deliveries (WooCommerce's <c>WC_Webhook::deliver</c> and
/// <c>generate_signature</c>): <c>X-WC-Webhook-Signature</c> is the base64 HMAC-SHA256 of the exact body, keyed with the
/// webhook's secret after <c>wp_specialchars_decode(secret, ENT_QUOTES)</c>, compared here in constant time over the raw
/// bytes before any JSON parsing; the previous secret is accepted until its rotation window ends. The unsigned ping a
/// new webhook sends (form body <c>webhook_id={id}</c>) is recognised as such. Header names are matched
/// case-insensitively. WooCommerce sends no delivery timestamp, so there is nothing to judge staleness by.
/// </summary>
public sealed partial class WooCommerceWebhooks
{
    /// <summary>The signature header.</summary>
    public const string SignatureHeader = "X-WC-Webhook-Signature";

    /// <summary>The topic header, for example <c>customer.updated</c>.</summary>
    public const string TopicHeader = "X-WC-Webhook-Topic";

    /// <summary>The resource header, for example <c>customer</c>.</summary>
    public const string ResourceHeader = "X-WC-Webhook-Resource";

    /// <summary>The event header, for example <c>updated</c>.</summary>
    public const string EventHeader = "X-WC-Webhook-Event";

    /// <summary>The id of the store's webhook that sent the delivery.</summary>
    public const string WebhookIdHeader = "X-WC-Webhook-ID";

    /// <summary>The delivery's id: unique per webhook and second, not per event.</summary>
    public const string DeliveryIdHeader = "X-WC-Webhook-Delivery-ID";

    /// <summary>The store's home URL.</summary>
    public const string SourceHeader = "X-WC-Webhook-Source";

    // wp_specialchars_decode( $text, ENT_QUOTES ): the quote, ampersand and angle-bracket entities, named, decimal
    // (zero padding allowed) and hexadecimal (any case of x and zero padding), in one left-to-right pass like strtr.
    private static readonly Dictionary<string, string> EntityValues = new(StringComparer.Ordinal)
    {
        ["#39"] = "'", ["#x27"] = "'", ["quot"] = "\"", ["#34"] = "\"", ["#x22"] = "\"",
        ["lt"] = "<", ["#60"] = "<", ["gt"] = ">", ["#62"] = ">", ["amp"] = "&", ["#38"] = "&", ["#x26"] = "&",
    };

    private readonly WebhookSecrets _secrets;
    private readonly TimeProvider _clock;

    /// <summary>Creates a verifier for one store's webhook secrets.</summary>
    public WooCommerceWebhooks(WebhookSecrets secrets, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(clock);
        _secrets = secrets;
        _clock = clock;
    }

    /// <summary>
    /// The signature WooCommerce sends for <paramref name="body"/> from a webhook whose secret is <paramref name="secret"/>:
    /// <c>base64(HMAC-SHA256(body, wp_specialchars_decode(secret, ENT_QUOTES)))</c>.
    /// </summary>
    public static string Sign(ReadOnlySpan<byte> body, string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        return HmacSha256Signature.Sign(body, SigningKeyOf(secret));
    }

    /// <summary>
    /// Whether <paramref name="body"/> is the ping WooCommerce sends when a webhook is saved: exactly
    /// <c>webhook_id=</c> and the webhook's numeric id.
    /// </summary>
    public static bool IsPing(ReadOnlySpan<byte> body, out string webhookId)
    {
        ReadOnlySpan<byte> prefix = "webhook_id="u8;
        webhookId = "";
        if (!body.StartsWith(prefix) || body.Length == prefix.Length || body.Length > prefix.Length + 20) return false;
        var digits = body[prefix.Length..];
        foreach (var b in digits)
        {
            if (b is < (byte)'0' or > (byte)'9') return false;
        }
        webhookId = Encoding.ASCII.GetString(digits);
        return true;
    }

    /// <summary>Verifies a delivery and, if it is genuine, reads its headers and the record id and stamp from its body.</summary>
    /// <param name="body">The request body exactly as received, before any parsing.</param>
    /// <param name="headers">The request headers, in any letter case.</param>
    public WooCommerceWebhookVerification Verify(ReadOnlySpan<byte> body, IEnumerable<KeyValuePair<string, string>> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        // WooCommerce sends the ping unsigned; it asks for nothing but a 200, so nothing of it needs trusting.
        if (IsPing(body, out var pinged))
        {
            return new WooCommerceWebhookVerification.Ping(pinged);
        }
        var byName = WebhookHeaders.ByName(headers);

        var check = HmacSha256Signature.Check(body, byName.GetValueOrDefault(SignatureHeader), _secrets, _clock.GetUtcNow(), SigningKeyOf);
        if (HmacSha256Signature.Reason(check, SignatureHeader) is { } refused)
        {
            return new WooCommerceWebhookVerification.Rejected(refused);
        }

        if (ValueOf(byName, TopicHeader) is not { } topic)
        {
            return new WooCommerceWebhookVerification.Rejected($"The {TopicHeader} header is missing.");
        }
        var parts = topic.Split('.', 2);
        var resource = ValueOf(byName, ResourceHeader) ?? parts[0];
        var @event = ValueOf(byName, EventHeader) ?? (parts.Length > 1 ? parts[1] : "");
        var (recordId, recordModified) = resource == "action" ? (null, null) : RecordOf(body);
        return new WooCommerceWebhookVerification.Verified(new WooCommerceWebhookDelivery(
            topic,
            resource,
            @event,
            ValueOf(byName, WebhookIdHeader),
            ValueOf(byName, DeliveryIdHeader),
            ValueOf(byName, SourceHeader),
            SignedWithPreviousSecret: check == SignatureCheck.ValidWithPrevious,
            recordId,
            recordModified));
    }

    /// <summary>The HMAC key WooCommerce signs with: the secret's UTF-8 bytes after <c>wp_specialchars_decode(secret, ENT_QUOTES)</c>.</summary>
    internal static byte[] SigningKeyOf(string secret) =>
        Encoding.UTF8.GetBytes(secret.Contains('&', StringComparison.Ordinal)
            ? Entity().Replace(secret, match => EntityValues[Normalized(match.Groups[1].Value)])
            : secret);

    // "#0039" → "#39", "#X0027" → "#x27"; named entities are case-sensitive in WordPress's table and stay as they are.
    private static string Normalized(string entity)
    {
        if (!entity.StartsWith('#')) return entity;
        var hex = entity.Length > 1 && entity[1] is 'x' or 'X';
        var digits = entity[(hex ? 2 : 1)..].TrimStart('0');
        return (hex ? "#x" : "#") + digits;
    }

    [GeneratedRegex("&(quot|lt|gt|amp|#0*(?:39|34|60|62|38)|#[xX]0*(?:27|22|26));", RegexOptions.CultureInvariant)]
    private static partial Regex Entity();

    private static string? ValueOf(IReadOnlyDictionary<string, string> headers, string name) =>
        headers.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    // Resource topics carry the resource as GET /wc/v3/{resource}s/{id} returns it (deletions only {"id": …});
    // a body without them is not an error, it names no record.
    private static (string? Id, DateTimeOffset? Modified) RecordOf(ReadOnlySpan<byte> body)
    {
        var members = WebhookBody.TopLevel(body, "id", "date_modified_gmt");
        var id = members[0]?.AsId() is { } text && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number.ToString(CultureInfo.InvariantCulture)
            : null;
        var modified = members[1] is { Kind: JsonValueKind.String, Text: var stamp } ? WooCommerceConnector.ParseGmt(stamp) : null;
        return (id, modified);
    }
}
