using Newtonsoft.Json;
using Refit;

// The wire shapes of WooCommerce's REST API. Customers and orders stay JObjects end to end; only the query and
// the error body the connector decides on are typed.
namespace Connectors.WooCommerce;

/// <summary>The query of a list call; properties left <see langword="null"/> are not sent.</summary>
public sealed class WooCommerceListQuery
{
    /// <summary>The page, from 1.</summary>
    [AliasAs("page")]
    public int? Page { get; set; }

    /// <summary>Resources a page, 1 to <see cref="WooCommerceConnector.MaxPageSize"/> (WordPress answers 400 outside; the default is 10).</summary>
    [AliasAs("per_page")]
    public int? PerPage { get; set; }

    /// <summary>The sort field: customers take <c>id</c>, <c>include</c>, <c>name</c>, <c>registered_date</c>; orders <c>date</c>, <c>id</c>, <c>include</c>, <c>title</c>, <c>slug</c>, <c>modified</c>.</summary>
    [AliasAs("orderby")]
    public string? OrderBy { get; set; }

    /// <summary><c>asc</c> or <c>desc</c> (customers default to <c>asc</c>, orders to <c>desc</c>).</summary>
    [AliasAs("order")]
    public string? Order { get; set; }

    /// <summary>
    /// Orders only: those modified strictly after this instant, <c>yyyy-MM-ddTHH:mm:ss</c> without a zone (WordPress reads
    /// a zone-less value in the column's own time, so with <see cref="DatesAreGmt"/> it is UTC). The customers
    /// endpoint does not declare it and ignores it.
    /// </summary>
    [AliasAs("modified_after")]
    public string? ModifiedAfter { get; set; }

    /// <summary><c>true</c>: the date filters compare with the GMT columns (<c>post_modified_gmt</c>) rather than the site's local time.</summary>
    [AliasAs("dates_are_gmt")]
    public string? DatesAreGmt { get; set; }

    /// <summary>Only these ids, comma-separated.</summary>
    [AliasAs("include")]
    public string? Include { get; set; }
}

/// <summary>A WordPress REST error: <c>{"code", "message", "data": {"status"}}</c>.</summary>
public sealed class WooCommerceError
{
    /// <summary>The machine-readable code, for example <c>woocommerce_rest_cannot_view</c> or <c>rest_invalid_param</c>.</summary>
    [JsonProperty("code")]
    public string? Code { get; set; }

    /// <summary>What went wrong, in WordPress's words.</summary>
    [JsonProperty("message")]
    public string? Message { get; set; }
}
