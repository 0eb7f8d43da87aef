using Newtonsoft.Json.Linq;

namespace Connectors.Zoho.Tests;

public sealed class ZohoWebhooksTests
{
    private const string Channel = "1000000068001";
    private const string Token = "TOKEN_FOR_VERIFICATION_OF_1000000068001";

    private static readonly ZohoWebhooks Webhooks = new(new Dictionary<string, string> { [Channel] = Token });

    private static string Notification(string? token = Token, string channel = Channel) => new JObject
    {
        ["server_time"] = 1718117126473,
        ["query_params"] = new JObject(),
        ["module"] = "Contacts",
        ["resource_uri"] = "https://www.zohoapis.com/crm/v8/Contacts",
        ["ids"] = new JArray("5725767000003000064", "5725767000003000065"),
        ["affected_fields"] = new JArray(),
        ["operation"] = "update",
        ["channel_id"] = channel,
        ["token"] = token,
    }.ToString();

    [Fact]
    public void TryVerify_RightToken_ReturnsModuleOperationAndIds()
    {
        var verified = Webhooks.TryVerify(Notification(), out var notification, out var rejection);

        Assert.True(verified, rejection);
        Assert.Equal("Contacts", notification!.Module);
        Assert.Equal("update", notification.Operation);
        Assert.Equal(["5725767000003000064", "5725767000003000065"], notification.Ids);
        Assert.Null(notification.Token);
    }

    [Fact]
    public void TryVerify_WrongToken_IsRejectedWithoutEchoingIt()
    {
        var verified = Webhooks.TryVerify(Notification(token: "TOKEN_GUESSED_BY_AN_ATTACKER"), out var notification, out var rejection);

        Assert.False(verified);
        Assert.Null(notification);
        Assert.DoesNotContain("TOKEN_", rejection, StringComparison.Ordinal);
    }

    [Fact]
    public void TryVerify_MissingToken_IsRejected()
    {
        Assert.False(Webhooks.TryVerify(Notification(token: null), out _, out var rejection));
        Assert.Contains("no token", rejection, StringComparison.Ordinal);
    }

    [Fact]
    public void TryVerify_RightTokenForAnotherChannel_IsRejected()
    {
        Assert.False(Webhooks.TryVerify(Notification(channel: "1000000068999"), out _, out var rejection));
        Assert.Contains("channel", rejection, StringComparison.Ordinal);
    }

    [Fact]
    public void TryVerify_BodyThatIsNotJson_IsRejected()
    {
        Assert.False(Webhooks.TryVerify("token=abc", out _, out var rejection));
        Assert.Contains("not JSON", rejection, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetZohoWebhooks_UsesTheSystemsConfiguredChannels()
    {
        await using var zoho = await ZohoTestSystem.StartAsync(configure: o => o.WebhookChannels[Channel] = Token);

        var webhooks = zoho.Services.GetZohoWebhooks(ZohoTestSystem.System);

        Assert.True(webhooks.TryVerify(Notification(), out _, out _));
        Assert.False(webhooks.TryVerify(Notification(token: "other"), out _, out _));
    }
}
