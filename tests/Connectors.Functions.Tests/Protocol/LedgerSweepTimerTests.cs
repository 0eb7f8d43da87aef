using System.Net;
using Connectors.Core.Queue;
using Connectors.Functions.Hosting;
using Connectors.Functions.Tests.Infrastructure;
using Connectors.Functions.Timers;
using Connectors.Sandbox.Shopify;
using Connectors.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Newtonsoft.Json.Linq;

namespace Connectors.Functions.Tests.Protocol;

/// <summary>
/// The <c>ledger-sweep</c> timer, invoked as the Functions host does and ticked by the standalone scheduler loop: the
/// delivery ledger forgets what is older than the configured retention window, and a delivery that comes again after
/// that is taken in as new, while a younger one is still a duplicate.
/// </summary>
public sealed class LedgerSweepTimerTests : IAsyncLifetime
{
    // Not the default week: a sweep that used the default would keep the two-day-old delivery.
    private static readonly TimeSpan Retention = TimeSpan.FromDays(2);

    private readonly WaitObservingClock _clock = new();
    private ShopToCrm _world = null!;
    private RunningApp _app = null!;
    private SandboxCustomer _customer = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _world = await ShopToCrm.StartAsync(_clock, Token);
        _customer = _world.Shop.Seed(1, seed: 5)[0];
        var settings = new FunctionAppSettings
        {
            WebhookDeliveryRetention = Retention,
            // Every delivery goes to the ledger: none is settled by the instance's memory of recent ones.
            WebhookRecentDeliveries = 0,
            SchedulerTick = TimeSpan.FromSeconds(7),
        };
        _app = await RunningApp.StartAsync(_world.BuildApp(_clock, settings), Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _world.DisposeAsync();
    }

    /// <summary>Sends a delivery of <paramref name="eventId"/>, stamped now, and reads the answer's status.</summary>
    private async Task<string> DeliverAsync(string eventId)
    {
        using var response = await _app.Client.SendAsync(_world.Delivery(_app.Address, _customer.Id, eventId, _clock.GetUtcNow()), Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JObject.Parse(await response.Content.ReadAsStringAsync(Token)).Value<string>("status")!;
    }

    private async Task<(int Status, string Log)> SweepAsync()
    {
        var (status, answer) = await _app.InvokeAsync("ledger-sweep", TimerPayload.Create(isPastDue: false, "ledger-sweep"), Token);
        return (status, Assert.Single(answer["Logs"]!.Values<string>())!);
    }

    private async Task<string[]> DrainQueueAsync()
    {
        var messages = await _app.App.Storage.Queue.ReceiveAsync(32, TimeSpan.FromMinutes(5), Token);
        return [.. messages.Select(m => SyncRequest.FromJson(m.Body).EventId!).Order(StringComparer.Ordinal)];
    }

    /// <summary>One delivery on the first day, one a day later; the clock then at the second one.</summary>
    private async Task<(string Old, string Young)> DeliverTwoDaysApartAsync()
    {
        var old = await DeliverAsync("evt-old");
        _clock.Advance(TimeSpan.FromDays(1));
        var young = await DeliverAsync("evt-young");
        return (old, young);
    }

    [Fact]
    public async Task LedgerSweep_TimerPayload_FirstRunSweepsAtOnce_ThenDaily_ForgettingWhatIsOlderThanTheConfiguredRetention()
    {
        var taken = await DeliverTwoDaysApartAsync();

        // 2026-11-24 09:00: never swept before, so at once; nothing is two days old yet.
        var first = await SweepAsync();
        var sameDay = await SweepAsync();
        _clock.Advance(TimeSpan.FromHours(25));
        // 2026-11-25 10:00: the day's sweep, from 03:00, is due; the first delivery (11-23 09:00) is older than two days.
        var daily = await SweepAsync();
        Assert.Equal(["sandbox-shop.myshopify.com/evt-old", "sandbox-shop.myshopify.com/evt-young"], await DrainQueueAsync());
        var old = await DeliverAsync("evt-old");
        var young = await DeliverAsync("evt-young");

        Assert.Equal(("queued", "queued"), taken);
        Assert.Equal((200, "Delivery ledger: swept; forgot 0 deliveries claimed before 2026-11-22T09:00:00.0000000+00:00."), first);
        Assert.Equal((200, "Delivery ledger: the next sweep is due at 2026-11-25T03:00:00.0000000+00:00."), sameDay);
        Assert.Equal((200, "Delivery ledger: swept; forgot 1 deliveries claimed before 2026-11-23T10:00:00.0000000+00:00."), daily);
        Assert.Equal(("queued", "duplicate"), (old, young));
        Assert.Equal(["sandbox-shop.myshopify.com/evt-old"], await DrainQueueAsync());
    }

    [Fact]
    public async Task LedgerSweep_WhileAnotherInstanceHoldsTheSweepsLease_LeavesTheLedgerAlone()
    {
        await DeliverTwoDaysApartAsync();
        _clock.Advance(TimeSpan.FromDays(2));
        var other = await _app.App.Storage.Leases.TryAcquireAsync($"{DeliverySweep.LedgerName}#{DeliverySweep.TimerName}", TimeSpan.FromMinutes(2), Token);

        var held = await SweepAsync();
        var old = await DeliverAsync("evt-old");

        Assert.IsType<FlowLeaseAttempt.Acquired>(other);
        Assert.Equal((200, "Delivery ledger: another instance holds the sweep's lease and sweeps."), held);
        Assert.Equal("duplicate", old);
    }

    [Fact]
    public async Task SchedulerLoop_Standalone_SweepsOnItsTicks_WithTheConfiguredRetention()
    {
        var taken = await DeliverTwoDaysApartAsync();
        var app = _app.App;
        var loop = new SchedulerLoop(app.Scheduler, app.Sweep, app.Settings, _clock, NullLogger<SchedulerLoop>.Instance);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
        stop.CancelAfter(TimeSpan.FromMinutes(2));

        var running = loop.RunAsync(stop.Token);
        // The first tick, then its wait for the next: the sweep ran once, at once, and forgot nothing.
        await _clock.NextWaitAsync(w => w == app.Settings.SchedulerTick, stop.Token);
        var afterFirst = await app.Storage.Schedules.GetNextDueAsync(DeliverySweep.LedgerName, DeliverySweep.TimerName, Token);
        var youngBefore = await DeliverAsync("evt-young");
        _clock.Advance(TimeSpan.FromHours(25));
        await _clock.NextWaitAsync(w => w == app.Settings.SchedulerTick, stop.Token);
        var afterSecond = await app.Storage.Schedules.GetNextDueAsync(DeliverySweep.LedgerName, DeliverySweep.TimerName, Token);
        await stop.CancelAsync();
        await running;
        var old = await DeliverAsync("evt-old");
        var young = await DeliverAsync("evt-young");

        Assert.Equal(("queued", "queued"), taken);
        Assert.Equal("duplicate", youngBefore);
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 3, 0, 0, TimeSpan.Zero), afterFirst);
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 3, 0, 0, TimeSpan.Zero), afterSecond);
        Assert.Equal(("queued", "duplicate"), (old, young));
    }
}
