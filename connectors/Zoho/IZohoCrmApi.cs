using Refit;

namespace Connectors.Zoho;

/// <summary>
/// Zoho CRM records API, v8 (shared reference zoho-crm.md §2-3). Calls go to the configured API
/// domain; the <c>Authorization</c> header is added by <see cref="ZohoAuth"/>.
/// </summary>
public interface IZohoCrmApi
{
    /// <summary>
    /// Lists a module's records. <paramref name="fields"/> is mandatory (comma-separated API names, at
    /// most 50). Pass either <paramref name="page"/> (1..10 at 200 a page) or <paramref name="pageToken"/>
    /// (from <c>info.next_page_token</c>, the only way past record 2,000), never both. Zoho answers 204
    /// when there is nothing and 304 when nothing changed since <paramref name="modifiedSince"/>.
    /// </summary>
    /// <param name="module">The module's API name, for example <c>Contacts</c>.</param>
    /// <param name="fields">Comma-separated field API names.</param>
    /// <param name="perPage">Records a page, at most 200.</param>
    /// <param name="page">The page number, or <see langword="null"/> when paging by token.</param>
    /// <param name="pageToken">The page token, or <see langword="null"/> when paging by number.</param>
    /// <param name="sortBy"><c>id</c>, <c>Created_Time</c> or <c>Modified_Time</c>.</param>
    /// <param name="sortOrder"><c>asc</c> or <c>desc</c>.</param>
    /// <param name="modifiedSince">Only records modified after this ISO-8601 instant (with offset), or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Get("/crm/v8/{module}")]
    Task<IApiResponse<ZohoRecordPage>> ListRecordsAsync(
        string module,
        [Query] string fields,
        [Query, AliasAs("per_page")] int perPage,
        [Query] int? page,
        [Query, AliasAs("page_token")] string? pageToken,
        [Query, AliasAs("sort_by")] string sortBy,
        [Query, AliasAs("sort_order")] string sortOrder,
        [Header("If-Modified-Since")] string? modifiedSince,
        CancellationToken cancellationToken);

    /// <summary>Reads the named records of a module (at most <see cref="ZohoConnector.MaxIdsPerRead"/> ids a call).</summary>
    /// <param name="module">The module's API name.</param>
    /// <param name="ids">Comma-separated record ids.</param>
    /// <param name="fields">Comma-separated field API names.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Get("/crm/v8/{module}")]
    Task<IApiResponse<ZohoRecordPage>> GetRecordsAsync(string module, [Query] string ids, [Query] string fields,
        CancellationToken cancellationToken);

    /// <summary>
    /// Reads one record with every field, subform rows (<c>Ordered_Items</c>, …) included: the only read that
    /// returns them (shared reference zoho-crm.md §2.1, §2.2). Zoho answers 204 when there is no such record.
    /// </summary>
    /// <param name="module">The module's API name.</param>
    /// <param name="id">The record id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Get("/crm/v8/{module}/{id}")]
    Task<IApiResponse<ZohoRecordPage>> GetRecordAsync(string module, string id, CancellationToken cancellationToken);

    /// <summary>
    /// Inserts or updates records, matching existing ones by <see cref="ZohoWriteRequest.DuplicateCheckFields"/>.
    /// At most <see cref="ZohoConnector.MaxRecordsPerWrite"/> records; each result says <c>insert</c> or <c>update</c>.
    /// </summary>
    /// <param name="module">The module's API name.</param>
    /// <param name="request">The records and options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Post("/crm/v8/{module}/upsert")]
    Task<IApiResponse<ZohoWriteResponse>> UpsertRecordsAsync(string module, [Body] ZohoWriteRequest request,
        CancellationToken cancellationToken);

    /// <summary>Updates records by id (each record carries its <c>id</c>); at most <see cref="ZohoConnector.MaxRecordsPerWrite"/>.</summary>
    /// <param name="module">The module's API name.</param>
    /// <param name="request">The records and options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Put("/crm/v8/{module}")]
    Task<IApiResponse<ZohoWriteResponse>> UpdateRecordsAsync(string module, [Body] ZohoWriteRequest request,
        CancellationToken cancellationToken);

    /// <summary>
    /// Updates one record, only if it was not modified after <paramref name="unmodifiedSince"/> (Zoho answers
    /// 412 <c>ALREADY_MODIFIED</c> otherwise and writes nothing). The header holds for the whole call, which
    /// is why conditional updates go one record a call.
    /// </summary>
    /// <param name="module">The module's API name.</param>
    /// <param name="id">The record's id.</param>
    /// <param name="request">The record (one) and options.</param>
    /// <param name="unmodifiedSince">The record's <c>Modified_Time</c> as last read (ISO-8601 with offset).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Put("/crm/v8/{module}/{id}")]
    Task<IApiResponse<ZohoWriteResponse>> UpdateRecordAsync(string module, string id, [Body] ZohoWriteRequest request,
        [Header("If-Unmodified-Since")] string unmodifiedSince, CancellationToken cancellationToken);

