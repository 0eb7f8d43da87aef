using Connectors.Core.Connectors;
using Connectors.Core.Sync;
using Connectors.Sandbox.Zoho;

namespace Connectors.Zoho.Tests;

public sealed class ZohoSecretsTests
{
    [Fact]
    public async Task Failures_NeverCarryTheClientSecretRefreshTokenOrAccessTokenInTheirMessages()
    {
        var errors = new List<Exception>();
        await using (var refused = await ZohoTestSystem.StartAsync(configure: o => o.ClientSecret = "wrong-secret-4b1d"))
        {
            errors.Add(await Assert.ThrowsAsync<ConnectorException>(() => refused.ReadAllAsync("Contacts", Watermark.Start)));
            Assert.All(errors, e => Assert.DoesNotContain("wrong-secret-4b1d", e.ToString(), StringComparison.Ordinal));
        }
        await using var zoho = await ZohoTestSystem.StartAsync(new ZohoSandboxOptions { SeedContacts = 5 });
        zoho.Sandbox.Faults.Add(ZohoSandbox.ScopeMismatch(1));
        errors.Add(await Assert.ThrowsAsync<ConnectorException>(() => zoho.ReadAllAsync("Contacts", Watermark.Start)));
        zoho.Sandbox.Faults.Add(ZohoSandbox.TooManyRequests(1, TimeSpan.FromHours(1)));
        errors.Add(await Assert.ThrowsAsync<ConnectorException>(() => zoho.ReadAllAsync("Contacts", Watermark.Start)));
        zoho.Sandbox.Faults.Add(ZohoSandbox.ScopeMismatch(1));
        errors.Add(await Assert.ThrowsAsync<ConnectorException>(() =>
            zoho.Connector.WriteAsync("Contacts", [ZohoTestSystem.NewContact(1)], TestContext.Current.CancellationToken)));

        var secrets = zoho.Sandbox.IssuedTokens.Append(zoho.Sandbox.ClientSecret).Append(zoho.Sandbox.RefreshToken).ToList();
        Assert.NotEmpty(zoho.Sandbox.IssuedTokens);
        foreach (var error in errors)
        {
            var text = error.ToString();
            Assert.All(secrets, secret => Assert.DoesNotContain(secret, text, StringComparison.Ordinal));
            Assert.DoesNotContain(ZohoAuth.Scheme, text, StringComparison.Ordinal);
        }
    }
}
