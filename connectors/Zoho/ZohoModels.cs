using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

// The wire shapes of the Zoho CRM and Zoho Accounts APIs, kept together because they only make sense
// next to each other (shared reference zoho-crm.md §1.2, §2.1, §3.3, §7.1).
namespace Connectors.Zoho;

/// <summary>The answer of <c>POST /oauth/v2/token</c>: a fresh access token, or an <see cref="Error"/>.</summary>
public sealed class ZohoTokenResponse
{
    /// <summary>The access token to send as <c>Authorization: Zoho-oauthtoken …</c>.</summary>
    [JsonProperty("access_token")]
    public string? AccessToken { get; set; }

    /// <summary>The API domain of the data centre that issued the token.</summary>
    [JsonProperty("api_domain")]
    public string? ApiDomain { get; set; }

    /// <summary>Always <c>Bearer</c>, although Zoho wants the <c>Zoho-oauthtoken</c> prefix on calls.</summary>
    [JsonProperty("token_type")]
    public string? TokenType { get; set; }

    /// <summary>Seconds until the access token expires (3600).</summary>
    [JsonProperty("expires_in")]
    public int ExpiresIn { get; set; }

    /// <summary>Zoho's error code when it refused the grant, for example <c>invalid_code</c> or <c>invalid_client</c>.</summary>
    [JsonProperty("error")]
    public string? Error { get; set; }
}

/// <summary>One page of <c>GET /crm/v8/{module}</c>.</summary>
public sealed class ZohoRecordPage
{
    /// <summary>The records, each a JSON object of field API names to values.</summary>
    [JsonProperty("data")]
    public List<JObject> Data { get; set; } = [];

    /// <summary>Paging details.</summary>
    [JsonProperty("info")]
    public ZohoPageInfo? Info { get; set; }
}

/// <summary>The <c>info</c> object of a record list: where this page is and how to get the next one.</summary>
public sealed class ZohoPageInfo
{
    /// <summary>The page size asked for.</summary>
    [JsonProperty("per_page")]
    public int PerPage { get; set; }

    /// <summary>How many records this page holds.</summary>
    [JsonProperty("count")]
    public int Count { get; set; }

    /// <summary>The page number.</summary>
    [JsonProperty("page")]
    public int Page { get; set; }

    /// <summary>Whether more records follow this page.</summary>
    [JsonProperty("more_records")]
    public bool MoreRecords { get; set; }

    /// <summary>The token that fetches the next page; the only way past record 2,000.</summary>
    [JsonProperty("next_page_token")]
    public string? NextPageToken { get; set; }

    /// <summary>The token that fetches the previous page.</summary>
    [JsonProperty("previous_page_token")]
    public string? PreviousPageToken { get; set; }

    /// <summary>When <see cref="NextPageToken"/> stops working (24 hours after it was issued).</summary>
    [JsonProperty("page_token_expiry")]
    public string? PageTokenExpiry { get; set; }

    /// <summary>The sort field used.</summary>
    [JsonProperty("sort_by")]
    public string? SortBy { get; set; }

    /// <summary>The sort order used.</summary>
    [JsonProperty("sort_order")]
    public string? SortOrder { get; set; }
}

/// <summary>The body of an upsert (<c>POST /crm/v8/{module}/upsert</c>) or update (<c>PUT /crm/v8/{module}</c>).</summary>
public sealed class ZohoWriteRequest
{
    /// <summary>The records, at most <see cref="ZohoConnector.MaxRecordsPerWrite"/>; updates carry their <c>id</c>.</summary>
    [JsonProperty("data")]
    public IReadOnlyList<JObject> Data { get; set; } = [];

    /// <summary>
    /// Which automations to run. Empty runs none, which keeps CRM workflows (and the webhooks they
    /// fire) from echoing our own writes back at us.
    /// </summary>
    [JsonProperty("trigger")]
    public IReadOnlyList<string> Trigger { get; set; } = [];

    /// <summary>Upsert only: the unique fields that find an existing record, in order of precedence.</summary>
    [JsonProperty("duplicate_check_fields")]
    public IReadOnlyList<string>? DuplicateCheckFields { get; set; }
}

/// <summary>The body of <c>POST /crm/v8/coql</c>.</summary>
public sealed class ZohoQuery
{
    /// <summary>The COQL <c>select</c> statement.</summary>
    [JsonProperty("select_query")]
    public string SelectQuery { get; set; } = "";
}

/// <summary>The answer to a write: one result per record, in request order.</summary>
public sealed class ZohoWriteResponse
{
    /// <summary>The per-record results.</summary>
    [JsonProperty("data")]
    public List<ZohoWriteResult> Data { get; set; } = [];
}

/// <summary>What Zoho did with one record of a write.</summary>
public sealed class ZohoWriteResult
{
    /// <summary><c>SUCCESS</c>, or an error code such as <c>INVALID_DATA</c> or <c>MANDATORY_NOT_FOUND</c>.</summary>
    [JsonProperty("code")]
    public string? Code { get; set; }

