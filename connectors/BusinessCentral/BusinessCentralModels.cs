using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Connectors.BusinessCentral;

/// <summary>One page of an OData collection: the entities and, when more exist, the link to the next page.</summary>
public sealed class BusinessCentralPage
{
    /// <summary>The entities on this page, each with its fields and its <c>@odata.etag</c>.</summary>
    [JsonProperty("value")]
    public List<JObject> Value { get; set; } = [];

    /// <summary>The absolute address of the next page; followed unchanged. Absent on the last page.</summary>
    [JsonProperty("@odata.nextLink")]
    public string? NextLink { get; set; }
}

/// <summary>The OData error envelope Business Central answers failures with: <c>{"error":{"code","message"}}</c>.</summary>
public sealed class BusinessCentralErrorResponse
{
    /// <summary>The error.</summary>
    [JsonProperty("error")]
    public BusinessCentralError? Error { get; set; }
}

/// <summary>One Business Central error, for example <c>Request_EntityChanged</c> or <c>Application_StringExceededLength</c>.</summary>
public sealed class BusinessCentralError
{
    /// <summary>The machine-readable code.</summary>
    [JsonProperty("code")]
    public string? Code { get; set; }

    /// <summary>The message, in the service user's language.</summary>
    [JsonProperty("message")]
    public string? Message { get; set; }
}

/// <summary>The Entra ID token endpoint's answer to a client-credentials grant.</summary>
public sealed class BusinessCentralToken
{
    /// <summary>The bearer token. Never logged.</summary>
    [JsonProperty("access_token")]
    public string? AccessToken { get; set; }

    /// <summary>Always <c>Bearer</c>.</summary>
    [JsonProperty("token_type")]
    public string? TokenType { get; set; }

    /// <summary>Seconds until the token expires, counted from when it was issued.</summary>
    [JsonProperty("expires_in")]
    public int ExpiresIn { get; set; }
}

/// <summary>The Entra ID token endpoint's error answer (RFC 6749 §5.2).</summary>
public sealed class BusinessCentralTokenError
{
    /// <summary>The OAuth error, for example <c>invalid_client</c>.</summary>
    [JsonProperty("error")]
    public string? Error { get; set; }

    /// <summary>Entra's description, starting with its AADSTS code. It never carries the secret.</summary>
    [JsonProperty("error_description")]
    public string? Description { get; set; }
}

/// <summary>A webhook delivery: notifications of one or more subscriptions (api-reference v2.0, dynamics-subscriptions).</summary>
public sealed class BusinessCentralNotificationBatch
{
    /// <summary>The notifications.</summary>
    [JsonProperty("value")]
    public List<BusinessCentralNotification> Value { get; set; } = [];
}

/// <summary>One webhook notification.</summary>
public sealed class BusinessCentralNotification
{
    /// <summary>The subscription it belongs to.</summary>
    [JsonProperty("subscriptionId")]
    public string? SubscriptionId { get; set; }

    /// <summary>The opaque value given when subscribing; a shared secret that proves the sender.</summary>
    [JsonProperty("clientState")]
    public string? ClientState { get; set; }

    /// <summary>
    /// The changed entity, for example <c>api/v2.0/companies(…)/customers(…)</c>, or for a
    /// <c>collection</c> change the entity set with a <c>$filter</c>.
    /// </summary>
    [JsonProperty("resource")]
    public string? Resource { get; set; }

    /// <summary><c>created</c>, <c>updated</c>, <c>deleted</c> or <c>collection</c> (many records changed at once).</summary>
    [JsonProperty("changeType")]
    public string? ChangeType { get; set; }

    /// <summary>When the change happened, as an ISO-8601 UTC string.</summary>
    [JsonProperty("lastModifiedDateTime")]
    public string? LastModifiedDateTime { get; set; }
}
