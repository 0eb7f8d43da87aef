using Newtonsoft.Json.Linq;

namespace Connectors.BusinessCentral.Tests;

/// <summary>Looking customers up by a field (for matching records not linked yet), and the versions reads carry.</summary>
public sealed class BusinessCentralLookupTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Find_ByEmail_IgnoresCase_AndReadsInChunksOfForty()
    {
        await using var bc = await SandboxedBusinessCentral.StartAsync();
        for (var i = 0; i < 45; i++)
        {
            bc.Sandbox.Insert(new JObject { ["displayName"] = $"N{i}", ["email"] = $"p{i}@example.com" });
        }
        var wanted = Enumerable.Range(0, 45).Select(i => $"P{i}@Example.com").Append("o'brien@example.com").ToArray();

        var found = await bc.Connector.FindAsync("customers", "email", wanted, Ct);

        Assert.Equal(45, found.Count);
        // Forty values a call (the second call has six), in the test connector's pages of ten: 4 + 1 requests.
        Assert.Equal(5, bc.Sandbox.Log.Count(r => r.Method == "GET" && r.Path.EndsWith("/customers", StringComparison.Ordinal)));
        Assert.All(found, r => Assert.Equal((string?)r.Data["@odata.etag"], r.Version));
    }

    [Fact]
    public async Task Find_WithAFieldThatIsNotAnIdentifier_IsRefusedBeforeAnyCall()
    {
        await using var bc = await SandboxedBusinessCentral.StartAsync();

        var refused = await Assert.ThrowsAsync<Connectors.Core.Connectors.ConnectorException>(() => bc.Connector.FindAsync("customers", "email eq 'x' or true", ["x"], Ct));

        Assert.Equal(Connectors.Core.Connectors.ConnectorErrorCode.InvalidRequest, refused.Code);
        Assert.Equal(0, bc.Sandbox.Log.Count(r => r.Path.Contains("/customers", StringComparison.Ordinal)));
    }
}
