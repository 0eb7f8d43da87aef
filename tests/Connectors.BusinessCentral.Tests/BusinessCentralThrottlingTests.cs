using Connectors.Core.Connectors;
using Connectors.Sandbox;

namespace Connectors.BusinessCentral.Tests;

public sealed class BusinessCentralThrottlingTests
{
    private const string TooManyRequests = """{"error":{"code":"Application_TooManyRequests","message":"Too many requests."}}""";

    [Fact]
    public async Task Read_Answered429WithRetryAfter_WaitsExactlyThatLongOnTheClockAndThenReads()
    {
        await using var bc = await SandboxedBusinessCentral.StartAsync();
        bc.Sandbox.Seed(4, seed: 2);
        bc.Sandbox.Faults.Add(new Fault(r => r.Path.Value!.EndsWith("/customers", StringComparison.Ordinal), 1, 429, TooManyRequests,
            TimeSpan.FromSeconds(7)));

        var read = bc.ReadAllAsync(BusinessCentralConnector.Customers, Watermark.Start);
        var waited = await bc.Clock.AdvancePastNextWaitAsync(w => w == TimeSpan.FromSeconds(7), TestContext.Current.CancellationToken);
        var pages = await read;

        Assert.Equal(TimeSpan.FromSeconds(7), waited);
        Assert.Equal(4, pages.Sum(p => p.Records.Count));
        Assert.Equal([429, 200], bc.Sandbox.Log.Entries.Where(r => r.Path.EndsWith("/customers", StringComparison.Ordinal)).Select(r => r.Status));
    }

    [Fact]
    public async Task Read_Answered429WithARetryAfterBeyondTheMaximumWait_FailsAsThrottledWithTheVendorsWait()
    {
        await using var bc = await SandboxedBusinessCentral.StartAsync(o => o.Resilience.MaxRetryAfter = TimeSpan.FromMinutes(2));
        bc.Sandbox.Faults.Add(new Fault(r => r.Path.Value!.EndsWith("/customers", StringComparison.Ordinal), 1, 429, TooManyRequests,
            TimeSpan.FromMinutes(10)));

        var failure = await Assert.ThrowsAsync<ConnectorException>(() => bc.ReadAllAsync(BusinessCentralConnector.Customers, Watermark.Start));

        Assert.Equal(ConnectorErrorCode.Throttled, failure.Code);
        Assert.Equal(TimeSpan.FromMinutes(10), failure.RetryAfter);
        Assert.Equal("Application_TooManyRequests", failure.VendorCode);
        Assert.Equal(1, bc.Requests("GET", "/customers"));
    }
}
