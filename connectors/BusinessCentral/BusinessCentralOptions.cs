using System.ComponentModel.DataAnnotations;
using Connectors.Core.Resilience;

namespace Connectors.BusinessCentral;

/// <summary>
/// How to reach one Business Central company through API v2.0 with an Entra ID app registration
/// (client credentials). Checked by <see cref="Validate"/> when the connector is registered, so a bad
/// config fails at start with the setting's name. Shared reference: erp.md §C.1.
/// </summary>
public sealed class BusinessCentralOptions
{
    /// <summary>The scope a service-to-service token for Business Central is requested with.</summary>
    public const string DefaultScope = "https://api.businesscentral.dynamics.com/.default";

    /// <summary>The longest <c>clientState</c> a subscription takes (api-reference v2.0, dynamics-subscriptions).</summary>
    public const int MaxClientStateLength = 2048;

    /// <summary>The Entra ID tenant (GUID or verified domain) the Business Central environment belongs to.</summary>
    [Required]
    public string TenantId { get; set; } = "";

    /// <summary>The environment's name, for example <c>production</c> or <c>sandbox</c>.</summary>
    [Required]
    public string Environment { get; set; } = "production";

    /// <summary>The company's <c>id</c> GUID, as <c>GET {base}/companies</c> lists it.</summary>
    [Required]
    public string CompanyId { get; set; } = "";

    /// <summary>The Entra ID application (client) id, registered in Business Central with API permissions.</summary>
    [Required]
    public string ClientId { get; set; } = "";

    /// <summary>The application's client secret. Never logged, never part of a message.</summary>
    [Required]
    public string ClientSecret { get; set; } = "";

    /// <summary>
    /// The token endpoint; by default <c>https://login.microsoftonline.com/{TenantId}/oauth2/v2.0/token</c>.
    /// Set it to point the connector at an emulator.
    /// </summary>
    public Uri? TokenEndpoint { get; set; }

    /// <summary>
    /// The API root; by default <c>https://api.businesscentral.dynamics.com/v2.0/{TenantId}/{Environment}/api/v2.0</c>.
    /// Set it to point the connector at an emulator.
    /// </summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>
    /// The <c>clientState</c> this system's webhook subscriptions are created with, the shared secret every
    /// notification carries; <see langword="null"/> when this system takes no webhooks. Never logged.
    /// </summary>
    [MaxLength(MaxClientStateLength)]
    public string? WebhookClientState { get; set; }

    /// <summary>The token scope; <see cref="DefaultScope"/> unless Microsoft changes the resource.</summary>
    [Required]
    public string Scope { get; set; } = DefaultScope;

    /// <summary>
    /// How many write calls run at once. Business Central processes
    /// <see cref="BusinessCentralConnector.RequestsProcessedAtOnce"/> requests at a time per user and queues
    /// the rest, so more only fills its queue.
    /// </summary>
    [Range(1, BusinessCentralConnector.MaxSimultaneousRequests)]
    public int MaxConcurrency { get; set; } = BusinessCentralConnector.RequestsProcessedAtOnce;

    /// <summary>Records asked for per page (<c>Prefer: odata.maxpagesize</c>); Business Central serves at most <see cref="BusinessCentralConnector.MaxPageSize"/>.</summary>
    [Range(1, BusinessCentralConnector.MaxPageSize)]
    public int PageSize { get; set; } = 1000;

    /// <summary>
    /// The batch the engine hands over in one <c>WriteAsync</c>. Business Central has no bulk upsert, so the
    /// connector writes the batch one record a call, <see cref="MaxConcurrency"/> at a time.
    /// </summary>
    [Range(1, 1000)]
    public int MaxBatchSize { get; set; } = 100;

    /// <summary>How long before a token's expiry it is replaced, so that no call leaves with a token about to lapse.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:30:00")]
    public TimeSpan TokenRefreshMargin { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Retries, timeouts and circuit breaking for the HTTP calls (429 Retry-After, 503, 504). A create
    /// (POST) is not retried after a server error by default: Business Central has no idempotent create,
    /// and the next run finds a record that was created after all by its match key.
    /// </summary>
    [Required]
    public ConnectorResilienceOptions Resilience { get; set; } = new() { RetryPosts = false };

    /// <summary>The token endpoint in use: <see cref="TokenEndpoint"/> or the Entra ID default for <see cref="TenantId"/>.</summary>
    public Uri EffectiveTokenEndpoint =>
        TokenEndpoint ?? new Uri($"https://login.microsoftonline.com/{Uri.EscapeDataString(TenantId)}/oauth2/v2.0/token");

    /// <summary>The API root in use, without a trailing slash: <see cref="BaseUrl"/> or the SaaS default.</summary>
    public Uri EffectiveBaseUrl => new(
        (BaseUrl?.AbsoluteUri ?? $"https://api.businesscentral.dynamics.com/v2.0/{Uri.EscapeDataString(TenantId)}/{Uri.EscapeDataString(Environment)}/api/v2.0")
        .TrimEnd('/'));

    /// <summary>Checks the options and throws <see cref="ValidationException"/> naming every bad setting (never a secret's value).</summary>
    public void Validate()
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true);
        var problems = results.Select(r => r.ErrorMessage ?? string.Join(", ", r.MemberNames)).ToList();
        if (!string.IsNullOrEmpty(CompanyId) && !Guid.TryParse(CompanyId, out _))
        {
            problems.Add("The CompanyId field must be the company's id GUID, as GET {base}/companies lists it.");
        }
        CheckAddress(TokenEndpoint, nameof(TokenEndpoint), problems);
        CheckAddress(BaseUrl, nameof(BaseUrl), problems);
        if (problems.Count > 0)
        {
            throw new ValidationException($"Business Central options: {string.Join("; ", problems)}");
        }
        Resilience.Validate();
    }

    private static void CheckAddress(Uri? address, string name, List<string> problems)
    {
        if (address is not null && (!address.IsAbsoluteUri || (address.Scheme != Uri.UriSchemeHttps && address.Scheme != Uri.UriSchemeHttp)))
        {
            problems.Add($"The {name} field must be an absolute http(s) address.");
        }
    }
}
