using System.Net;
using Connectors.Functions.Hosting;
using Connectors.Functions.Standalone;
using Connectors.Functions.Tests.Infrastructure;
using Connectors.Sandbox.WooCommerce;
using Microsoft.Extensions.Time.Testing;

namespace Connectors.Functions.Tests.EndToEnd;

/// <summary>
/// The standalone app (server, queue listener, timers) on its embedded SQLite state and queue, fed by the WooCommerce
/// store's webhook deliveries over HTTP, syncing into the Zoho emulator.
/// </summary>
public sealed class WooCommerceToZohoTests : IAsyncLifetime
{
    // The emulators' own clock, so that the test says when the store's next second begins: WooCommerce stamps changes
    // to the second, and a change in the same second as the one before shares its delivery key.
    private readonly FakeTimeProvider _store = new(DateTimeOffset.UtcNow);
    private WooToCrm _world = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _world = await WooToCrm.StartAsync(_store, Token);

    public async ValueTask DisposeAsync() => await _world.DisposeAsync();

    private static async Task<(Task Serving, Uri Address)> ServeAsync(FunctionApp app, CancellationToken stop)
    {
        var address = new TaskCompletionSource<Uri>();
        var serving = StandaloneHost.RunAsync(app, address.SetResult, stop);
        return (serving, await address.Task.WaitAsync(TimeSpan.FromSeconds(30), Token));
    }

    [Fact]
    public async Task CustomerWebhooks_CreatedThenUpdated_LeaveTheContactInTheCrmAsTheStoreHasIt()
    {
        _world.Shop.Seed(20, seed: 31);
        var customer = _world.Shop.AddCustomer(c =>
        {
            c.Email = " Ada.Lovelace@Example.com ";
            c.FirstName = "Ada";
            c.LastName = "Lovelace";
            c.Username = "ada";
            c.Billing = new WooAddress { FirstName = "Ada", LastName = "Lovelace", City = "London", Country = "GB", Email = "ada.lovelace@example.com", Phone = "+442079460123" };
        });
        var settings = new FunctionAppSettings
        {
            Port = 0,
            QueueName = TestNames.Queue(),
            MaxPollingInterval = TimeSpan.FromMilliseconds(200),
            BatchSize = 32,
            VisibilityTimeout = TimeSpan.Zero,
            MessageLease = TimeSpan.FromSeconds(30),
        };
        await using var app = _world.BuildApp(TimeProvider.System, settings);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var (serving, address) = await ServeAsync(app, stop.Token);
        using var client = new HttpClient();

        using var ping = await client.SendAsync(WooToCrm.Post(address, _world.Shop.Ping(webhookId: 1)), Token);
        using var created = await client.SendAsync(WooToCrm.Post(address, _world.Shop.WebhookDelivery("customer.created", customer.Id, WooToCrm.WebhookSecret, webhookId: 1)), Token);
        // Re-checked each time the CRM emulator answers a request, not on a timer.
        var synced = await Signal.WithinAsync(TimeSpan.FromMinutes(1), ct => _world.Crm.RequestLog.WaitUntilAsync(
            () => _world.Crm.Contacts.FindByEmail("ada.lovelace@example.com") is not null, ct), Token);
        _store.Advance(TimeSpan.FromSeconds(1));
        _world.Shop.UpdateCustomer(customer.Id, c => c.LastName = "King");
        using var updated = await client.SendAsync(WooToCrm.Post(address, _world.Shop.WebhookDelivery("customer.updated", customer.Id, WooToCrm.WebhookSecret, webhookId: 2)), Token);
        var renamed = await Signal.WithinAsync(TimeSpan.FromMinutes(1), ct => _world.Crm.RequestLog.WaitUntilAsync(
            () => (string?)_world.Crm.Contacts.FindByEmail("ada.lovelace@example.com")?["Last_Name"] == "King", ct), Token);
        await stop.CancelAsync();
        await serving;

        Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Contains("queued", await created.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.True(synced, "the created customer did not reach the CRM in time");
        Assert.True(renamed, "the renamed customer did not reach the CRM in time");
        // One contact, the webhook's customer only: the other customers of the store were not read.
        var contact = Assert.Single(_world.Crm.Contacts.All());
        Assert.Equal(("ada.lovelace@example.com", "Ada", "King", "+442079460123", $"WooCommerce customer {customer.Id}"),
            ((string?)contact["Email"], (string?)contact["First_Name"], (string?)contact["Last_Name"], (string?)contact["Phone"], (string?)contact["Description"]));
        // The worker read the customer by id from the store, as it is then, not from the webhook's body.
        var reads = _world.Shop.RequestLog.Entries.Where(r => r.Path == $"{WooCommerceSandbox.ApiPath}/customers").ToList();
        Assert.Equal(2, reads.Count);
        Assert.All(reads, r => Assert.Contains($"include={customer.Id}", r.Query, StringComparison.Ordinal));
        Assert.Empty(await app.Storage.State.GetDeadLettersAsync(null, Token));
    }
}
