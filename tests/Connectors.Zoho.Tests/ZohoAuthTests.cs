using Connectors.Core.Connectors;
using Connectors.Core.Sync;
using Connectors.Sandbox.Zoho;

namespace Connectors.Zoho.Tests;

public sealed class ZohoAuthTests
{
    private static async Task<string> WarmAsync(ZohoTestSystem zoho)
    {
        var id = zoho.Sandbox.Contacts.All()[0].Value<string>("id")!;
        await zoho.Connector.ReadByIdsAsync("Contacts", [id], TestContext.Current.CancellationToken);
        return id;
    }

    [Fact]
    public async Task Refresh_ManyConcurrentCallersOnExpiredToken_RefreshesOnce()
    {
        await using var zoho = await ZohoTestSystem.StartAsync(new ZohoSandboxOptions { SeedContacts = 5 });
        var id = await WarmAsync(zoho);
        zoho.Clock.Advance(TimeSpan.FromHours(1));

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            Task.Run(() => zoho.Connector.ReadByIdsAsync("Contacts", [id], TestContext.Current.CancellationToken))));

        Assert.Equal(2, zoho.TokenRequests);
        Assert.All(results, r => Assert.Equal(id, Assert.Single(r).Key.Id));
        Assert.DoesNotContain(zoho.CrmCalls, c => c.Status == 401);
    }

    [Fact]
    public async Task Refresh_ManyConcurrentCallersRefusedWithInvalidToken_RefreshOnceAndReplay()
    {
        await using var zoho = await ZohoTestSystem.StartAsync(new ZohoSandboxOptions { SeedContacts = 5 });
        var id = await WarmAsync(zoho);
        zoho.Sandbox.ExpireAllTokens();

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            Task.Run(() => zoho.Connector.ReadByIdsAsync("Contacts", [id], TestContext.Current.CancellationToken))));

        Assert.Equal(2, zoho.TokenRequests);
        Assert.All(results, r => Assert.Equal(id, Assert.Single(r).Key.Id));
        Assert.Equal(20, zoho.CrmCalls.Skip(1).Count(c => c.Status == 200));
    }

    [Fact]
    public async Task Refresh_TokenExpiringMidRun_IsRefreshedAndTheCallReplayed()
    {
        await using var zoho = await ZohoTestSystem.StartAsync(new ZohoSandboxOptions { SeedContacts = 600 });
        var read = 0;
        var pages = 0;

        await foreach (var page in zoho.Connector.ReadChangedAsync("Contacts", Watermark.Start, TestContext.Current.CancellationToken))
        {
            read += page.Records.Count;
            if (++pages == 1) zoho.Sandbox.ExpireAllTokens();
        }

        Assert.Equal(600, read);
        Assert.Equal(2, zoho.TokenRequests);
        var calls = zoho.CrmCalls;
        var refused = Assert.Single(calls, c => c.Status == 401);
        var replay = calls[calls.ToList().IndexOf(refused) + 1];
        Assert.Equal((refused.Query, 200), (replay.Query, replay.Status));
        Assert.Contains("page=2", refused.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_IsCachedUntilFiveMinutesBeforeItExpires()
    {
        await using var zoho = await ZohoTestSystem.StartAsync(new ZohoSandboxOptions { SeedContacts = 5 });
        var id = await WarmAsync(zoho);

        zoho.Clock.Advance(TimeSpan.FromMinutes(54));
        await zoho.Connector.ReadByIdsAsync("Contacts", [id], TestContext.Current.CancellationToken);
        var afterFiftyFourMinutes = zoho.TokenRequests;
        zoho.Clock.Advance(TimeSpan.FromMinutes(1));
        await zoho.Connector.ReadByIdsAsync("Contacts", [id], TestContext.Current.CancellationToken);

        Assert.Equal(1, afterFiftyFourMinutes);
        Assert.Equal(2, zoho.TokenRequests);
        Assert.DoesNotContain(zoho.CrmCalls, c => c.Status == 401);
    }

    [Fact]
    public async Task ScopeMismatch_FailsAsAuthenticationFailedWithoutRefreshOrReplay()
    {
        await using var zoho = await ZohoTestSystem.StartAsync(new ZohoSandboxOptions { SeedContacts = 5 });
        zoho.Sandbox.Faults.Add(ZohoSandbox.ScopeMismatch(1));

        var error = await Assert.ThrowsAsync<ConnectorException>(() => zoho.ReadAllAsync("Contacts", Watermark.Start));

        Assert.Equal((ConnectorErrorCode.AuthenticationFailed, "OAUTH_SCOPE_MISMATCH"), (error.Code, error.VendorCode));
        Assert.Single(zoho.CrmCalls);
        Assert.Equal(1, zoho.TokenRequests);
    }

    [Fact]
    public async Task Refresh_RefusedRefreshToken_FailsAsAuthenticationFailed()
    {
        await using var zoho = await ZohoTestSystem.StartAsync(new ZohoSandboxOptions { SeedContacts = 5 },
            options => options.RefreshToken = "1000.revoked-refresh-token");

        var error = await Assert.ThrowsAsync<ConnectorException>(() => zoho.ReadAllAsync("Contacts", Watermark.Start));

        Assert.Equal((ConnectorErrorCode.AuthenticationFailed, "invalid_code"), (error.Code, error.VendorCode));
        Assert.Equal("crm", error.System);
        Assert.Empty(zoho.CrmCalls);
    }

    [Fact]
    public async Task InvalidToken_RefusedAgainAfterTheRefresh_IsReplayedOnlyOnceThenFailsAsAuthenticationFailed()
    {
        await using var zoho = await ZohoTestSystem.StartAsync(new ZohoSandboxOptions { SeedContacts = 5 });
        zoho.Sandbox.Faults.Add(ZohoSandbox.InvalidTokens(5));

        var error = await Assert.ThrowsAsync<ConnectorException>(() => zoho.ReadAllAsync("Contacts", Watermark.Start));

        Assert.Equal((ConnectorErrorCode.AuthenticationFailed, "INVALID_TOKEN"), (error.Code, error.VendorCode));
        Assert.Equal([401, 401], zoho.CrmCalls.Select(c => c.Status));
        Assert.Equal(2, zoho.TokenRequests);
    }
}
