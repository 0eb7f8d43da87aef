using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Refit;

// The wire shapes of Typeform's Responses API and webhooks. Responses stay JObjects end to end; only the
// envelope the connector decides on (paging, errors, the webhook's event) is typed.
namespace Connectors.Typeform;

/// <summary>The query of <c>GET /forms/{form_id}/responses</c>; properties left <see langword="null"/> are not sent.</summary>
public sealed class TypeformResponseQuery
{
    /// <summary>Responses a page, at most <see cref="TypeformConnector.MaxPageSize"/> (Typeform's default is 25).</summary>
    [AliasAs("page_size")]
    public int? PageSize { get; set; }

    /// <summary>Only responses submitted at or after this instant: ISO 8601, UTC, to the second (<c>2020-03-20T14:00:59</c>).</summary>
    [AliasAs("since")]
    public string? Since { get; set; }

    /// <summary>Only responses submitted at or before this instant, same format as <see cref="Since"/>.</summary>
    [AliasAs("until")]
    public string? Until { get; set; }

    /// <summary>Only responses after this response token (exclusive), in the order Typeform processed them; not with <see cref="Sort"/>.</summary>
    [AliasAs("after")]
    public string? After { get; set; }

    /// <summary>The order: <c>submitted_at,asc</c>, <c>submitted_at,desc</c> (Typeform's default), <c>landed_at,…</c>.</summary>
    [AliasAs("sort")]
    public string? Sort { get; set; }

    /// <summary><c>started</c>, <c>partial</c>, <c>completed</c>, comma-separated.</summary>
    [AliasAs("response_type")]
    public string? ResponseType { get; set; }

    /// <summary>Only these responses, by id, comma-separated.</summary>
    [AliasAs("included_response_ids")]
    public string? IncludedResponseIds { get; set; }
}

/// <summary>One page of responses.</summary>
public sealed class TypeformResponsePage
{
    /// <summary>How many responses match the query (this page and the ones after it).</summary>
    [JsonProperty("total_items")]
    public int TotalItems { get; set; }

    /// <summary>How many pages of this size the matching responses fill.</summary>
    [JsonProperty("page_count")]
    public int PageCount { get; set; }

    /// <summary>The responses, as Typeform returns them.</summary>
    [JsonProperty("items")]
    public List<JObject> Items { get; set; } = [];
}

/// <summary>Typeform's error body: <c>{"code", "description"}</c>.</summary>
public sealed class TypeformError
{
    /// <summary>The machine-readable code, for example <c>FORM_NOT_FOUND</c>.</summary>
    [JsonProperty("code")]
    public string? Code { get; set; }

    /// <summary>What went wrong, in Typeform's words.</summary>
    [JsonProperty("description")]
    public string? Description { get; set; }
}
