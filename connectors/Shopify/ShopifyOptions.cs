using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using Connectors.Core.Resilience;

namespace Connectors.Shopify;

/// <summary>
/// How to reach one Shopify store's GraphQL Admin API. Checked by <see cref="Validate"/> when the
/// connector is registered, so a bad config fails at start with the setting's name.
/// </summary>
public sealed partial class ShopifyOptions
{
    /// <summary>The store's admin address, for example <c>https://my-shop.myshopify.com/</c>.</summary>
    [Required]
    public Uri? ShopUrl { get; set; }

    /// <summary>The pinned Admin API version, for example <c>2025-10</c>. Shopify releases one a quarter.</summary>
    [Required]
    public string ApiVersion { get; set; } = "2025-10";

    /// <summary>The Admin API access token, sent as <c>X-Shopify-Access-Token</c>. Never logged.</summary>
    [Required]
    public string AccessToken { get; set; } = "";

    /// <summary>Records asked for per page; Shopify's connections return at most <see cref="ShopifyConnector.MaxPageSize"/>.</summary>
    [Range(1, ShopifyConnector.MaxPageSize)]
    public int PageSize { get; set; } = ShopifyConnector.MaxPageSize;

    /// <summary>How many THROTTLED answers in a row one call waits out before it fails as throttled.</summary>
    [Range(0, 20)]
    public int MaxThrottleRetries { get; set; } = 5;

    /// <summary>The longest single wait for the cost bucket to refill; a longer one fails the call as throttled.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MaxThrottleWait { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long to wait between two status polls of a running bulk operation, on the injected clock.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan BulkPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a bulk operation may run before the read gives up on it. Shopify stops a bulk query after 10 days;
    /// a nightly reconciliation wants to know much sooner.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "10.00:00:00")]
    public TimeSpan BulkOperationTimeout { get; set; } = TimeSpan.FromHours(6);

    /// <summary>The app's client secret that webhook deliveries are signed with; <see langword="null"/> when this system takes no webhooks.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>The client secret before the last rotation, accepted until <see cref="PreviousWebhookSecretValidUntil"/>.</summary>
    public string? PreviousWebhookSecret { get; set; }

    /// <summary>The end of the rotation window for <see cref="PreviousWebhookSecret"/> (Shopify may sign with it for up to an hour).</summary>
    public DateTimeOffset? PreviousWebhookSecretValidUntil { get; set; }

    /// <summary>Retries, timeouts and circuit breaking for the HTTP calls (429 Retry-After, 5xx).</summary>
    [Required]
    public ConnectorResilienceOptions Resilience { get; set; } = new();

    /// <summary>Checks the options and throws <see cref="ValidationException"/> naming every bad setting (never the token's value).</summary>
    public void Validate()
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true);
        var problems = results.Select(r => r.ErrorMessage ?? string.Join(", ", r.MemberNames)).ToList();
        if (ShopUrl is { } url && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)))
        {
            problems.Add("The ShopUrl field must be an absolute http(s) address.");
        }
        if (!string.IsNullOrEmpty(ApiVersion) && !ApiVersionPattern().IsMatch(ApiVersion))
        {
            problems.Add("The ApiVersion field must look like 2025-10 (year-month of a quarterly release) or be 'unstable'.");
        }
        if (!string.IsNullOrEmpty(PreviousWebhookSecret) && (string.IsNullOrEmpty(WebhookSecret) || PreviousWebhookSecretValidUntil is null))
        {
            problems.Add("The PreviousWebhookSecret field needs WebhookSecret and PreviousWebhookSecretValidUntil.");
        }
        if (BulkPollInterval > BulkOperationTimeout)
        {
            problems.Add("The BulkPollInterval field must not exceed BulkOperationTimeout.");
        }
        if (problems.Count > 0)
        {
            throw new ValidationException($"Shopify options: {string.Join("; ", problems)}");
        }
        Resilience.Validate();
    }

    [GeneratedRegex(@"^(\d{4}-(01|04|07|10)|unstable)$", RegexOptions.CultureInvariant)]
    private static partial Regex ApiVersionPattern();
}
