using System.Globalization;
using System.IO.Hashing;
using System.Text;
using Connectors.BusinessCentral;

namespace Connectors.Functions.Webhooks;

/// <summary>
/// Business Central: a subscription's handshake (a <c>validationToken</c> in the query string) is echoed as plain
/// text; a notification batch is genuine when every notification carries the subscription's clientState, compared
/// in constant time. Each change is one event of its entity set, the stream a flow's source names. Business Central
/// gives a notification no id, so its duplicates are recognised by what a re-sent notification repeats: the resource
/// (company, entity set, entity or collection filter), the change type and <c>lastModifiedDateTime</c>.
/// </summary>
internal sealed class BusinessCentralWebhookVerifier(BusinessCentralWebhooks webhooks) : IWebhookVerifier
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    public WebhookVerdict Verify(WebhookRequest request)
    {
        if (BusinessCentralWebhooks.TryReadHandshake(request.Query, out var validationToken))
        {
            return new WebhookVerdict.Handshake(validationToken);
        }
        var bytes = request.Body.Span;
        // Business Central before version 19 began each notification with a byte order mark.
        if (bytes.StartsWith(Encoding.UTF8.Preamble)) bytes = bytes[Encoding.UTF8.Preamble.Length..];
        string body;
        try
        {
            body = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return new WebhookVerdict.Forged("The body is not UTF-8 text.");
        }
        var delivery = webhooks.Read(body);
        if (!delivery.Verified)
        {
            return new WebhookVerdict.Forged(delivery.Reason ?? "The delivery could not be verified.");
        }
        // A deleted entity is named by its id like any other change: notifications are triggers only, so the worker
        // reads it by id, finds it gone and writes nothing; reconciliation is what carries deletes to the target.
        // A collection change names no id: the worker runs the flow's incremental read instead.
        return new WebhookVerdict.Genuine(delivery.Changes
            .Select(change => new WebhookEvent(change.EntitySet, change.Id is { } id ? [id] : [], DeliveryKeyOf(change), change.Modified))
            .ToArray());
    }

    /// <summary>
    /// What a re-sent notification repeats. The subscription's id is left out: the connector does not keep it, and
    /// two subscriptions announcing the same change ask for the same work. Without a stamp there is nothing that
    /// tells a re-send from a later change of the same entity, so such a change is not deduplicated.
    /// </summary>
    private static string? DeliveryKeyOf(BusinessCentralChange change)
    {
        if (change.Modified is not { } modified) return null;
        // A collection filter can be long and holds characters storage keys refuse; its hash stands for it.
        var target = change.Id
            ?? XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(change.CollectionFilter ?? "")).ToString("x16", CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture,
            $"{change.CompanyId}/{change.EntitySet}/{target}/{change.ChangeType}/{modified.UtcTicks}").ToLowerInvariant();
    }
}
