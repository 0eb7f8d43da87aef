using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Newtonsoft.Json.Linq;

namespace Connectors.Sandbox.Zoho;

/// <summary>
/// An emulator of Zoho CRM (records API v8) and Zoho Accounts (refresh-token grant) on one loopback
/// HTTP server, behaving as the shared reference zoho-crm.md describes: tokens that expire after an
/// hour on the sandbox clock, mandatory <c>fields</c>, the 2,000-record discrete paging limit and page
/// tokens beyond it, <c>If-Modified-Since</c>, <c>If-Unmodified-Since</c> on updates (412 <c>ALREADY_MODIFIED</c>), COQL lookups, upsert by duplicate-check fields, per-record validation
/// with 207 Multi-Status, and <c>Modified_Time</c> in a non-UTC time zone. Modules: Contacts, Products,
/// Sales_Orders (the <c>Ordered_Items</c> subform, whose rows only a single-record GET returns) and Cases.
/// Faults come from <see cref="Faults"/>.
/// </summary>
/// <example>
/// <code>
/// await using var zoho = await ZohoSandbox.StartAsync(new ZohoSandboxOptions { SeedContacts = 500 }, clock, ct);
/// options.AccountsUrl = zoho.AccountsUrl; options.ApiDomain = zoho.ApiDomain;
/// options.ClientId = zoho.ClientId; options.ClientSecret = zoho.ClientSecret; options.RefreshToken = zoho.RefreshToken;
/// </code>
/// </example>
public sealed class ZohoSandbox : IAsyncDisposable
{
    private static readonly string[] FirstNames = ["Asha", "Ben", "Chen", "Dana", "Elif", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kofi", "Lena", "Mateo", "Nora", "Omar", "Priya"];
    private static readonly string[] LastNames = ["Patel", "Okafor", "Schmidt", "Garcia", "Nakamura", "Rossi", "Kowalski", "Haddad", "Silva", "Johansson", "Murphy", "Tanaka"];
    private static readonly string[] Cities = ["Bengaluru", "Berlin", "Lagos", "Lisbon", "Osaka", "Toronto", "Austin", "Krakow"];

    private readonly ZohoSandboxOptions _options;
    private readonly ZohoSandboxAccounts _accounts;
    private readonly Dictionary<string, ZohoModuleStore> _modules;
    private SandboxServer? _server;
    private ZohoSandboxBulk? _bulk;

    private ZohoSandbox(ZohoSandboxOptions options, TimeProvider clock)
    {
        _options = options;
        var random = new Random(options.Seed);
        long nextId = 5725767000000001000;
        string NextId() => Interlocked.Increment(ref nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        _accounts = new ZohoSandboxAccounts(options, clock, random, () => ApiDomain);
        PageTokens = new ZohoPageTokens(clock, random);
        _modules = new Dictionary<string, ZohoModuleStore>(StringComparer.Ordinal)
        {
            ["Contacts"] = new ZohoModuleStore("Contacts", [.. ContactFields, .. ZohoSandboxModules.FeedbackContactFields, .. options.ExtraContactFields],
                "Email", clock, options.TimeZone, NextId, "Full_Name", Module),
            ["Products"] = new ZohoModuleStore("Products", ZohoSandboxModules.ProductFields, "Product_Name", clock, options.TimeZone, NextId,
                "Product_Name", Module),
            ["Sales_Orders"] = new ZohoModuleStore("Sales_Orders", ZohoSandboxModules.SalesOrderFields, "Subject", clock, options.TimeZone, NextId,
                "Subject", Module, ZohoSandboxModules.ComputeSalesOrder),
            ["Cases"] = new ZohoModuleStore("Cases", ZohoSandboxModules.CaseFields, "Subject", clock, options.TimeZone, NextId, "Subject", Module),
        };
        Seed(random, clock);
    }

    /// <summary>The standard fields of the sandbox's Contacts module, with Zoho's lengths (First_Name and Last_Name 40, Email 100).</summary>
    public static IReadOnlyList<ZohoSandboxField> ContactFields { get; } =
    [
        new("First_Name", "text", 40),
        new("Last_Name", "text", 40, Mandatory: true),
        new("Full_Name", "text", 100, ReadOnly: true),
        new("Email", "email", 100),
        new("Secondary_Email", "email", 100),
        new("Phone", "phone", 30),
        new("Mobile", "phone", 30),
        new("Title", "text", 100),
        new("Department", "text", 100),
        new("Account_Name", "lookup"),
        new("Lead_Source", "picklist", PickListValues: ["-None-", "Advertisement", "Cold Call", "Employee Referral", "External Referral", "Online Store", "Partner", "Trade Show", "Web Download", "Web Research", "Chat"]),
        new("Mailing_Street", "text", 250),
        new("Mailing_City", "text", 100),
        new("Mailing_State", "text", 100),
        new("Mailing_Zip", "text", 30),
        new("Mailing_Country", "text", 100),
        new("Description", "textarea", 32000),
        new("Owner", "ownerlookup", ReadOnly: true),
        new("Created_Time", "datetime", ReadOnly: true),
        new("Modified_Time", "datetime", ReadOnly: true),
        new("Created_By", "ownerlookup", ReadOnly: true),
        new("Modified_By", "ownerlookup", ReadOnly: true),
    ];

    /// <summary>The upload host for bulk write files (the same loopback server).</summary>
    public Uri UploadUrl => _server!.BaseUrl;

    /// <summary>The org id the sandbox expects in <c>X-CRM-ORG</c>.</summary>
    public string OrganizationId => "sandbox-org-700";

    /// <summary>Bulk read jobs created so far.</summary>
    public int BulkReadJobs => _bulk?.BulkReadJobs ?? 0;

    /// <summary>Bulk write jobs created so far.</summary>
    public int BulkWriteJobs => _bulk?.BulkWriteJobs ?? 0;

    /// <summary>The Zoho Accounts server to send token requests to.</summary>
    public Uri AccountsUrl => _server!.BaseUrl;

    /// <summary>The CRM API domain (the same loopback server).</summary>
    public Uri ApiDomain => _server!.BaseUrl;

    /// <summary>The OAuth client id the sandbox accepts.</summary>
    public string ClientId => _options.ClientId;

    /// <summary>The OAuth client secret the sandbox accepts.</summary>
    public string ClientSecret => _options.ClientSecret;

    /// <summary>The refresh token the sandbox accepts.</summary>
    public string RefreshToken => _options.RefreshToken;

    /// <summary>Every request received, token requests included, with the status answered.</summary>
    public RequestLog RequestLog { get; } = new();

    /// <summary>Faults answered instead of the real behaviour; see <see cref="TooManyRequests"/> and <see cref="ServerErrors"/>.</summary>
    public FaultPlan Faults { get; } = new();

    /// <summary>The Contacts module (standard fields, <see cref="ZohoSandboxModules.FeedbackContactFields"/>, and the extra fields of the options).</summary>
    public ZohoModuleStore Contacts => _modules["Contacts"];

    /// <summary>The Products module.</summary>
    public ZohoModuleStore Products => _modules["Products"];

    /// <summary>The Sales Orders module (<c>Sales_Orders</c>), with its <c>Ordered_Items</c> subform.</summary>
    public ZohoModuleStore SalesOrders => _modules["Sales_Orders"];

    /// <summary>The Cases module.</summary>
    public ZohoModuleStore Cases => _modules["Cases"];

    /// <summary>How many access tokens the sandbox has issued.</summary>
    public int TokensIssued => _accounts.TokensIssued;

    /// <summary>The access tokens issued so far, so that a test can check none of them leaks into a message or log.</summary>
    public IReadOnlyList<string> IssuedTokens => _accounts.IssuedTokens;

    internal ZohoPageTokens PageTokens { get; }

    /// <summary>Starts a sandbox on a random loopback port.</summary>
    /// <param name="options">Credentials, seed data, time zone.</param>
    /// <param name="clock">The sandbox clock: token expiry, page-token expiry and <c>Modified_Time</c> stamps.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<ZohoSandbox> StartAsync(ZohoSandboxOptions options, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        var sandbox = new ZohoSandbox(options, clock);
        var records = new ZohoSandboxRecords(sandbox._accounts, sandbox.PageTokens, sandbox.Module, options.TimeZone);
        var bulk = sandbox._bulk = new ZohoSandboxBulk(sandbox._accounts, sandbox.Module, clock, options, () => sandbox.ApiDomain);
        sandbox._server = await SandboxServer.StartAsync(routes =>
        {
            routes.MapPost("/oauth/v2/token", sandbox._accounts.GrantAsync);
            routes.MapGet("/crm/v8/settings/fields", records.FieldsAsync);
            routes.MapGet("/crm/v8/{module}", records.ListAsync);
            routes.MapGet("/crm/v8/{module}/{id}", records.GetOneAsync);
            routes.MapPost("/crm/v8/{module}/upsert", records.UpsertAsync);
            routes.MapPut("/crm/v8/{module}", records.UpdateAsync);
            routes.MapPut("/crm/v8/{module}/{id}", records.UpdateAsync);
            routes.MapPost("/crm/v8/coql", records.QueryAsync);
            routes.MapDelete("/crm/v8/{module}", bulk.DeleteAsync);
            routes.MapGet("/crm/v8/{module}/deleted", bulk.DeletedAsync);
            routes.MapGet("/crm/v8/{module}/actions/count", bulk.CountAsync);
            routes.MapPost("/crm/bulk/v8/read", bulk.CreateReadAsync);
            routes.MapGet("/crm/bulk/v8/read/{jobId}", bulk.ReadStatusAsync);
            routes.MapGet("/crm/bulk/v8/read/{jobId}/result", bulk.ReadResultAsync);
            routes.MapPost("/crm/v8/upload", bulk.UploadAsync);
            routes.MapPost("/crm/bulk/v8/write", bulk.CreateWriteAsync);
            routes.MapGet("/crm/bulk/v8/write/{jobId}", bulk.WriteStatusAsync);
            routes.MapGet("/crm/bulk/v8/write/{jobId}/result", bulk.WriteResultAsync);
        }, sandbox.RequestLog, sandbox.Faults, cancellationToken).ConfigureAwait(false);
        return sandbox;
    }

    /// <summary>A module by API name, or <see langword="null"/> when the sandbox has no such module.</summary>
    public ZohoModuleStore? Module(string apiName) => _modules.GetValueOrDefault(apiName);

    /// <summary>Every access token issued so far stops working at once, as a token expiring mid-run does.</summary>
    public void ExpireAllTokens() => _accounts.ExpireAll();

    /// <summary>
    /// A fault for <see cref="Faults"/>: the next <paramref name="times"/> CRM calls are throttled with
    /// 429 <c>TOO_MANY_REQUESTS</c> and <c>Retry-After: <paramref name="retryAfter"/></c>.
    /// </summary>
    public static Fault TooManyRequests(int times, TimeSpan retryAfter) => new(IsCrmCall, times, 429,
        ZohoReply.Envelope("TOO_MANY_REQUESTS", "The number of API requests for your organization has exceeded the limit."), retryAfter);

    /// <summary>A fault for <see cref="Faults"/>: the next <paramref name="times"/> CRM calls fail with <paramref name="status"/> <c>INTERNAL_ERROR</c>.</summary>
    public static Fault ServerErrors(int times, int status = 500) => new(IsCrmCall, times, status,
        ZohoReply.Envelope("INTERNAL_ERROR", "Internal Server Error"));

    /// <summary>A fault for <see cref="Faults"/>: the next <paramref name="times"/> CRM calls are refused with 401 <c>OAUTH_SCOPE_MISMATCH</c>.</summary>
    public static Fault ScopeMismatch(int times) => new(IsCrmCall, times, 401,
        ZohoReply.Envelope("OAUTH_SCOPE_MISMATCH", "invalid oauth scope to access this URL"));

    /// <summary>
    /// A fault for <see cref="Faults"/>: the next <paramref name="times"/> CRM calls are refused with 401
    /// <c>INVALID_TOKEN</c> whatever token they carry, as with a token revoked while fresh ones keep failing.
    /// </summary>
    public static Fault InvalidTokens(int times) => new(IsCrmCall, times, 401, ZohoReply.Envelope("INVALID_TOKEN", "invalid oauth token"));

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync().ConfigureAwait(false);
    }

    private static bool IsCrmCall(HttpRequest request) => request.Path.StartsWithSegments("/crm", StringComparison.Ordinal);

    private void Seed(Random random, TimeProvider clock)
    {
        if (_options.SeedContacts <= 0) return;
        // Spread over the hours before "now", several records to a second now and then, as real edits are.
        var now = clock.GetUtcNow();
        var at = now.AddSeconds(-_options.SeedContacts * 10L);
        at = at.AddTicks(-(at.Ticks % TimeSpan.TicksPerSecond));
        for (var i = 0; i < _options.SeedContacts; i++)
        {
            at = at.AddSeconds(random.Next(0, 20));
            if (at > now) at = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond));
            var first = FirstNames[random.Next(FirstNames.Length)];
            var last = LastNames[random.Next(LastNames.Length)];
            Contacts.Seed(new JObject
            {
                ["First_Name"] = first,
                ["Last_Name"] = last,
                ["Email"] = $"{first}.{last}.{i}@example.com".ToLowerInvariant(),
                ["Phone"] = $"+1 555 {random.Next(1_000_000, 10_000_000)}",
                ["Mailing_City"] = Cities[random.Next(Cities.Length)],
            }, at);
        }
    }
}