    /// <summary>
    /// Runs a COQL query (<c>select … from … where … limit offset, count</c>): read-after-write consistent,
    /// unlike the Search API, so a record created a moment ago is found. Zoho answers 204 when nothing matches.
    /// </summary>
    /// <param name="query">The query.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Post("/crm/v8/coql")]
    Task<IApiResponse<ZohoRecordPage>> QueryAsync([Body] ZohoQuery query, CancellationToken cancellationToken);

    /// <summary>Describes a module's fields (names, types, lengths, mandatory flags).</summary>
    /// <param name="module">The module's API name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Get("/crm/v8/settings/fields")]
    Task<IApiResponse<ZohoFieldsResponse>> GetFieldsAsync([Query] string module, CancellationToken cancellationToken);

    /// <summary>Deletes records by id (at most <see cref="ZohoConnector.MaxRecordsPerWrite"/>); one result per id.</summary>
    /// <param name="module">The module's API name.</param>
    /// <param name="ids">Comma-separated record ids.</param>
    /// <param name="workflowTrigger"><c>true</c> or <c>false</c>: whether workflow rules run on the delete; <c>false</c> keeps automations quiet.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Delete("/crm/v8/{module}")]
    Task<IApiResponse<ZohoWriteResponse>> DeleteRecordsAsync(string module, [Query] string ids, [Query, AliasAs("wf_trigger")] string workflowTrigger,
        CancellationToken cancellationToken);

    /// <summary>
    /// Lists deleted records (recycle bin and permanently deleted; shared reference zoho-crm.md §2.3), 200 a
    /// page by page number. Zoho answers 204 when there are none.
    /// </summary>
    /// <param name="module">The module's API name.</param>
    /// <param name="type"><c>all</c>, <c>recycle</c> or <c>permanent</c>.</param>
    /// <param name="page">The page number, from 1.</param>
    /// <param name="perPage">Records a page, at most 200.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Get("/crm/v8/{module}/deleted")]
    Task<IApiResponse<ZohoDeletedPage>> ListDeletedAsync(string module, [Query] string type, [Query] int page, [Query, AliasAs("per_page")] int perPage,
        CancellationToken cancellationToken);

    /// <summary>Counts a module's records.</summary>
    /// <param name="module">The module's API name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Get("/crm/v8/{module}/actions/count")]
    Task<IApiResponse<ZohoCount>> CountAsync(string module, CancellationToken cancellationToken);

    /// <summary>Creates a bulk read job (shared reference zoho-crm.md §6.2): one result page of up to 200,000 records.</summary>
    /// <param name="request">The module, fields and page.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Post("/crm/bulk/v8/read")]
    Task<IApiResponse<ZohoJobResponse>> CreateBulkReadAsync([Body] ZohoBulkReadRequest request, CancellationToken cancellationToken);

    /// <summary>The state of a bulk read job, with its result once it is <c>COMPLETED</c>.</summary>
    /// <param name="jobId">The job's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Get("/crm/bulk/v8/read/{jobId}")]
    Task<IApiResponse<ZohoBulkJobPage>> GetBulkReadAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>Downloads a completed bulk read job's result: a ZIP holding one CSV file. The caller disposes the answer.</summary>
    /// <param name="jobId">The job's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Get("/crm/bulk/v8/read/{jobId}/result")]
    Task<HttpResponseMessage> DownloadBulkReadAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>Creates a bulk write job over an uploaded file (shared reference zoho-crm.md §6.1).</summary>
    /// <param name="request">The operation, the file and its field mappings.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Post("/crm/bulk/v8/write")]
    Task<IApiResponse<ZohoJobResponse>> CreateBulkWriteAsync([Body] ZohoBulkWriteRequest request, CancellationToken cancellationToken);

    /// <summary>The state of a bulk write job, with its result file's address once it is <c>COMPLETED</c>.</summary>
    /// <param name="jobId">The job's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Get("/crm/bulk/v8/write/{jobId}")]
    Task<IApiResponse<ZohoBulkWriteJob>> GetBulkWriteAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>The client itself, for the one call whose address Zoho hands out (a bulk write result's <c>download_url</c>).</summary>
    HttpClient Client { get; }
}
