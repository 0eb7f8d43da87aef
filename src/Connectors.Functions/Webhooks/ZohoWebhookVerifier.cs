using System.Globalization;
using System.IO.Hashing;
using System.Text;
using Connectors.Zoho;

namespace Connectors.Functions.Webhooks;

/// <summary>
/// Zoho: the channel's token, compared in constant time. Zoho gives a notification no id, so its
/// duplicates are recognised by what a re-sent notification repeats: channel, server time, operation and ids.
/// </summary>
internal sealed class ZohoWebhookVerifier(ZohoWebhooks webhooks) : IWebhookVerifier
{
    public WebhookVerdict Verify(WebhookRequest request)
    {
        string body;
        try
        {
            body = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(request.Body.Span);
        }
        catch (DecoderFallbackException)
        {
            return new WebhookVerdict.Forged("The body is not UTF-8 text.");
        }
        if (!webhooks.TryVerify(body, out var notification, out var rejection))
        {
            return new WebhookVerdict.Forged(rejection);
        }
        var ids = notification.Ids.Where(id => !string.IsNullOrWhiteSpace(id)).Distinct(StringComparer.Ordinal).ToArray();
        var idsHash = XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(string.Join(',', ids.Order(StringComparer.Ordinal))));
        var key = string.Create(CultureInfo.InvariantCulture,
            $"{notification.ChannelId}/{notification.ServerTime}/{notification.Operation}/{idsHash:x16}");
        DateTimeOffset? at = notification.ServerTime > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(notification.ServerTime) : null;
        return new WebhookVerdict.Genuine(ids.Length > 0 ? [new WebhookEvent(notification.Module!, ids, key, at)] : []);
    }
}
