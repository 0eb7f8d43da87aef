using Connectors.Core.Connectors;
using Connectors.Core.Records;
using Connectors.Core.Resilience;
using Connectors.Core.Sync;
using Connectors.Sandbox;
using Connectors.Sandbox.Zoho;
using Connectors.Testing;
using Connectors.Zoho;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;

namespace Connectors.Zoho.Tests;

/// <summary>A Zoho sandbox on loopback and a container with the Zoho system "crm" pointed at it, on one fake clock.</summary>
internal sealed class ZohoTestSystem : IAsyncDisposable
{
    public const string System = "crm";

    private ZohoTestSystem(WaitObservingClock clock, ZohoSandbox sandbox, ServiceProvider services, ConnectorResilienceOptions resilience)
    {
        Clock = clock;
        Sandbox = sandbox;
        Services = services;
        Resilience = resilience;
    }

    public WaitObservingClock Clock { get; }

    public ZohoSandbox Sandbox { get; }

    public ServiceProvider Services { get; }

    public ConnectorResilienceOptions Resilience { get; }

    public ZohoConnector Connector => Services.GetZohoConnector(System);

    /// <summary>Token requests the sandbox received.</summary>
    public int TokenRequests => Sandbox.RequestLog.Count(r => r.Path == "/oauth/v2/token");

    /// <summary>CRM record calls (not token requests) the sandbox received.</summary>
    public IReadOnlyList<LoggedRequest> CrmCalls => [.. Sandbox.RequestLog.Entries.Where(r => r.Path.StartsWith("/crm/", StringComparison.Ordinal))];

    /// <summary>Test resilience: the defaults, with an attempt timeout no backoff or Retry-After in these tests equals.</summary>
    public static ConnectorResilienceOptions TestResilience() => new()
    {
        MaxRetries = 4,
        BaseDelay = TimeSpan.FromSeconds(1),
        MaxRetryAfter = TimeSpan.FromMinutes(2),
        AttemptTimeout = TimeSpan.FromSeconds(47),
        TotalTimeout = TimeSpan.FromMinutes(10),
    };

    public static async Task<ZohoTestSystem> StartAsync(ZohoSandboxOptions? sandboxOptions = null, Action<ZohoOptions>? configure = null,
        ConnectorResilienceOptions? resilience = null)
    {
        var clock = new WaitObservingClock();
        var sandbox = await ZohoSandbox.StartAsync(sandboxOptions ?? new ZohoSandboxOptions(), clock, TestContext.Current.CancellationToken);
        resilience ??= TestResilience();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddZohoSystem(System, resilience).Configure(options =>
        {
            options.AccountsUrl = sandbox.AccountsUrl;
            options.ApiDomain = sandbox.ApiDomain;
            options.ClientId = sandbox.ClientId;
            options.ClientSecret = sandbox.ClientSecret;
            options.RefreshToken = sandbox.RefreshToken;
            options.UploadUrl = sandbox.UploadUrl;
            configure?.Invoke(options);
        });
        return new ZohoTestSystem(clock, sandbox, services.BuildServiceProvider(), resilience);
    }

    /// <summary>Reads every page of <paramref name="stream"/> changed since <paramref name="since"/>.</summary>
    public async Task<List<RecordPage>> ReadAllAsync(string stream, Watermark since)
    {
        var pages = new List<RecordPage>();
        await foreach (var page in Connector.ReadChangedAsync(stream, since, TestContext.Current.CancellationToken))
        {
            pages.Add(page);
        }
        return pages;
    }

    /// <summary>An unlinked write request for a contact, matched by Email.</summary>
    public static WriteRequest NewContact(int n, string? email = null, string? lastName = "Doe", string firstName = "Jo") =>
        new(new RecordKey("shop.customers", $"c{n}"), null,
            new JObject { ["First_Name"] = firstName, ["Last_Name"] = lastName, ["Email"] = email ?? $"jo.doe.{n}@example.com" },
            ["Email"]);

    /// <summary>A token that cancels when the test does, or after a generous real-time bound so a broken wait fails instead of hanging.</summary>
    public static CancellationTokenSource Bound()
    {
        var bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        bound.CancelAfter(TimeSpan.FromSeconds(60));
        return bound;
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}
