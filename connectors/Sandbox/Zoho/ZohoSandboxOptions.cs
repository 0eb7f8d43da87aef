namespace Connectors.Sandbox.Zoho;

/// <summary>How a <see cref="ZohoSandbox"/> starts: the OAuth client it accepts, its data and its time zone.</summary>
public sealed class ZohoSandboxOptions
{
    /// <summary>The OAuth client id the sandbox accepts.</summary>
    public string ClientId { get; set; } = "1000.SANDBOXCLIENTID";

    /// <summary>The OAuth client secret the sandbox accepts.</summary>
    public string ClientSecret { get; set; } = "sandbox-client-secret-7f3a";

    /// <summary>The refresh token the sandbox accepts.</summary>
    public string RefreshToken { get; set; } = "1000.sandbox-refresh-token-91c2";

    /// <summary>Seeds every generated value (names, ids, tokens): the same seed gives the same sandbox.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>How many contacts exist at start, modified over the hours before the clock's "now".</summary>
    public int SeedContacts { get; set; }

    /// <summary>
    /// The CRM user's time zone: Zoho renders every date-time in it (for example
    /// <c>2026-11-23T14:30:00+05:30</c>). Not UTC by default, so that offsets are exercised.
    /// </summary>
    public TimeSpan TimeZone { get; set; } = new(5, 30, 0);

    /// <summary>How long an access token lives (Zoho: one hour, <c>expires_in: 3600</c>).</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a bulk read or write job takes on the sandbox clock before it is <c>COMPLETED</c>; zero finishes at once.</summary>
    public TimeSpan BulkJobDuration { get; set; }

    /// <summary>Custom fields added to the Contacts module, for example an external id marked unique.</summary>
    public IList<ZohoSandboxField> ExtraContactFields { get; } = [];
}
