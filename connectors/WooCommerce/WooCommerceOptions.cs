using System.ComponentModel.DataAnnotations;
using System.Net;
using Connectors.Core.Resilience;

namespace Connectors.WooCommerce;

/// <summary>
/// How to reach one WooCommerce store's REST API. Checked by <see cref="Validate"/> when the connector is registered,
/// so a bad config fails at start with the setting's name (never a key's or secret's value).
/// </summary>
public sealed class WooCommerceOptions
{
    /// <summary>The store's WordPress address, for example <c>https://shop.example.com/</c>; the API is under <c>wp-json/wc/v3/</c> there.</summary>
    [Required]
    public Uri? StoreUrl { get; set; }

    /// <summary>The REST API key's consumer key (<c>ck_…</c>), sent as the Basic auth user name. Never logged.</summary>
    [Required(AllowEmptyStrings = false)]
    public string ConsumerKey { get; set; } = "";

    /// <summary>The REST API key's consumer secret (<c>cs_…</c>), sent as the Basic auth password. Never logged.</summary>
    [Required(AllowEmptyStrings = false)]
    public string ConsumerSecret { get; set; } = "";

    /// <summary>Resources asked for per page; WordPress allows at most <see cref="WooCommerceConnector.MaxPageSize"/>.</summary>
    [Range(1, WooCommerceConnector.MaxPageSize)]
    public int PageSize { get; set; } = WooCommerceConnector.MaxPageSize;

    /// <summary>
    /// The secret the store's webhooks sign deliveries with (every webhook of this system must be created with it);
    /// <see langword="null"/> when this system takes no webhooks. Never logged.
    /// </summary>
    public string? WebhookSecret { get; set; }

    /// <summary>The webhook secret before the last rotation, accepted until <see cref="PreviousWebhookSecretValidUntil"/>.</summary>
    public string? PreviousWebhookSecret { get; set; }

    /// <summary>The end of the rotation window for <see cref="PreviousWebhookSecret"/>: by then every webhook of the store signs with the new one.</summary>
    public DateTimeOffset? PreviousWebhookSecretValidUntil { get; set; }

    /// <summary>Retries, timeouts and circuit breaking for the HTTP calls (429 Retry-After, 5xx).</summary>
    [Required]
    public ConnectorResilienceOptions Resilience { get; set; } = new();

    /// <summary>Checks the options and throws <see cref="ValidationException"/> naming every bad setting.</summary>
    public void Validate()
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true);
        var problems = results.Select(r => r.ErrorMessage ?? string.Join(", ", r.MemberNames)).ToList();
        if (StoreUrl is { } url)
        {
            // Over plain HTTP WooCommerce ignores Basic auth and wants OAuth 1.0a signatures, which this connector
            // does not make; loopback is allowed for the emulator.
            if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && !(url.Scheme == Uri.UriSchemeHttp && IsLoopback(url))))
            {
                problems.Add("The StoreUrl field must be an absolute https address (WooCommerce takes Basic auth over HTTPS only).");
            }
        }
        if (!string.IsNullOrEmpty(ConsumerKey) && !ConsumerKey.StartsWith("ck_", StringComparison.Ordinal))
        {
            problems.Add("The ConsumerKey field must be a WooCommerce consumer key (it starts with ck_).");
        }
        if (!string.IsNullOrEmpty(ConsumerSecret) && !ConsumerSecret.StartsWith("cs_", StringComparison.Ordinal))
        {
            problems.Add("The ConsumerSecret field must be a WooCommerce consumer secret (it starts with cs_).");
        }
        if (!string.IsNullOrEmpty(PreviousWebhookSecret) && (string.IsNullOrEmpty(WebhookSecret) || PreviousWebhookSecretValidUntil is null))
        {
            problems.Add("The PreviousWebhookSecret field needs WebhookSecret and PreviousWebhookSecretValidUntil.");
        }
        if (problems.Count > 0)
        {
            throw new ValidationException($"WooCommerce options: {string.Join("; ", problems)}");
        }
        Resilience.Validate();
    }

    private static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.DnsSafeHost, out var address) && IPAddress.IsLoopback(address));
}
