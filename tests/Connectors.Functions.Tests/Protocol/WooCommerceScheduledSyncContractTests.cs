using Connectors.Functions.Hosting;
using Connectors.Functions.Tests.Infrastructure;
using Connectors.Testing;
using Newtonsoft.Json.Linq;

namespace Connectors.Functions.Tests.Protocol;

/// <summary>The <c>scheduled-sync</c> function reading a WooCommerce store from the flow's watermark into the CRM.</summary>
public sealed class WooCommerceScheduledSyncContractTests : IAsyncLifetime
{
    private readonly WaitObservingClock _clock = new();
    private WooToCrm _world = null!;
    private RunningApp _app = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _world = await WooToCrm.StartAsync(_clock, Token);
        _app = await RunningApp.StartAsync(_world.BuildApp(_clock, new FunctionAppSettings()), Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _world.DisposeAsync();
    }

    private static JObject TimerTrigger() => new()
    {
        ["Data"] = new JObject
        {
            ["timer"] = new JObject
            {
                ["Schedule"] = new JObject { ["AdjustForDST"] = true },
                ["ScheduleStatus"] = new JObject { ["Last"] = "2026-11-23T08:59:00Z", ["Next"] = "2026-11-23T09:00:00Z", ["LastUpdated"] = "2026-11-23T08:59:00Z" },
                ["IsPastDue"] = false,
            },
        },
        ["Metadata"] = new JObject { ["sys"] = new JObject { ["MethodName"] = "scheduled-sync", ["UtcNow"] = "2026-11-23T09:00:00Z", ["RandGuid"] = Guid.NewGuid().ToString() } },
    };

    private async Task<string> RunAsync()
    {
        var (status, answer) = await _app.InvokeAsync("scheduled-sync", TimerTrigger(), Token);
        Assert.Equal(200, status);
        return string.Join(Environment.NewLine, answer["Logs"]!.Values<string>());
    }

    [Fact]
    public async Task ScheduledSync_ReadsEveryCustomerOnce_ThenOnlyTheChangedOnes()
    {
        var customers = _world.Shop.Seed(150, seed: 21);

        await RunAsync();
        _clock.Advance(TimeSpan.FromMinutes(15));
        var first = await RunAsync();
        _clock.Advance(TimeSpan.FromMinutes(1));
        _world.Shop.UpdateCustomer(customers[3].Id, c => c.LastName = "Renamed");
        _world.Shop.UpdateCustomer(customers[140].Id, c => c.FirstName = "Renamed");
        _clock.Advance(TimeSpan.FromMinutes(14));
        _world.Shop.RequestLog.Clear();
        var second = await RunAsync();

        Assert.Contains($"Flow {WooToCrm.Flow}: Completed: read 150, created 150, updated 0", first, StringComparison.Ordinal);
        Assert.Contains("updated 2", second, StringComparison.Ordinal);
        // The customers endpoint has no date filter: both pages are read again, two records come out of them.
        Assert.Equal(2, _world.Shop.RequestLog.Count(r => r.Path.EndsWith("/customers", StringComparison.Ordinal)));
        Assert.Equal(150, _world.Crm.Contacts.Count);
        Assert.Equal("Renamed", (string?)_world.Crm.Contacts.FindByEmail(customers[3].Email.ToLowerInvariant())!["Last_Name"]);
    }
}
