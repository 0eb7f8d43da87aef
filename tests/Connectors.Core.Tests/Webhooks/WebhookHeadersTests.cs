using Connectors.Core.Webhooks;

namespace Connectors.Core.Tests.Webhooks;

public sealed class WebhookHeadersTests
{
    [Fact]
    public void ByName_ACaseInsensitiveDictionary_IsTakenAsItIs()
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["X-Topic"] = "orders/create" };

        Assert.Same(headers, WebhookHeaders.ByName(headers));
    }

    [Fact]
    public void ByName_AnyOtherSequence_IsCopiedToMatchNamesInAnyCase_TheLastOfANameCounting()
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal) { ["x-topic"] = "orders/create", ["X-TOPIC"] = "orders/updated" };

        var byName = WebhookHeaders.ByName(headers);

        Assert.NotSame(headers, byName);
        Assert.Equal("orders/updated", byName["X-Topic"]);
        Assert.Equal("a", WebhookHeaders.ByName([new("Id", "a")])["ID"]);
    }
}
