using System.ComponentModel.DataAnnotations;

namespace Connectors.Zoho;

/// <summary>
/// One Zoho CRM system: where it is, the OAuth client that reaches it, and what to read from it.
/// Validated when the system is first resolved (and at start when a host runs), so that a bad config
/// fails with the setting's name instead of in the middle of a run.
/// </summary>
public sealed class ZohoOptions : IValidatableObject
{
    /// <summary>Zoho allows at most this many field names in one list call's <c>fields</c> parameter.</summary>
    public const int MaxFieldsPerList = 50;

    /// <summary>
    /// The fields read from <c>Contacts</c> when <see cref="Fields"/> does not name them: the standard
    /// contact fields (shared reference zoho-crm.md §4.2).
    /// </summary>
    public static IReadOnlyList<string> DefaultContactFields { get; } =
    [
        "First_Name", "Last_Name", "Email", "Secondary_Email", "Phone", "Mobile", "Title", "Department",
        "Account_Name", "Mailing_Street", "Mailing_City", "Mailing_State", "Mailing_Zip", "Mailing_Country",
        "Description", "Created_Time", "Modified_Time",
    ];

    /// <summary>The Zoho Accounts server of the data centre, for example <c>https://accounts.zoho.eu</c>.</summary>
    [Required]
    public Uri AccountsUrl { get; set; } = new("https://accounts.zoho.com");

    /// <summary>The CRM API domain of the data centre, for example <c>https://www.zohoapis.eu</c>.</summary>
    [Required]
    public Uri ApiDomain { get; set; } = new("https://www.zohoapis.com");

    /// <summary>The OAuth client id from the Zoho API console.</summary>
    [Required(AllowEmptyStrings = false)]
    public string ClientId { get; set; } = "";

    /// <summary>The OAuth client secret. Never logged, never put in an exception message.</summary>
    [Required(AllowEmptyStrings = false)]
    public string ClientSecret { get; set; } = "";

    /// <summary>The refresh token of the grant. Never logged, never put in an exception message.</summary>
    [Required(AllowEmptyStrings = false)]
    public string RefreshToken { get; set; } = "";

    /// <summary>
    /// The field API names to read, per module (Zoho requires the list on every list call). A module
    /// left out reads <see cref="DefaultContactFields"/> if it is <c>Contacts</c>; other modules must be named.
    /// <c>Modified_Time</c> is always added, because incremental reads need it.
    /// </summary>
    public Dictionary<string, List<string>> Fields { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Zoho's file upload host for bulk writes (data-centre specific, for example <c>https://upload.zoho.eu</c>).</summary>
    [Required]
    public Uri UploadUrl { get; set; } = new("https://upload.zoho.com");

    /// <summary>The org id (<c>zgid</c>) sent as <c>X-CRM-ORG</c> with bulk write uploads; bulk writes need it.</summary>
    public string? OrganizationId { get; set; }

    /// <summary>How long to wait between two status polls of a bulk job.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan BulkPollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a bulk job may take before the run gives up on it (and a later run asks again).</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan BulkJobTimeout { get; set; } = TimeSpan.FromHours(2);

    /// <summary>
    /// The most calls in flight at once. Zoho limits concurrency per user and OAuth app, from 5 (Free)
    /// to 25 (Ultimate); 10 suits Standard and leaves room for other integrations.
    /// </summary>
    [Range(1, 25)]
    public int MaxConcurrency { get; set; } = 10;

    /// <summary>
    /// Notification channels that may call our webhook: channel id → the verification token set when
    /// the channel was created (at most 50 characters). Never logged.
    /// </summary>
    public Dictionary<string, string> WebhookChannels { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The fields to request for <paramref name="module"/>, <c>Modified_Time</c> included, or <see langword="null"/> when none are configured.</summary>
    public IReadOnlyList<string>? FieldsFor(string module)
    {
        IReadOnlyList<string>? configured = Fields.TryGetValue(module, out var named) && named.Count > 0 ? named
            : module == "Contacts" ? DefaultContactFields
            : null;
        if (configured is null) return null;
        return configured.Contains(ZohoConnector.ModifiedTimeField, StringComparer.Ordinal)
            ? configured
            : [.. configured, ZohoConnector.ModifiedTimeField];
    }

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!AccountsUrl.IsAbsoluteUri)
        {
            yield return new ValidationResult("AccountsUrl must be an absolute URL.", [nameof(AccountsUrl)]);
        }
        if (!UploadUrl.IsAbsoluteUri)
        {
            yield return new ValidationResult("UploadUrl must be an absolute URL.", [nameof(UploadUrl)]);
        }
        if (!ApiDomain.IsAbsoluteUri)
        {
            yield return new ValidationResult("ApiDomain must be an absolute URL.", [nameof(ApiDomain)]);
        }
        foreach (var (module, fields) in Fields)
        {
            if (fields.Count == 0)
            {
                yield return new ValidationResult($"Fields:{module} is empty; name the fields to read.", [nameof(Fields)]);
                continue;
            }
            var count = FieldsFor(module)!.Count;
            if (count > MaxFieldsPerList)
            {
                yield return new ValidationResult(
                    $"Fields:{module} names {count} fields with Modified_Time; Zoho accepts at most {MaxFieldsPerList}.", [nameof(Fields)]);
            }
            if (fields.Any(string.IsNullOrWhiteSpace))
            {
                yield return new ValidationResult($"Fields:{module} has an empty field name.", [nameof(Fields)]);
            }
        }
        foreach (var (channel, token) in WebhookChannels)
        {
            if (string.IsNullOrEmpty(token) || token.Length > 50)
            {
                // The channel id is not secret; the token is, so only its rule is named.
                yield return new ValidationResult(
                    $"WebhookChannels:{channel} needs a token of 1 to 50 characters.", [nameof(WebhookChannels)]);
            }
        }
    }
}
