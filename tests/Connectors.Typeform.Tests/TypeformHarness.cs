using Connectors.Core.Http;
using Connectors.Core.Records;
using Connectors.Core.Sync;
using Connectors.Sandbox.Typeform;
using Connectors.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Connectors.Typeform.Tests;

/// <summary>A sandbox Typeform account and a container with a Typeform system named <c>survey</c> pointed at it, on one fake clock.</summary>
internal sealed class TypeformHarness : IAsyncDisposable
{
    public const string System = "survey";
    public const string WebhookSecret = "tf-webhook-secret-3c9a";

    private TypeformHarness(WaitObservingClock clock, TypeformSandbox sandbox, ServiceProvider services)
    {
        Clock = clock;
        Sandbox = sandbox;
        Services = services;
    }

    public WaitObservingClock Clock { get; }

    public TypeformSandbox Sandbox { get; }

    public ServiceProvider Services { get; }

    public TypeformConnector Connector => Services.GetTypeformConnector(System);

    public long CallsToTypeform => Services.GetRequiredService<ApiCallMeter>().CallsTo(System);

    public IReadOnlyList<Sandbox.LoggedRequest> ResponseCalls => [.. Sandbox.RequestLog.Entries.Where(r => r.Path.EndsWith("/responses", StringComparison.Ordinal))];

    public static async Task<TypeformHarness> StartAsync(Action<TypeformOptions>? configure = null, TypeformSandboxOptions? sandboxOptions = null)
    {
        var clock = new WaitObservingClock();
        var sandbox = await TypeformSandbox.StartAsync(sandboxOptions ?? new TypeformSandboxOptions(), clock, TestContext.Current.CancellationToken);
        var options = new TypeformOptions
        {
            BaseUrl = sandbox.BaseUrl,
            AccessToken = sandbox.AccessToken,
            FormId = sandbox.FormId,
            WebhookSecret = WebhookSecret,
        };
        configure?.Invoke(options);
        var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(clock)
            .AddTypeformConnector(System, options)
            .BuildServiceProvider();
        return new TypeformHarness(clock, sandbox, services);
    }

    /// <summary>Reads every page changed since <paramref name="since"/>, advancing the clock through every wait on the way.</summary>
    public Task<List<RecordPage>> ReadPagesAsync(Watermark since) => DriveAsync(CollectAsync(since));

    /// <summary>Runs <paramref name="work"/> to the end, advancing the clock past each short wait it makes (pacing, backoffs, Retry-After).</summary>
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

    public async Task<List<RecordPage>> CollectAsync(Watermark since)
    {
        var pages = new List<RecordPage>();
        await foreach (var page in Connector.ReadChangedAsync(TypeformConnector.ResponsesStream, since, TestContext.Current.CancellationToken))
        {
            pages.Add(page);
        }
        return pages;
    }

    public static IReadOnlyList<string?> Emails(int count) => [.. Enumerable.Range(1, count).Select(i => (string?)$"respondent{i}@example.com")];

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}
