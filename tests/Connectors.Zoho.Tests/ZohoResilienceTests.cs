using Connectors.Core.Connectors;
using Connectors.Core.Sync;
using Connectors.Sandbox.Zoho;

namespace Connectors.Zoho.Tests;

public sealed class ZohoResilienceTests
{
    [Fact]
    public async Task TooManyRequests_RetryAfterThirtySeconds_IsWaitedOutOnTheClockAndSucceeds()
    {
        await using var zoho = await ZohoTestSystem.StartAsync(new ZohoSandboxOptions { SeedContacts = 5 });
        zoho.Sandbox.Faults.Add(ZohoSandbox.TooManyRequests(1, TimeSpan.FromSeconds(30)));
        var start = zoho.Clock.GetUtcNow();
        using var bound = ZohoTestSystem.Bound();

        var read = zoho.ReadAllAsync("Contacts", Watermark.Start);
        var waited = await zoho.Clock.AdvancePastNextWaitAsync(w => w == TimeSpan.FromSeconds(30), bound.Token);
        var pages = await read;

        Assert.Equal(TimeSpan.FromSeconds(30), waited);
        Assert.Equal(TimeSpan.FromSeconds(30), zoho.Clock.GetUtcNow() - start);
        Assert.Equal(5, pages.Sum(p => p.Records.Count));
        Assert.Equal([429, 200], zoho.CrmCalls.Select(c => c.Status));
    }

    [Fact]
    public async Task TooManyRequests_RetryAfterAboveTheMaximum_FailsAsThrottledWithoutWaiting()
    {
        await using var zoho = await ZohoTestSystem.StartAsync(new ZohoSandboxOptions { SeedContacts = 5 });
        zoho.Sandbox.Faults.Add(ZohoSandbox.TooManyRequests(1, TimeSpan.FromMinutes(10)));
        var start = zoho.Clock.GetUtcNow();

        var error = await Assert.ThrowsAsync<ConnectorException>(() => zoho.ReadAllAsync("Contacts", Watermark.Start));

        Assert.Equal(ConnectorErrorCode.Throttled, error.Code);
        Assert.Equal("TOO_MANY_REQUESTS", error.VendorCode);
        Assert.Equal(TimeSpan.FromMinutes(10), error.RetryAfter);
        Assert.Single(zoho.CrmCalls);
        Assert.Equal(start, zoho.Clock.GetUtcNow());
    }

    [Fact]
    public async Task TooManyRequests_OnAWriteAboveTheMaximum_FailsTheBatchAsThrottled()
    {
        await using var zoho = await ZohoTestSystem.StartAsync();
        zoho.Sandbox.Faults.Add(ZohoSandbox.TooManyRequests(1, TimeSpan.FromMinutes(30)));

        var error = await Assert.ThrowsAsync<ConnectorException>(() =>
            zoho.Connector.WriteAsync("Contacts", [ZohoTestSystem.NewContact(1)], TestContext.Current.CancellationToken));

        Assert.Equal((ConnectorErrorCode.Throttled, TimeSpan.FromMinutes(30)), (error.Code, error.RetryAfter));
        Assert.Equal(0, zoho.Sandbox.Contacts.Count);
    }

    [Fact]
    public async Task ServerErrors_BurstOfThree_IsRetriedWithBackoffAndSucceeds()
    {
        await using var zoho = await ZohoTestSystem.StartAsync(new ZohoSandboxOptions { SeedContacts = 5 });
        zoho.Sandbox.Faults.Add(ZohoSandbox.ServerErrors(3));
        using var bound = ZohoTestSystem.Bound();

        var read = zoho.ReadAllAsync("Contacts", Watermark.Start);
        for (var retry = 0; retry < 3; retry++)
        {
            await zoho.Clock.AdvancePastNextWaitAsync(w => IsBackoff(zoho, w), bound.Token);
        }
        var pages = await read;

        Assert.Equal(5, pages.Sum(p => p.Records.Count));
        Assert.Equal([500, 500, 500, 200], zoho.CrmCalls.Select(c => c.Status));
    }

    [Fact]
    public async Task ServerErrors_OutlastingTheRetries_FailAsUnavailable()
    {
        await using var zoho = await ZohoTestSystem.StartAsync(new ZohoSandboxOptions { SeedContacts = 5 });
        zoho.Sandbox.Faults.Add(ZohoSandbox.ServerErrors(50, status: 503));
        using var bound = ZohoTestSystem.Bound();

        var read = zoho.ReadAllAsync("Contacts", Watermark.Start);
        for (var retry = 0; retry < zoho.Resilience.MaxRetries; retry++)
        {
            await zoho.Clock.AdvancePastNextWaitAsync(w => IsBackoff(zoho, w), bound.Token);
        }
        var error = await Assert.ThrowsAsync<ConnectorException>(() => read);

        Assert.Equal(ConnectorErrorCode.Unavailable, error.Code);
        Assert.Equal("INTERNAL_ERROR", error.VendorCode);
        Assert.Equal(zoho.Resilience.MaxRetries + 1, zoho.CrmCalls.Count);
    }

    // Every timer but the attempt and total timeouts is a retry backoff.
    private static bool IsBackoff(ZohoTestSystem zoho, TimeSpan wait) =>
        wait != zoho.Resilience.AttemptTimeout && wait != zoho.Resilience.TotalTimeout;
}
