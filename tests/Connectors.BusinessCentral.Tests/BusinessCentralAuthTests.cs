using System.ComponentModel.DataAnnotations;
using Connectors.Core.Connectors;
using Connectors.Sandbox;

namespace Connectors.BusinessCentral.Tests;

public sealed class BusinessCentralAuthTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Token_TwentyConcurrentCallsOnAColdCache_AskEntraForExactlyOneToken()
    {
        await using var bc = await SandboxedBusinessCentral.StartAsync();
        var ids = bc.Sandbox.Seed(20, seed: 8).Select(c => (string)c["id"]!).ToList();
        var connector = bc.Connector;

        var reads = await Task.WhenAll(ids.Select(id => Task.Run(() => connector.ReadByIdsAsync(BusinessCentralConnector.Customers, [id], Cancel), Cancel)));

        Assert.All(reads, r => Assert.Single(r));
        Assert.Equal(1, bc.TokenRequests);
        Assert.Equal(1, bc.Sandbox.TokensIssued);
        Assert.Equal(20, bc.Requests("GET", "/customers"));
    }

    [Fact]
    public async Task Token_IsKeptUntilShortlyBeforeItExpiresOnTheClock_ThenReplaced()
    {
        await using var bc = await SandboxedBusinessCentral.StartAsync(o => o.TokenRefreshMargin = TimeSpan.FromMinutes(5));
        var id = (string)bc.Sandbox.Seed(1, seed: 1)[0]["id"]!;
        await bc.Connector.ReadByIdsAsync(BusinessCentralConnector.Customers, [id], Cancel);

        bc.Clock.Advance(TimeSpan.FromMinutes(54));
        await bc.Connector.ReadByIdsAsync(BusinessCentralConnector.Customers, [id], Cancel);
        var afterFiftyFourMinutes = bc.TokenRequests;
        bc.Clock.Advance(TimeSpan.FromMinutes(2));
        await bc.Connector.ReadByIdsAsync(BusinessCentralConnector.Customers, [id], Cancel);

        Assert.Equal(1, afterFiftyFourMinutes);
        Assert.Equal(2, bc.TokenRequests);
        Assert.DoesNotContain(bc.Sandbox.Log.Entries, r => r.Status == 401);
    }

    [Fact]
    public async Task Token_RevokedBeforeItExpires_TheApis401IsAnsweredByOneRefreshAndAReplay()
    {
        await using var bc = await SandboxedBusinessCentral.StartAsync();
        var id = (string)bc.Sandbox.Seed(1, seed: 1)[0]["id"]!;
        await bc.Connector.ReadByIdsAsync(BusinessCentralConnector.Customers, [id], Cancel);

        bc.Sandbox.RevokeTokens();
        var records = await bc.Connector.ReadByIdsAsync(BusinessCentralConnector.Customers, [id], Cancel);

        Assert.Single(records);
        Assert.Equal(2, bc.TokenRequests);
        Assert.Equal([200, 401, 200], bc.Sandbox.Log.Entries.Where(r => r.Path.EndsWith("/customers", StringComparison.Ordinal)).Select(r => r.Status));
    }

    [Fact]
    public async Task WrongClientSecret_FailsAsAuthenticationFailed_AndNoMessageCarriesTheSecret()
    {
        const string wrongSecret = "wrong-secret-7f3a9c";
        await using var bc = await SandboxedBusinessCentral.StartAsync(o => o.ClientSecret = wrongSecret);

        var failure = await Assert.ThrowsAsync<ConnectorException>(() => bc.ReadAllAsync(BusinessCentralConnector.Customers, Watermark.Start));

        Assert.Equal(ConnectorErrorCode.AuthenticationFailed, failure.Code);
        Assert.Equal("invalid_client", failure.VendorCode);
        Assert.Contains("AADSTS7000215", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongSecret, failure.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(bc.Sandbox.ClientSecret, failure.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, bc.Requests("GET", "/customers"));
    }

    [Fact]
    public async Task ApiRefusingEvenAFreshToken_FailsAsAuthenticationFailed_AndNoMessageCarriesATokenOrSecret()
    {
        await using var bc = await SandboxedBusinessCentral.StartAsync();
        bc.Sandbox.Faults.Add(new Fault(r => r.Path.Value!.EndsWith("/customers", StringComparison.Ordinal), 2, 401,
            """{"error":{"code":"Authentication_InvalidCredentials","message":"The credentials provided are incorrect"}}"""));

        var failure = await Assert.ThrowsAsync<ConnectorException>(() => bc.ReadAllAsync(BusinessCentralConnector.Customers, Watermark.Start));

        Assert.Equal(ConnectorErrorCode.AuthenticationFailed, failure.Code);
        Assert.Equal("Authentication_InvalidCredentials", failure.VendorCode);
        Assert.Equal(2, bc.TokenRequests);
        Assert.DoesNotContain("eyJ0eXAi", failure.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(bc.Sandbox.ClientSecret, failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Options_WithBadSettings_FailAtRegistrationNamingTheSettingsButNeverTheSecret()
    {
        var options = new BusinessCentralOptions
        {
            TenantId = "contoso.onmicrosoft.com",
            CompanyId = "CRONUS",
            ClientId = "",
            ClientSecret = "s3cret-value-that-must-not-leak",
            MaxConcurrency = 0,
        };

        var failure = Assert.Throws<ValidationException>(() =>
            new Microsoft.Extensions.DependencyInjection.ServiceCollection().AddBusinessCentral("erp", options));

        Assert.Contains("CompanyId", failure.Message, StringComparison.Ordinal);
        Assert.Contains("ClientId", failure.Message, StringComparison.Ordinal);
        Assert.Contains("MaxConcurrency", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-value-that-must-not-leak", failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Options_ByDefault_PointAtEntraIdAndBusinessCentralOnline()
    {
        var options = new BusinessCentralOptions { TenantId = "contoso.onmicrosoft.com", Environment = "sandbox" };

        Assert.Equal("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token", options.EffectiveTokenEndpoint.AbsoluteUri);
        Assert.Equal("https://api.businesscentral.dynamics.com/v2.0/contoso.onmicrosoft.com/sandbox/api/v2.0", options.EffectiveBaseUrl.AbsoluteUri);
        Assert.Equal(BusinessCentralConnector.RequestsProcessedAtOnce, options.MaxConcurrency);
    }
}
