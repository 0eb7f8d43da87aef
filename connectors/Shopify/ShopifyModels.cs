using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Connectors.Shopify;

// The GraphQL envelope Shopify's Admin API speaks. Record payloads stay JObjects end to end; only the
// envelope (errors, cost, page info) is typed, because that is what the connector makes decisions on.

/// <summary>A GraphQL request body: the document and its variables.</summary>
public sealed class ShopifyGraphQLRequest
{
    /// <summary>The GraphQL document.</summary>
    [JsonProperty("query")]
    public string Query { get; set; } = "";

    /// <summary>The values of the document's variables.</summary>
    [JsonProperty("variables")]
    public JObject Variables { get; set; } = [];
}

/// <summary>A GraphQL response body: data, errors, and the cost extension Shopify adds to every answer.</summary>
public sealed class ShopifyGraphQLResponse
{
    /// <summary>The query's result, or <see langword="null"/> when it did not run (throttled, invalid).</summary>
    [JsonProperty("data")]
    public JObject? Data { get; set; }

    /// <summary>The errors, if any. A throttled query answers HTTP 200 with a <c>THROTTLED</c> error here.</summary>
    [JsonProperty("errors")]
    public List<ShopifyGraphQLError>? Errors { get; set; }

    /// <summary>Shopify's extensions, among them the query cost.</summary>
    [JsonProperty("extensions")]
    public ShopifyResponseExtensions? Extensions { get; set; }
}

/// <summary>One GraphQL error.</summary>
public sealed class ShopifyGraphQLError
{
    /// <summary>The error code Shopify uses to mark a refused, over-budget query.</summary>
    public const string ThrottledCode = "THROTTLED";

    /// <summary>
    /// Whether this error is Shopify refusing the query for lack of cost points. Shopify's own page quotes
    /// the message "Throttled"; the code THROTTLED is what clients see in <c>extensions</c>. Either counts.
    /// </summary>
    [JsonIgnore]
    public bool IsThrottled => Extensions?.Code == ThrottledCode || Message == "Throttled";

    /// <summary>The vendor's message.</summary>
    [JsonProperty("message")]
    public string Message { get; set; } = "";

    /// <summary>The error's extensions, with its machine-readable code when there is one.</summary>
    [JsonProperty("extensions")]
    public ShopifyGraphQLErrorExtensions? Extensions { get; set; }

    /// <summary>The path of the field the error is about, when it is about one.</summary>
    [JsonProperty("path")]
    public JArray? Path { get; set; }
}

/// <summary>The extensions of one GraphQL error.</summary>
public sealed class ShopifyGraphQLErrorExtensions
{
    /// <summary>The machine-readable code, for example <c>THROTTLED</c> or <c>ACCESS_DENIED</c>.</summary>
    [JsonProperty("code")]
    public string? Code { get; set; }
}

/// <summary>The response's <c>extensions</c> object.</summary>
public sealed class ShopifyResponseExtensions
{
    /// <summary>What the query cost and how full the app's bucket is now.</summary>
    [JsonProperty("cost")]
    public ShopifyQueryCost? Cost { get; set; }
}

/// <summary>The calculated cost of a query (<c>extensions.cost</c>).</summary>
public sealed class ShopifyQueryCost
{
    /// <summary>The worst-case cost, checked against the bucket before the query runs.</summary>
    [JsonProperty("requestedQueryCost")]
    public double RequestedQueryCost { get; set; }

    /// <summary>What the query really cost; the difference is refunded. Absent when the query did not run.</summary>
    [JsonProperty("actualQueryCost")]
    public double? ActualQueryCost { get; set; }

    /// <summary>The bucket after this query.</summary>
    [JsonProperty("throttleStatus")]
    public ShopifyThrottleStatus? ThrottleStatus { get; set; }
}

/// <summary>The app's leaky cost bucket on this store (<c>extensions.cost.throttleStatus</c>).</summary>
public sealed class ShopifyThrottleStatus
{
    /// <summary>The bucket's size in cost points.</summary>
    [JsonProperty("maximumAvailable")]
    public double MaximumAvailable { get; set; }

    /// <summary>The points available right now.</summary>
    [JsonProperty("currentlyAvailable")]
    public double CurrentlyAvailable { get; set; }

    /// <summary>Points restored per second (100 on the Standard plan, more on larger plans).</summary>
    [JsonProperty("restoreRate")]
    public double RestoreRate { get; set; }
}

/// <summary>A connection's <c>pageInfo</c>.</summary>
public sealed class ShopifyPageInfo
{
    /// <summary>Whether another page follows.</summary>
    [JsonProperty("hasNextPage")]
    public bool HasNextPage { get; set; }

    /// <summary>The opaque cursor to pass as <c>after</c> for the next page.</summary>
    [JsonProperty("endCursor")]
    public string? EndCursor { get; set; }
}

/// <summary>One page of a connection, selected as <c>nodes</c> plus <c>pageInfo</c>.</summary>
public sealed class ShopifyConnection
{
    /// <summary>The records on this page, as the vendor returned them.</summary>
    [JsonProperty("nodes")]
    public List<JObject?> Nodes { get; set; } = [];

    /// <summary>Where the next page starts.</summary>
    [JsonProperty("pageInfo")]
    public ShopifyPageInfo PageInfo { get; set; } = new();
}
