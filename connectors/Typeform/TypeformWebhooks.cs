using System.Globalization;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

using Connectors.Core.Webhooks;

namespace Connectors.Typeform;

/// <summary>
/// Verifies and reads Typeform webhook deliveries: <c>Typeform-Signature: sha256=&lt;base64(HMAC-SHA256(raw body, secret))&gt;</c>
/// (shared reference feedback-sources.md §D.2), compared in constant time over the raw body bytes before any JSON
/// parsing. Header names are matched case-insensitively. A verified <c>form_response</c> names the response to
/// read; the response itself is read again through the API, never taken from the body.
/// </summary>
public sealed class TypeformWebhooks
{
    /// <summary>The signature header.</summary>
    public const string SignatureHeader = "Typeform-Signature";

    /// <summary>The prefix of the signature's value.</summary>
    public const string SignaturePrefix = "sha256=";

    private static readonly JsonSerializerSettings PayloadSettings = new() { DateParseHandling = DateParseHandling.None };

    private readonly WebhookSecrets _secrets;
    private readonly string _formId;

    /// <summary>Creates a verifier for one form's webhook.</summary>
    /// <param name="secret">The secret the webhook was created with.</param>
    /// <param name="formId">The form whose deliveries are accepted; a delivery for another form is refused.</param>
    public TypeformWebhooks(string secret, string formId)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        ArgumentException.ThrowIfNullOrEmpty(formId);
        _secrets = new WebhookSecrets(secret);
        _formId = formId;
    }

    /// <summary>The signature header's value for <paramref name="body"/>: <c>sha256=</c> and the base64 HMAC-SHA256 keyed with <paramref name="secret"/>.</summary>
    public static string Sign(ReadOnlySpan<byte> body, string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        return SignaturePrefix + HmacSha256Signature.Sign(body, Encoding.UTF8.GetBytes(secret));
    }

    /// <summary>Verifies a delivery and, if it is genuine, reads the event and the response it is about.</summary>
    /// <param name="body">The request body exactly as received.</param>
    /// <param name="headers">The request headers, in any letter case.</param>
    public TypeformWebhookVerification Verify(ReadOnlySpan<byte> body, IEnumerable<KeyValuePair<string, string>> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var signature = headers.Where(h => string.Equals(h.Key, SignatureHeader, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();
        if (string.IsNullOrWhiteSpace(signature))
        {
            return new TypeformWebhookVerification.Rejected($"The {SignatureHeader} header is missing.");
        }
        signature = signature.Trim();
        // Typeform rotates nothing: one secret, so the check's clock never matters.
        var check = signature.StartsWith(SignaturePrefix, StringComparison.Ordinal)
            ? HmacSha256Signature.Check(body, signature[SignaturePrefix.Length..], _secrets, DateTimeOffset.MinValue)
            : SignatureCheck.Malformed;
        switch (check)
        {
            case SignatureCheck.Malformed or SignatureCheck.Missing:
                return new TypeformWebhookVerification.Rejected($"The {SignatureHeader} header is not sha256= and a base64 HMAC-SHA256.");
            case not SignatureCheck.Valid:
                return new TypeformWebhookVerification.Rejected("The signature does not match the body.");
        }
        return Read(body);
    }

    private TypeformWebhookVerification Read(ReadOnlySpan<byte> body)
    {
        JObject? payload;
        try
        {
            payload = JsonConvert.DeserializeObject<JToken>(Encoding.UTF8.GetString(body), PayloadSettings) as JObject;
        }
        catch (JsonException)
        {
            payload = null;
        }
        if (payload?["form_response"] is not JObject response)
        {
            return new TypeformWebhookVerification.Rejected("The payload is not a form_response event.");
        }
        var formId = response.Value<string>("form_id");
        if (formId != _formId)
        {
            return new TypeformWebhookVerification.Rejected($"The delivery is for form '{formId}', not the configured form.");
        }
        if (response.Value<string>("token") is not { Length: > 0 } token)
        {
            return new TypeformWebhookVerification.Rejected("The form_response has no token.");
        }
        var submitted = DateTimeOffset.TryParse(response.Value<string>("submitted_at"), CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at) ? at : (DateTimeOffset?)null;
        return new TypeformWebhookVerification.Verified(new TypeformWebhookDelivery(
            payload.Value<string>("event_id"), payload.Value<string>("event_type") ?? "form_response", formId, token, submitted));
    }
}
