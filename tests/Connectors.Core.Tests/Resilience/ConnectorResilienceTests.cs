using System.Net;
using Connectors.Core.Http;
using Connectors.Core.Resilience;
using Connectors.Sandbox;
using Connectors.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Polly.CircuitBreaker;

namespace Connectors.Core.Tests.Resilience;

public sealed class ConnectorResilienceTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CircuitBreaker_VendorKeepsFailing_OpensAndStopsCallingItUntilTheBreakIsOver()
    {
        var clock = new WaitObservingClock();
        await using var vendor = await StartVendorAsync();
        vendor.Faults.Add(new Fault(_ => true, 10, 500, """{"code":"INTERNAL_ERROR"}"""));
        using var services = Client(clock, new ConnectorResilienceOptions { MaxRetries = 0, BreakDuration = TimeSpan.FromSeconds(30) });
        var client = services.GetRequiredService<IHttpClientFactory>().CreateClient("vendor");

        for (var i = 0; i < 10; i++)
        {
            using var failed = await client.GetAsync(new Uri(vendor.Server.BaseUrl, "records"), Token);
            Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        }
        await Assert.ThrowsAsync<BrokenCircuitException>(() => client.GetAsync(new Uri(vendor.Server.BaseUrl, "records"), Token));
        Assert.Equal(10, vendor.Log.Count(_ => true));

        clock.Advance(TimeSpan.FromSeconds(31));
        using var recovered = await client.GetAsync(new Uri(vendor.Server.BaseUrl, "records"), Token);

        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
        Assert.Equal(11, vendor.Log.Count(_ => true));
    }

    [Fact]
    public async Task Retry_ThrottledWithinTheMaximum_WaitsExactlyTheRetryAfterThenSucceeds()
    {
        var clock = new WaitObservingClock();
        await using var vendor = await StartVendorAsync();
        vendor.Faults.Add(new Fault(_ => true, 1, 429, "", TimeSpan.FromSeconds(40)));
        using var services = Client(clock, new ConnectorResilienceOptions());
        var client = services.GetRequiredService<IHttpClientFactory>().CreateClient("vendor");

        var call = client.GetAsync(new Uri(vendor.Server.BaseUrl, "records"), Token);
        await clock.AdvancePastNextWaitAsync(w => w == TimeSpan.FromSeconds(40), Token);
        using var response = await call;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([429, 200], vendor.Log.Entries.Select(e => e.Status));
    }

    [Fact]
    public async Task Retry_ThrottledBeyondTheMaximum_GivesThe429BackAtOnceForTheRunToStop()
    {
        await using var vendor = await StartVendorAsync();
        vendor.Faults.Add(new Fault(_ => true, 1, 429, "", TimeSpan.FromMinutes(30)));
        using var services = Client(new WaitObservingClock(), new ConnectorResilienceOptions { MaxRetryAfter = TimeSpan.FromMinutes(2) });
        var client = services.GetRequiredService<IHttpClientFactory>().CreateClient("vendor");

        using var response = await client.GetAsync(new Uri(vendor.Server.BaseUrl, "records"), Token);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromMinutes(30), ConnectorHttpClientBuilderExtensions.RetryAfter(response));
        Assert.Equal(1, vendor.Log.Count(_ => true));
    }

    [Fact]
    public async Task ApiCallMeter_CountsEveryAttemptRetriesIncluded()
    {
        var clock = new WaitObservingClock();
        await using var vendor = await StartVendorAsync();
        vendor.Faults.Add(new Fault(_ => true, 2, 503, ""));
        using var services = Client(clock, new ConnectorResilienceOptions());
        var client = services.GetRequiredService<IHttpClientFactory>().CreateClient("vendor");

        var call = client.GetAsync(new Uri(vendor.Server.BaseUrl, "records"), Token);
        await clock.AdvancePastNextWaitAsync(w => w < TimeSpan.FromSeconds(29), Token);
        await clock.AdvancePastNextWaitAsync(w => w < TimeSpan.FromSeconds(29), Token);
        using var response = await call;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, services.GetRequiredService<ApiCallMeter>().CallsTo("vendor"));
    }

    [Fact]
    public async Task Retry_PostsNotRetried_AServerErrorOnACreateIsNotSentTwice_But429Is()
    {
        var clock = new WaitObservingClock();
        await using var vendor = await StartVendorAsync();
        vendor.Faults.Add(new Fault(_ => true, 1, 500, ""));
        using var services = Client(clock, new ConnectorResilienceOptions { RetryPosts = false });
        var client = services.GetRequiredService<IHttpClientFactory>().CreateClient("vendor");

        using var failed = await client.PostAsync(new Uri(vendor.Server.BaseUrl, "records"), new StringContent("{}"), Token);
        vendor.Faults.Add(new Fault(_ => true, 1, 429, "", TimeSpan.FromSeconds(40)));
        var throttled = client.PostAsync(new Uri(vendor.Server.BaseUrl, "records"), new StringContent("{}"), Token);
        await clock.AdvancePastNextWaitAsync(w => w == TimeSpan.FromSeconds(40), Token);
        using var created = await throttled;

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal([500, 429, 200], vendor.Log.Entries.Select(e => e.Status));
    }

    [Fact]
    public void Options_AttemptTimeoutLongerThanTotal_AreRefusedUpFrontNamingTheSetting()
    {
        var options = new ConnectorResilienceOptions { AttemptTimeout = TimeSpan.FromMinutes(5), TotalTimeout = TimeSpan.FromMinutes(1) };

        var error = Assert.Throws<System.ComponentModel.DataAnnotations.ValidationException>(options.Validate);

        Assert.Contains("AttemptTimeout", error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Client(TimeProvider clock, ConnectorResilienceOptions options)
    {
        var services = new ServiceCollection().AddSingleton(clock);
        services.AddHttpClient("vendor", c => c.Timeout = Timeout.InfiniteTimeSpan)
            .AddConnectorResilience("vendor", options)
            .AddApiCallMeter("vendor");
        return services.BuildServiceProvider();
    }

    private static async Task<Vendor> StartVendorAsync()
    {
        var log = new RequestLog();
        var faults = new FaultPlan();
        var server = await SandboxServer.StartAsync(app =>
        {
            app.MapGet("/records", () => Results.Json(new { data = Array.Empty<object>() }));
            app.MapPost("/records", () => Results.Json(new { id = "1" }));
        }, log, faults, Token);
        return new Vendor(server, log, faults);
    }

    private sealed record Vendor(SandboxServer Server, RequestLog Log, FaultPlan Faults) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Server.DisposeAsync();
    }
}
