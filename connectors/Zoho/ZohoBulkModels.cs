using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

// The wire shapes of Zoho's deleted-records, count and bulk APIs (shared reference zoho-crm.md §2.3, §6),
// kept apart from the records API's because they only make sense next to each other.
namespace Connectors.Zoho;

/// <summary>One page of <c>GET /crm/v8/{module}/deleted</c>.</summary>
public sealed class ZohoDeletedPage
{
    /// <summary>The deleted records.</summary>
    [JsonProperty("data")]
    public List<ZohoDeletedRecord> Data { get; set; } = [];

    /// <summary>Paging details.</summary>
    [JsonProperty("info")]
    public ZohoPageInfo? Info { get; set; }
}

/// <summary>A record Zoho remembers as deleted.</summary>
public sealed class ZohoDeletedRecord
{
    /// <summary>The record's id as it was.</summary>
    [JsonProperty("id")]
    public string? Id { get; set; }

    /// <summary>The record's name as it was shown.</summary>
    [JsonProperty("display_name")]
    public string? DisplayName { get; set; }

    /// <summary><c>recycle</c> (in the recycle bin, 60 days) or <c>permanent</c>.</summary>
    [JsonProperty("type")]
    public string? Type { get; set; }

    /// <summary>When it was deleted.</summary>
    [JsonProperty("deleted_time")]
    public string? DeletedTime { get; set; }

    /// <summary>Who deleted it.</summary>
    [JsonProperty("deleted_by")]
    public JObject? DeletedBy { get; set; }
}

/// <summary>The answer of <c>GET /crm/v8/{module}/actions/count</c>.</summary>
public sealed class ZohoCount
{
    /// <summary>How many records the module holds.</summary>
    [JsonProperty("count")]
    public long Count { get; set; }
}

/// <summary>The body of <c>POST /crm/bulk/v8/read</c>.</summary>
public sealed class ZohoBulkReadRequest
{
    /// <summary>What to export.</summary>
    [JsonProperty("query")]
    public ZohoBulkReadQuery Query { get; set; } = new();
}

/// <summary>The query of a bulk read job.</summary>
public sealed class ZohoBulkReadQuery
{
    /// <summary>The module, as <c>{"api_name": …}</c>.</summary>
    [JsonProperty("module")]
    public ZohoModuleRef Module { get; set; } = new();

    /// <summary>The fields to export (API names); <c>Id</c> always comes first in the file.</summary>
    [JsonProperty("fields")]
    public List<string> Fields { get; set; } = [];

    /// <summary>Which 200,000-record page of the module this job exports, from 1.</summary>
    [JsonProperty("page")]
    public int Page { get; set; } = 1;
}

/// <summary>A module named by its API name.</summary>
public sealed class ZohoModuleRef
{
    /// <summary>The module's API name.</summary>
    [JsonProperty("api_name")]
    public string ApiName { get; set; } = "";
}

/// <summary>The answer to creating a bulk job: one entry whose details carry the job's id.</summary>
public sealed class ZohoJobResponse
{
    /// <summary>The entries (one per job created).</summary>
    [JsonProperty("data")]
    public List<ZohoWriteResult> Data { get; set; } = [];

    /// <summary>Bulk write answers with a single object instead: its status.</summary>
    [JsonProperty("status")]
    public string? Status { get; set; }

    /// <summary>Bulk write answers with a single object instead: its code.</summary>
    [JsonProperty("code")]
    public string? Code { get; set; }

    /// <summary>Bulk write answers with a single object instead: its details (the job's id).</summary>
    [JsonProperty("details")]
    public JObject? Details { get; set; }

    /// <summary>The created job's id, wherever this answer carries it.</summary>
    public string? JobId => Data.FirstOrDefault()?.Details?.Value<string>("id") ?? Details?.Value<string>("id");
}

/// <summary>The answer of <c>GET /crm/bulk/v8/read/{job_id}</c>.</summary>
public sealed class ZohoBulkJobPage
{
    /// <summary>The job (one entry).</summary>
    [JsonProperty("data")]
    public List<ZohoBulkReadJob> Data { get; set; } = [];
}

/// <summary>A bulk read job.</summary>
public sealed class ZohoBulkReadJob
{
    /// <summary>The job's id.</summary>
    [JsonProperty("id")]
    public string? Id { get; set; }

