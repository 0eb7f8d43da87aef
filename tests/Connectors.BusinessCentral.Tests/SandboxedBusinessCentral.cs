using Connectors.BusinessCentral;
using Connectors.Core.Connectors;
using Connectors.Core.Records;
using Connectors.Sandbox.BusinessCentral;
using Connectors.Testing;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;

namespace Connectors.BusinessCentral.Tests;

/// <summary>A Business Central emulator on loopback and a connector wired to it through the real DI registration.</summary>
internal sealed class SandboxedBusinessCentral : IAsyncDisposable
{
    public const string System = "erp";
    private readonly ServiceProvider _services;

    private SandboxedBusinessCentral(WaitObservingClock clock, BusinessCentralSandbox sandbox, BusinessCentralOptions options, ServiceProvider services)
    {
        Clock = clock;
        Sandbox = sandbox;
        Options = options;
        _services = services;
    }

    public WaitObservingClock Clock { get; }

    public BusinessCentralSandbox Sandbox { get; }

    public BusinessCentralOptions Options { get; }

    public BusinessCentralConnector Connector => _services.GetBusinessCentralConnector(System);

    public static async Task<SandboxedBusinessCentral> StartAsync(Action<BusinessCentralOptions>? configure = null,
        BusinessCentralSandboxOptions? sandboxOptions = null)
    {
        var clock = new WaitObservingClock();
        var sandbox = await BusinessCentralSandbox.StartAsync(sandboxOptions ?? new BusinessCentralSandboxOptions(), clock,
            TestContext.Current.CancellationToken);
        var options = new BusinessCentralOptions
        {
            TenantId = sandbox.TenantId,
            Environment = sandbox.Environment,
            CompanyId = sandbox.CompanyId,
            ClientId = sandbox.ClientId,
            ClientSecret = sandbox.ClientSecret,
            TokenEndpoint = sandbox.TokenEndpoint,
            BaseUrl = sandbox.ApiBaseUrl,
            PageSize = 10,
        };
        configure?.Invoke(options);
        var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(clock)
            .AddBusinessCentral(System, options)
            .BuildServiceProvider();
        return new SandboxedBusinessCentral(clock, sandbox, options, services);
    }

    public async Task<List<RecordPage>> ReadAllAsync(string stream, Watermark since)
    {
        var pages = new List<RecordPage>();
        await foreach (var page in Connector.ReadChangedAsync(stream, since, TestContext.Current.CancellationToken))
        {
            pages.Add(page);
        }
        return pages;
    }

    public int Requests(string method, string pathEnd) =>
        Sandbox.Log.Count(r => r.Method == method && r.Path.EndsWith(pathEnd, StringComparison.Ordinal));

    public int TokenRequests => Sandbox.Log.Count(r => r.Path.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal));

    public static WriteRequest Write(string sourceId, string? targetId, JObject payload, string? expectedVersion = null, params string[] matchFields) =>
        new(new RecordKey("crm.Contacts", sourceId), targetId, payload, matchFields, expectedVersion);

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}
