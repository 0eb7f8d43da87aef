using Connectors.BusinessCentral;
using Connectors.Core.Configuration;
using Connectors.Core.Connectors;
using Connectors.Core.Http;
using Connectors.Core.Sync.TwoWay;
using Connectors.Sandbox;
using Connectors.Sandbox.BusinessCentral;
using Connectors.Sandbox.Zoho;
using Connectors.State.Sqlite;
using Connectors.Testing;
using Connectors.Zoho;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Newtonsoft.Json.Linq;

namespace Connectors.TwoWay.Tests;

/// <summary>
/// A Zoho CRM emulator ("crm", Contacts) and a Business Central emulator ("erp", customers) on loopback, the
/// real connectors wired to them through their DI registrations, a SQLite state store in a temp folder and the
/// two-way engine, all on fake clocks. The flow's right side (comparison terms) is Business Central.
/// </summary>
internal sealed class TwoWayHarness : IAsyncDisposable
{
    public const string FlowName = "contacts-erp";

    private readonly ServiceProvider _services;
    private readonly string _folder;

    private TwoWayHarness(WaitObservingClock clock, WaitObservingClock vendorClock, ZohoSandbox crm, BusinessCentralSandbox erp,
        ServiceProvider services, SqliteSyncStateStore state, string folder)
    {
        Clock = clock;
        VendorClock = vendorClock;
        Crm = crm;
        Erp = erp;
        _services = services;
        State = state;
        _folder = folder;
        Engine = new TwoWaySync(state, services.GetRequiredService<ApiCallMeter>(), clock, NullLogger<TwoWaySync>.Instance);
    }

    /// <summary>Our clock: the engine's.</summary>
    public WaitObservingClock Clock { get; }

    /// <summary>The vendors' clock: both emulators stamp their records with it. The same as <see cref="Clock"/> unless a test sets it apart.</summary>
    public WaitObservingClock VendorClock { get; }

    public ZohoSandbox Crm { get; }

    public BusinessCentralSandbox Erp { get; }

    public SqliteSyncStateStore State { get; }

    public TwoWaySync Engine { get; }

    public ZohoConnector CrmConnector => _services.GetZohoConnector("crm");

    public BusinessCentralConnector ErpConnector => _services.GetBusinessCentralConnector("erp");

    public static async Task<TwoWayHarness> StartAsync(bool separateVendorClock = false, int erpPageSize = 1000)
    {
        var clock = new WaitObservingClock();
        var vendorClock = separateVendorClock ? new WaitObservingClock() : clock;
        var ct = TestContext.Current.CancellationToken;
        var crm = await ZohoSandbox.StartAsync(new ZohoSandboxOptions(), vendorClock, ct);
        var erp = await BusinessCentralSandbox.StartAsync(new BusinessCentralSandboxOptions(), vendorClock, ct);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddZohoSystem("crm").Configure(o =>
        {
            o.AccountsUrl = crm.AccountsUrl;
            o.ApiDomain = crm.ApiDomain;
            o.ClientId = crm.ClientId;
            o.ClientSecret = crm.ClientSecret;
            o.RefreshToken = crm.RefreshToken;
        });
        services.AddBusinessCentral("erp", new BusinessCentralOptions
        {
            TenantId = erp.TenantId,
            Environment = erp.Environment,
            CompanyId = erp.CompanyId,
            ClientId = erp.ClientId,
            ClientSecret = erp.ClientSecret,
            TokenEndpoint = erp.TokenEndpoint,
            BaseUrl = erp.ApiBaseUrl,
            PageSize = erpPageSize,
        });
        var folder = Path.Combine(Path.GetTempPath(), "connectors-twoway-tests", Guid.NewGuid().ToString("N"));
        var state = await SqliteSyncStateStore.OpenAsync(new SqliteStateOptions { DatabasePath = Path.Combine(folder, "state.db") }, ct);
        return new TwoWayHarness(clock, vendorClock, crm, erp, services.BuildServiceProvider(), state, folder);
    }