    /// <summary><c>success</c> or <c>error</c>.</summary>
    [JsonProperty("status")]
    public string? Status { get; set; }

    /// <summary>Zoho's message.</summary>
    [JsonProperty("message")]
    public string? Message { get; set; }

    /// <summary>Upsert only: <c>insert</c> or <c>update</c>.</summary>
    [JsonProperty("action")]
    public string? Action { get; set; }

    /// <summary>Upsert only: the field that matched an existing record.</summary>
    [JsonProperty("duplicate_field")]
    public string? DuplicateField { get; set; }

    /// <summary>On success the record's <c>id</c> and stamps; on error the blamed field's <c>api_name</c>.</summary>
    [JsonProperty("details")]
    public JObject? Details { get; set; }
}

/// <summary>A whole-request error, such as <c>INVALID_TOKEN</c> or <c>DISCRETE_PAGINATION_LIMIT_EXCEEDED</c>.</summary>
public sealed class ZohoError
{
    /// <summary>Zoho's error code.</summary>
    [JsonProperty("code")]
    public string? Code { get; set; }

    /// <summary>Zoho's message.</summary>
    [JsonProperty("message")]
    public string? Message { get; set; }

    /// <summary><c>error</c>.</summary>
    [JsonProperty("status")]
    public string? Status { get; set; }

    /// <summary>Details, such as the missing parameter's name.</summary>
    [JsonProperty("details")]
    public JObject? Details { get; set; }
}

/// <summary>The answer of <c>GET /crm/v8/settings/fields?module=…</c>.</summary>
public sealed class ZohoFieldsResponse
{
    /// <summary>The module's fields.</summary>
    [JsonProperty("fields")]
    public List<ZohoField> Fields { get; set; } = [];
}

/// <summary>One field of a module, as the metadata API describes it.</summary>
public sealed class ZohoField
{
    /// <summary>The name used in the records API, for example <c>Last_Name</c>.</summary>
    [JsonProperty("api_name")]
    public string? ApiName { get; set; }

    /// <summary>The type, for example <c>text</c>, <c>email</c>, <c>lookup</c>.</summary>
    [JsonProperty("data_type")]
    public string? DataType { get; set; }

    /// <summary>The maximum length of a value.</summary>
    [JsonProperty("length")]
    public int? Length { get; set; }

    /// <summary>Whether every record of the module must have a value.</summary>
    [JsonProperty("system_mandatory")]
    public bool SystemMandatory { get; set; }

    /// <summary>Whether the API ignores values written to the field (stamps, formulas, totals).</summary>
    [JsonProperty("read_only")]
    public bool ReadOnly { get; set; }

    /// <summary>The values a picklist or multi-select picklist allows; empty for other types.</summary>
    [JsonProperty("pick_list_values")]
    public List<ZohoPicklistValue> PickListValues { get; set; } = [];
}

/// <summary>One value of a picklist field, as the fields metadata API lists it.</summary>
public sealed class ZohoPicklistValue
{
    /// <summary>What the CRM shows a user.</summary>
    [JsonProperty("display_value")]
    public string? DisplayValue { get; set; }

    /// <summary>What the records API reads and writes.</summary>
    [JsonProperty("actual_value")]
    public string? ActualValue { get; set; }
}

/// <summary>What Zoho POSTs to a watch channel's <c>notify_url</c>: the ids of changed records, never their data.</summary>
public sealed class ZohoNotification
{
    /// <summary>Zoho's clock when it sent the notification, in Unix milliseconds.</summary>
    [JsonProperty("server_time")]
    public long ServerTime { get; set; }

    /// <summary>The module's API name, for example <c>Contacts</c>.</summary>
    [JsonProperty("module")]
    public string? Module { get; set; }

    /// <summary>The module's API address.</summary>
    [JsonProperty("resource_uri")]
    public string? ResourceUri { get; set; }

    /// <summary>The ids of the records the operation touched.</summary>
    [JsonProperty("ids")]
    public List<string> Ids { get; set; } = [];

    /// <summary>The fields that changed, when the channel asked for them.</summary>
    [JsonProperty("affected_fields")]
    public JToken? AffectedFields { get; set; }

    /// <summary><c>insert</c>, <c>update</c> or <c>delete</c>.</summary>
    [JsonProperty("operation")]
    public string? Operation { get; set; }

    /// <summary>The channel this notification belongs to.</summary>
    [JsonProperty("channel_id")]
    public string? ChannelId { get; set; }

    /// <summary>The verification token set when the channel was created; compare it, never log it.</summary>
    [JsonProperty("token")]
    public string? Token { get; set; }

    /// <summary>Query parameters that were appended to the notify URL.</summary>
    [JsonProperty("query_params")]
    public JObject? QueryParams { get; set; }
}