    /// <summary><c>ADDED</c>, <c>QUEUED</c>, <c>IN PROGRESS</c>, <c>COMPLETED</c> or <c>FAILED</c>.</summary>
    [JsonProperty("state")]
    public string? State { get; set; }

    /// <summary>The result, once the job is <c>COMPLETED</c>.</summary>
    [JsonProperty("result")]
    public ZohoBulkReadResult? Result { get; set; }
}

/// <summary>What a completed bulk read job exported.</summary>
public sealed class ZohoBulkReadResult
{
    /// <summary>The page exported.</summary>
    [JsonProperty("page")]
    public int Page { get; set; }

    /// <summary>Records a page (200,000).</summary>
    [JsonProperty("per_page")]
    public int PerPage { get; set; }

    /// <summary>Records in this page's file.</summary>
    [JsonProperty("count")]
    public int Count { get; set; }

    /// <summary>Where the file is, relative to the API domain.</summary>
    [JsonProperty("download_url")]
    public string? DownloadUrl { get; set; }

    /// <summary>Whether another page follows.</summary>
    [JsonProperty("more_records")]
    public bool MoreRecords { get; set; }
}

/// <summary>The answer of the file upload (<c>POST {upload host}/crm/v8/upload</c>).</summary>
public sealed class ZohoUploadResponse
{
    /// <summary><c>success</c> or <c>error</c>.</summary>
    [JsonProperty("status")]
    public string? Status { get; set; }

    /// <summary><c>FILE_UPLOAD_SUCCESS</c> or an error code.</summary>
    [JsonProperty("code")]
    public string? Code { get; set; }

    /// <summary>The uploaded file's id, as <c>{"file_id": …}</c>.</summary>
    [JsonProperty("details")]
    public JObject? Details { get; set; }
}

/// <summary>The body of <c>POST /crm/bulk/v8/write</c>.</summary>
public sealed class ZohoBulkWriteRequest
{
    /// <summary><c>insert</c>, <c>update</c> or <c>upsert</c>.</summary>
    [JsonProperty("operation")]
    public string Operation { get; set; } = "upsert";

    /// <summary>Whether empty cells leave the field alone.</summary>
    [JsonProperty("ignore_empty")]
    public bool IgnoreEmpty { get; set; } = true;

    /// <summary>The files to import (one here).</summary>
    [JsonProperty("resource")]
    public List<ZohoBulkWriteResource> Resource { get; set; } = [];
}

/// <summary>One uploaded file of a bulk write job and how its columns map to fields.</summary>
public sealed class ZohoBulkWriteResource
{
    /// <summary>Always <c>data</c>.</summary>
    [JsonProperty("type")]
    public string Type { get; set; } = "data";

    /// <summary>The module.</summary>
    [JsonProperty("module")]
    public ZohoModuleRef Module { get; set; } = new();

    /// <summary>The uploaded file's id.</summary>
    [JsonProperty("file_id")]
    public string FileId { get; set; } = "";

    /// <summary>The unique field that finds an existing record (mandatory for upsert).</summary>
    [JsonProperty("find_by")]
    public string? FindBy { get; set; }

    /// <summary>Column index → field API name.</summary>
    [JsonProperty("field_mappings")]
    public List<ZohoFieldMapping> FieldMappings { get; set; } = [];
}

/// <summary>Which column of the file holds which field.</summary>
public sealed class ZohoFieldMapping
{
    /// <summary>The field's API name.</summary>
    [JsonProperty("api_name")]
    public string ApiName { get; set; } = "";

    /// <summary>The column's index, from 0.</summary>
    [JsonProperty("index")]
    public int Index { get; set; }
}

/// <summary>The answer of <c>GET /crm/bulk/v8/write/{job_id}</c>.</summary>
public sealed class ZohoBulkWriteJob
{
    /// <summary><c>ADDED</c>, <c>IN PROGRESS</c>, <c>COMPLETED</c> or <c>FAILED</c>.</summary>
    [JsonProperty("status")]
    public string? Status { get; set; }

    /// <summary>The job's id.</summary>
    [JsonProperty("id")]
    public string? Id { get; set; }

    /// <summary>The result file, once completed: <c>{"download_url": …}</c>.</summary>
    [JsonProperty("result")]
    public JObject? Result { get; set; }
}
