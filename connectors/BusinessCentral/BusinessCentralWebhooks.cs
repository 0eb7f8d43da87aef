using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using System.Web;
using Newtonsoft.Json;

namespace Connectors.BusinessCentral;

/// <summary>
/// Business Central webhook deliveries (api-reference v2.0, dynamics-subscriptions). A subscription is
/// confirmed by a handshake: Business Central calls the notification URL with a <c>validationToken</c> query
/// parameter and expects it back as the plain-text body of a 200. Notifications then arrive as
/// <c>{"value":[{subscriptionId, clientState, resource, changeType, lastModifiedDateTime}]}</c>; the
/// <c>clientState</c> given at subscription is the shared secret that proves the sender.
/// Notifications are triggers only: the worker re-reads the named records. Only the configured company's
/// changes are listed: a subscription of another company made with the same clientState is genuine, but
/// its ids mean nothing in this company, and a collection change of it would read this one's whole flow.
/// </summary>
public sealed partial class BusinessCentralWebhooks
{
    /// <summary>The longest validation token echoed; Business Central's are far shorter, and an echo must stay small.</summary>
    public const int MaxValidationTokenLength = 1024;

    private static readonly JsonSerializerSettings BodySettings = new() { DateParseHandling = DateParseHandling.None };
    private readonly byte[] _clientStateHash;
    private readonly Guid _companyId;

    /// <summary>Creates the reader of deliveries for subscriptions made with <paramref name="clientState"/> on the company <paramref name="companyId"/>.</summary>
    /// <param name="clientState">The clientState given when subscribing. Never logged, never part of a message.</param>
    /// <param name="companyId">The company's <c>id</c> GUID, as <see cref="BusinessCentralOptions.CompanyId"/> names it.</param>
    /// <exception cref="ArgumentException">The client state is empty, or the company id is not a GUID.</exception>
    public BusinessCentralWebhooks(string clientState, string companyId)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientState);
        if (!Guid.TryParse(companyId, out _companyId))
        {
            throw new ArgumentException("The company id must be the company's id GUID.", nameof(companyId));
        }
        _clientStateHash = SHA256.HashData(Encoding.UTF8.GetBytes(clientState));
    }

    /// <summary>
    /// Whether a request to the notification URL is the subscription handshake, and if so the token to
    /// answer with: status 200, <c>Content-Type: text/plain</c>, the token as the whole body.
    /// </summary>
    /// <param name="queryString">The request's query string, with or without its leading '?'.</param>
    /// <param name="validationToken">The token to echo.</param>
    public static bool TryReadHandshake(string? queryString, [NotNullWhen(true)] out string? validationToken)
    {
        validationToken = string.IsNullOrEmpty(queryString) ? null : HttpUtility.ParseQueryString(queryString)["validationToken"];
        if (string.IsNullOrEmpty(validationToken) || validationToken.Length > MaxValidationTokenLength)
        {
            validationToken = null;
            return false;
        }
        return true;
    }

    /// <summary>
    /// Verifies a delivery and lists its changes. The delivery is refused as a whole when it is not a
    /// notification batch or when any notification's clientState differs (compared in constant time):
    /// a forged notification must not ride along with genuine ones.
    /// </summary>
    /// <param name="body">The request body as received.</param>
    public BusinessCentralDelivery Read(string body)
    {
        BusinessCentralNotificationBatch? batch;
        try
        {
            batch = string.IsNullOrWhiteSpace(body) ? null : JsonConvert.DeserializeObject<BusinessCentralNotificationBatch>(body, BodySettings);
        }
        catch (JsonException)
        {
            batch = null;
        }
        if (batch is null || batch.Value.Count == 0)
        {
            return BusinessCentralDelivery.Refused("The body is not a Business Central notification batch.");
        }
        if (!batch.Value.All(n => ClientStateMatches(n.ClientState)))
        {
            return BusinessCentralDelivery.Refused("A notification's clientState does not match the subscription's.");
        }
        var changes = new List<BusinessCentralChange>(batch.Value.Count);
        var otherCompanies = 0;
        foreach (var notification in batch.Value)
        {
            if (ToChange(notification) is not { } change)
            {
                return BusinessCentralDelivery.Refused("A notification names no entity set of a company.");
            }
            if (Guid.Parse(change.CompanyId) == _companyId) changes.Add(change);
            else otherCompanies++;
        }
        return BusinessCentralDelivery.Accepted(changes, otherCompanies);
    }

    private bool ClientStateMatches(string? clientState)
    {
        // Hashing first gives both sides the same length, so the comparison time says nothing about the secret.
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(clientState ?? ""));
        return CryptographicOperations.FixedTimeEquals(hash, _clientStateHash) && clientState is not null;
    }

    private static BusinessCentralChange? ToChange(BusinessCentralNotification notification)
    {
        var match = ResourcePattern().Match(notification.Resource ?? "");
        if (!match.Success || notification.ChangeType is not { Length: > 0 } changeType) return null;
        DateTimeOffset? modified = DateTimeOffset.TryParse(notification.LastModifiedDateTime, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal, out var stamp) ? stamp : null;
        var id = match.Groups["id"].Success ? match.Groups["id"].Value : null;
        var filter = match.Groups["query"].Success ? HttpUtility.ParseQueryString(match.Groups["query"].Value)["$filter"] : null;
        return new BusinessCentralChange(match.Groups["company"].Value, match.Groups["set"].Value, id, changeType, modified, filter);
    }

    [GeneratedRegex(@"companies\((?<company>[0-9A-Fa-f\-]{36})\)/(?<set>[A-Za-z][A-Za-z0-9]*)(?:\((?<id>[0-9A-Fa-f\-]{36})\))?(?:\?(?<query>.*))?$",
        RegexOptions.CultureInvariant)]
    private static partial Regex ResourcePattern();
}
