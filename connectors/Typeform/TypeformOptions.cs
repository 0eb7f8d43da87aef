using System.ComponentModel.DataAnnotations;
using Connectors.Core.Resilience;

namespace Connectors.Typeform;

/// <summary>
/// How to reach one Typeform account and which form to read. Checked by <see cref="Validate"/> when the connector is
/// registered, so a bad config fails at start with the setting's name (never a secret's value).
/// </summary>
public sealed class TypeformOptions
{
    /// <summary>The API's address: <c>https://api.typeform.com</c>, or <c>https://api.eu.typeform.com</c> for EU accounts.</summary>
    [Required]
    public Uri? BaseUrl { get; set; } = new("https://api.typeform.com");

    /// <summary>A personal access token (or OAuth token) with the <c>responses:read</c> scope, sent as a bearer token. Never logged.</summary>
    [Required(AllowEmptyStrings = false)]
    public string AccessToken { get; set; } = "";

    /// <summary>The survey's form id, as in <c>https://mysite.typeform.com/to/{FormId}</c>; the <c>responses</c> stream reads it.</summary>
    [Required(AllowEmptyStrings = false)]
    public string FormId { get; set; } = "";

    /// <summary>Responses asked for per page; Typeform returns at most <see cref="TypeformConnector.MaxPageSize"/>.</summary>
    [Range(1, TypeformConnector.MaxPageSize)]
    public int PageSize { get; set; } = TypeformConnector.MaxPageSize;

    /// <summary>The most requests a second this connector sends to the account (Typeform allows 2 per account; share it with other integrations).</summary>
    [Range(0.1, 100.0)]
    public double RequestsPerSecond { get; set; } = 2;

    /// <summary>The secret the form's webhook signs deliveries with; <see langword="null"/> when this system takes no webhooks. Never logged.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>Retries, timeouts and circuit breaking for the HTTP calls (429, 5xx).</summary>
    [Required]
    public ConnectorResilienceOptions Resilience { get; set; } = new();

    /// <summary>Checks the options and throws <see cref="ValidationException"/> naming every bad setting.</summary>
    public void Validate()
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true);
        var problems = results.Select(r => r.ErrorMessage ?? string.Join(", ", r.MemberNames)).ToList();
        if (BaseUrl is { } url && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)))
        {
            problems.Add("The BaseUrl field must be an absolute http(s) address.");
        }
        if (!string.IsNullOrEmpty(FormId) && !FormId.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
        {
            problems.Add("The FormId field must be a form id (letters, digits, '_' and '-'), as in https://mysite.typeform.com/to/u6nXL7.");
        }
        if (problems.Count > 0)
        {
            throw new ValidationException($"Typeform options: {string.Join("; ", problems)}");
        }
        Resilience.Validate();
    }
}
