using Connectors.Core.Connectors;
using Connectors.Core.Http;
using Connectors.Core.Sync;
using Connectors.Sandbox.Zoho;
using Connectors.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Connectors.Zoho.Tests;

public sealed class ZohoRegistrationTests
{
    [Fact]
    public async Task TwoZohoSystems_InOneContainer_EachTalkToTheirOwnOrgAndAreMeteredApart()
    {
        var clock = new WaitObservingClock();
        var ct = TestContext.Current.CancellationToken;
        await using var eu = await ZohoSandbox.StartAsync(new ZohoSandboxOptions { SeedContacts = 3, Seed = 1 }, clock, ct);
        await using var us = await ZohoSandbox.StartAsync(new ZohoSandboxOptions { SeedContacts = 7, Seed = 2, ClientSecret = "us-secret" }, clock, ct);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        foreach (var (name, sandbox) in new[] { ("crm-eu", eu), ("crm-us", us) })
        {
            services.AddZohoSystem(name, ZohoTestSystem.TestResilience()).Configure(o =>
            {
                o.AccountsUrl = sandbox.AccountsUrl;
                o.ApiDomain = sandbox.ApiDomain;
                o.ClientId = sandbox.ClientId;
                o.ClientSecret = sandbox.ClientSecret;
                o.RefreshToken = sandbox.RefreshToken;
            });
        }
        await using var provider = services.BuildServiceProvider();

        var euCount = await CountAsync(provider.GetZohoConnector("crm-eu"));
        var usCount = await CountAsync(provider.GetRequiredKeyedService<ISourceConnector>("crm-us"));

        Assert.Equal((3, 7), (euCount, usCount));
        var meter = provider.GetRequiredService<ApiCallMeter>();
        Assert.Equal((1, 1), (meter.CallsTo("crm-eu"), meter.CallsTo("crm-us")));
        Assert.IsType<ZohoConnector>(provider.GetRequiredKeyedService<ITargetConnector>("crm-eu"));
        Assert.Equal("crm-us", provider.GetZohoConnector("crm-us").System);
    }

    [Fact]
    public async Task InvalidOptions_FailWhenTheSystemIsResolvedNamingTheSetting()
    {
        var services = new ServiceCollection();
        services.AddZohoSystem("crm").Configure(o =>
        {
            o.ClientId = "id";
            o.RefreshToken = "token";
            o.MaxConcurrency = 99;
        });
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetZohoConnector("crm"));

        Assert.Contains("ClientSecret", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxConcurrency", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiCallMeter_CountsRetriesButNotTokenRequests()
    {
        await using var zoho = await ZohoTestSystem.StartAsync(new ZohoSandboxOptions { SeedContacts = 5 });
        zoho.Sandbox.Faults.Add(ZohoSandbox.TooManyRequests(1, TimeSpan.FromSeconds(5)));
        using var bound = ZohoTestSystem.Bound();

        var read = zoho.ReadAllAsync("Contacts", Watermark.Start);
        await zoho.Clock.AdvancePastNextWaitAsync(w => w == TimeSpan.FromSeconds(5), bound.Token);
        await read;

        Assert.Equal(2, zoho.Services.GetRequiredService<ApiCallMeter>().CallsTo(ZohoTestSystem.System));
        Assert.Equal(1, zoho.TokenRequests);
    }

    private static async Task<int> CountAsync(ISourceConnector connector)
    {
        var count = 0;
        await foreach (var page in connector.ReadChangedAsync("Contacts", Watermark.Start, TestContext.Current.CancellationToken))
        {
            count += page.Records.Count;
        }
        return count;
    }
}
