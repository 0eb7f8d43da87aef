using System.Globalization;
using System.Text;
using System.Text.Json;

using Connectors.Core.Webhooks;

namespace Connectors.Shopify;

/// <summary>
/// Verifies and reads Shopify webhook deliveries: HMAC-SHA256 of the raw body bytes keyed with the app's
/// client secret, base64, compared in constant time with <c>X-Shopify-Hmac-Sha256</c>; the previous
/// secret is accepted until its rotation window ends. Header names are matched case-insensitively.
/// </summary>
public sealed class ShopifyWebhooks
{
    /// <summary>The signature header.</summary>
    public const string HmacHeader = "X-Shopify-Hmac-Sha256";

    /// <summary>The topic header, for example <c>customers/update</c>.</summary>
    public const string TopicHeader = "X-Shopify-Topic";

    /// <summary>The shop's <c>*.myshopify.com</c> domain.</summary>
    public const string ShopDomainHeader = "X-Shopify-Shop-Domain";

    /// <summary>The id of the event; repeated on duplicate deliveries.</summary>
    public const string EventIdHeader = "X-Shopify-Event-Id";

    /// <summary>The id of this delivery.</summary>
    public const string WebhookIdHeader = "X-Shopify-Webhook-Id";

    /// <summary>The API version the payload was serialized with.</summary>
    public const string ApiVersionHeader = "X-Shopify-API-Version";

    /// <summary>When the event fired.</summary>
    public const string TriggeredAtHeader = "X-Shopify-Triggered-At";

    private readonly WebhookSecrets _secrets;
    private readonly TimeProvider _clock;

    /// <summary>Creates a verifier for one app's secrets.</summary>
    public ShopifyWebhooks(WebhookSecrets secrets, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(clock);
        _secrets = secrets;
        _clock = clock;
    }

    /// <summary>The base64 HMAC-SHA256 of <paramref name="body"/> keyed with <paramref name="secret"/>, as Shopify signs it.</summary>
    public static string Sign(ReadOnlySpan<byte> body, string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        return HmacSha256Signature.Sign(body, Encoding.UTF8.GetBytes(secret));
    }

    /// <summary>Verifies a delivery and, if it is genuine, reads its headers and the record id and stamp from its body.</summary>
    /// <param name="body">The request body exactly as received, before any JSON parsing.</param>
    /// <param name="headers">The request headers, in any letter case.</param>
    public ShopifyWebhookVerification Verify(ReadOnlySpan<byte> body, IEnumerable<KeyValuePair<string, string>> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var byName = WebhookHeaders.ByName(headers);

        var check = HmacSha256Signature.Check(body, byName.GetValueOrDefault(HmacHeader), _secrets, _clock.GetUtcNow());
        if (HmacSha256Signature.Reason(check, HmacHeader) is { } refused)
        {
            return new ShopifyWebhookVerification.Rejected(refused);
        }

        if (!byName.TryGetValue(TopicHeader, out var topic) || string.IsNullOrWhiteSpace(topic))
        {
            return new ShopifyWebhookVerification.Rejected($"The {TopicHeader} header is missing.");
        }
        if (!byName.TryGetValue(ShopDomainHeader, out var shop) || string.IsNullOrWhiteSpace(shop))
        {
            return new ShopifyWebhookVerification.Rejected($"The {ShopDomainHeader} header is missing.");
        }
        var (recordId, recordModified) = RecordOf(body);
        return new ShopifyWebhookVerification.Verified(new ShopifyWebhookDelivery(
            topic.Trim(),
            shop.Trim().ToLowerInvariant(),
            ValueOf(byName, EventIdHeader),
            ValueOf(byName, WebhookIdHeader),
            ValueOf(byName, ApiVersionHeader),
            DateTimeOffset.TryParse(ValueOf(byName, TriggeredAtHeader), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : null,
            SignedWithPreviousSecret: check == SignatureCheck.ValidWithPrevious,
            recordId,
            recordModified));
    }

    private static string? ValueOf(IReadOnlyDictionary<string, string> headers, string name) =>
        headers.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    // Resource topics carry the REST-shaped resource: numeric "id" and "updated_at". Others (app/uninstalled,
    // the compliance topics) have neither, and that is not an error.
    private static (string? Id, DateTimeOffset? Modified) RecordOf(ReadOnlySpan<byte> body)
    {
        var members = WebhookBody.TopLevel(body, "id", "updated_at");
        var modified = members[1] is { Kind: JsonValueKind.String, Text: var text }
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var stamp)
            ? stamp
            : (DateTimeOffset?)null;
        return (members[0]?.AsId(), modified);
    }
}
