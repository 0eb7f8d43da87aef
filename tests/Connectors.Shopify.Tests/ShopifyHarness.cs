using Connectors.Core.Http;
using Connectors.Core.Records;
using Connectors.Core.Sync;
using Connectors.Sandbox.Shopify;
using Connectors.Shopify;
using Connectors.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Connectors.Shopify.Tests;

/// <summary>A sandbox store and a container with a Shopify system named <c>shop</c> pointed at it, on one fake clock.</summary>
internal sealed class ShopifyHarness : IAsyncDisposable
{
    public const string System = "shop";

    private ShopifyHarness(WaitObservingClock clock, ShopifySandbox sandbox, ServiceProvider services)
    {
        Clock = clock;
        Sandbox = sandbox;
        Services = services;
    }

    public WaitObservingClock Clock { get; }

    public ShopifySandbox Sandbox { get; }

    public ServiceProvider Services { get; }

    public ShopifyConnector Connector => Services.GetShopifyConnector(System);

    public long CallsToShopify => Services.GetRequiredService<ApiCallMeter>().CallsTo(System);

    public int GraphQLRequests => Sandbox.RequestLog.Count(r => r.Method == "POST" && r.Path.EndsWith("/graphql.json", StringComparison.Ordinal));

    public static async Task<ShopifyHarness> StartAsync(Action<ShopifyOptions>? configure = null, ShopifySandboxOptions? sandboxOptions = null)
    {
        var clock = new WaitObservingClock();
        var sandbox = await ShopifySandbox.StartAsync(sandboxOptions ?? new ShopifySandboxOptions(), clock, TestContext.Current.CancellationToken);
        var options = OptionsFor(sandbox);
        configure?.Invoke(options);
        var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(clock)
            .AddShopifyConnector(System, options)
            .BuildServiceProvider();
        return new ShopifyHarness(clock, sandbox, services);
    }

    public static ShopifyOptions OptionsFor(ShopifySandbox sandbox) => new()
    {
        ShopUrl = sandbox.ShopUrl,
        ApiVersion = "2025-10",
        AccessToken = sandbox.AccessToken,
    };

    /// <summary>Reads every page changed since <paramref name="since"/>, advancing the clock through every wait on the way.</summary>
    public Task<List<RecordPage>> ReadPagesAsync(Watermark since, string stream = "customers") => DriveAsync(CollectAsync(Connector, since, stream));

    /// <summary>Runs <paramref name="work"/> to the end, advancing the clock past each short wait it makes (backoffs, pacing, Retry-After).</summary>
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

    public static async Task<List<RecordPage>> CollectAsync(ShopifyConnector connector, Watermark since, string stream = "customers")
    {
        var pages = new List<RecordPage>();
        await foreach (var page in connector.ReadChangedAsync(stream, since, TestContext.Current.CancellationToken))
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
