using Connectors.Core.Http;
using Connectors.Core.Records;
using Connectors.Core.Sync;
using Connectors.Sandbox.WooCommerce;
using Connectors.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Connectors.WooCommerce.Tests;

/// <summary>A sandbox WooCommerce store and a container with a WooCommerce system named <c>shop</c> pointed at it, on one fake clock.</summary>
internal sealed class WooCommerceHarness : IAsyncDisposable
{
    public const string System = "shop";
    public const string WebhookSecret = "wc-webhook-secret-8d2e";

    private WooCommerceHarness(WaitObservingClock clock, WooCommerceSandbox sandbox, ServiceProvider services)
    {
        Clock = clock;
        Sandbox = sandbox;
        Services = services;
    }

    public WaitObservingClock Clock { get; }

    public WooCommerceSandbox Sandbox { get; }

    public ServiceProvider Services { get; }

    public WooCommerceConnector Connector => Services.GetWooCommerceConnector(System);

    public WooCommerceWebhooks Webhooks => Services.GetWooCommerceWebhooks(System);

    public long CallsToTheStore => Services.GetRequiredService<ApiCallMeter>().CallsTo(System);

    /// <summary>The list calls the store received for <paramref name="collection"/>, in order.</summary>
    public IReadOnlyList<Sandbox.LoggedRequest> ListCalls(string collection) =>
        [.. Sandbox.RequestLog.Entries.Where(r => r.Path == $"{WooCommerceSandbox.ApiPath}/{collection}")];

    public static async Task<WooCommerceHarness> StartAsync(Action<WooCommerceOptions>? configure = null, WooCommerceSandboxOptions? sandboxOptions = null)
    {
        var clock = new WaitObservingClock();
        var sandbox = await WooCommerceSandbox.StartAsync(sandboxOptions ?? new WooCommerceSandboxOptions(), clock, TestContext.Current.CancellationToken);
        var options = new WooCommerceOptions
        {
            StoreUrl = sandbox.StoreUrl,
            ConsumerKey = sandbox.ConsumerKey,
            ConsumerSecret = sandbox.ConsumerSecret,
            WebhookSecret = WebhookSecret,
        };
        configure?.Invoke(options);
        var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(clock)
            .AddWooCommerceConnector(System, options)
            .BuildServiceProvider();
        return new WooCommerceHarness(clock, sandbox, services);
    }

    /// <summary>Reads every page of <paramref name="stream"/> changed since <paramref name="since"/>, advancing the clock through every wait on the way.</summary>
    public Task<List<RecordPage>> ReadPagesAsync(string stream, Watermark since) => DriveAsync(CollectAsync(stream, since));

    /// <summary>Runs <paramref name="work"/> to the end, advancing the clock past each short wait it makes (backoffs, Retry-After).</summary>
    public async Task<T> DriveAsync<T>(Task<T> work)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var stopper = work.ContinueWith(_ => stop.Cancel(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            while (true) await Clock.AdvancePastNextWaitAsync(IsShortWait, stop.Token);
        }
        catch (OperationCanceledException) when (work.IsCompleted)
        {
        }
        await stopper;
        return await work;
    }

    /// <summary>Waits the code under test makes on purpose; the resilience pipeline's 30 s and 10 min timeouts are not among them.</summary>
    public static bool IsShortWait(TimeSpan wait) => wait < TimeSpan.FromSeconds(30);

    public async Task<List<RecordPage>> CollectAsync(string stream, Watermark since)
    {
        var pages = new List<RecordPage>();
        await foreach (var page in Connector.ReadChangedAsync(stream, since, TestContext.Current.CancellationToken))
        {
            pages.Add(page);
        }
        return pages;
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}