    /// <summary>The flow used by most tests: names and phones and cities both ways, matched by e-mail.</summary>
    public static TwoWayFlow Flow(string conflicts = "policy: merge", string name = FlowName, string mapping = DefaultMapping, string reverse = DefaultReverse)
    {
        var yaml = $$"""
            systems:
              crm: { type: zoho }
              erp: { type: businesscentral }
            flows:
              {{name}}:
                from: crm.Contacts
                to: erp.customers
                direction: two-way
                match: [email]
                mapping: {{mapping}}
                reverse: {{reverse}}
                conflicts: { {{conflicts}} }
                duplicates: link-oldest
            """;
        var config = ConfigLoader.Parse(yaml, "two-way-test.yaml", new NoSecrets());
        return config.CompileTwoWay(config.Flow(name));
    }

    public const string DefaultMapping = "{ email: Email | trim | lower, displayName: Last_Name, phoneNumber: Phone, city: Mailing_City }";

    public const string DefaultReverse = "{ Email: email, Last_Name: displayName, Phone: phoneNumber, Mailing_City: city }";

    public SideConnectors Left => SideConnectors.Of(CrmConnector);

    public SideConnectors Right => SideConnectors.Of(ErpConnector);

    /// <summary>Runs <paramref name="flow"/> once (after moving both clocks a little, as time passes between runs).</summary>
    public Task<TwoWayReport> RunAsync(TwoWayFlow flow, SideConnectors? left = null, SideConnectors? right = null)
    {
        Advance(TimeSpan.FromSeconds(2));
        return Engine.RunAsync(flow, left ?? Left, right ?? Right, null, TestContext.Current.CancellationToken);
    }

    /// <summary>Moves our clock and the vendors' (when apart) by the same amount.</summary>
    public void Advance(TimeSpan by)
    {
        Clock.Advance(by);
        if (!ReferenceEquals(VendorClock, Clock)) VendorClock.Advance(by);
    }

    /// <summary>Write calls both emulators received (creates and updates), since the logs were last cleared.</summary>
    public int Writes => Crm.RequestLog.Count(IsCrmWrite) + Erp.Log.Count(IsErpWrite);

    public int CrmWrites => Crm.RequestLog.Count(IsCrmWrite);

    public int ErpWrites => Erp.Log.Count(IsErpWrite);

    public void ClearLogs()
    {
        Crm.RequestLog.Clear();
        Erp.Log.Clear();
    }

    /// <summary>Empties both emulators, so that one harness serves many cases.</summary>
    public void Reset()
    {
        Crm.Contacts.Clear();
        Erp.Clear();
        ClearLogs();
    }

    /// <summary>A CRM user creates a contact.</summary>
    public JObject CrmInsert(string email, string name, string? phone = null, string? city = null)
    {
        var fields = new JObject { ["Email"] = email, ["Last_Name"] = name };
        if (phone is not null) fields["Phone"] = phone;
        if (city is not null) fields["Mailing_City"] = city;
        return Crm.Contacts.Insert(fields);
    }

    /// <summary>An ERP user creates a customer.</summary>
    public JObject ErpInsert(string email, string name, string? phone = null, string? city = null) =>
        Erp.Insert(new JObject { ["email"] = email, ["displayName"] = name, ["phoneNumber"] = phone ?? "", ["city"] = city ?? "" });

    public JObject? CrmByEmail(string email) => Crm.Contacts.FindByEmail(email);

    public JObject? ErpByEmail(string email) =>
        Erp.Customers.FirstOrDefault(c => string.Equals((string?)c["email"], email, StringComparison.OrdinalIgnoreCase));

    private static bool IsCrmWrite(LoggedRequest r) =>
        r.Path.StartsWith("/crm/v8/", StringComparison.Ordinal) && r.Path != "/crm/v8/coql" && r.Method is "POST" or "PUT" or "DELETE";

    private static bool IsErpWrite(LoggedRequest r) =>
        r.Path.Contains("/companies(", StringComparison.Ordinal) && r.Method is "POST" or "PATCH" or "DELETE";

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await State.DisposeAsync();
        await Crm.DisposeAsync();
        await Erp.DisposeAsync();
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    private sealed class NoSecrets : ISecretResolver
    {
        public string? Resolve(string kind, string name) => null;
    }
}
