using Newtonsoft.Json.Linq;
using Refit;

namespace Connectors.BusinessCentral;

/// <summary>
/// Business Central API v2.0, company-scoped entity sets (<c>customers</c>, <c>salesOrders</c>), relative to
/// <see cref="BusinessCentralOptions.EffectiveBaseUrl"/>. Paths, paging and concurrency: shared reference erp.md §C.1.
/// </summary>
public interface IBusinessCentralApi
{
    /// <summary>
    /// The underlying client, with the same auth, resilience and metering handlers. Used only to follow
    /// <c>@odata.nextLink</c>, an absolute address that must be requested unchanged and that a Refit
    /// path template would re-encode.
    /// </summary>
    HttpClient Client { get; }

    /// <summary>Lists an entity set, one server-driven page.</summary>
    /// <param name="companyId">The company's id GUID.</param>
    /// <param name="entitySet">The entity set, for example <c>customers</c>.</param>
    /// <param name="filter">An OData <c>$filter</c>, for example <c>lastModifiedDateTime ge 2026-01-01T00:00:00Z</c>.</param>
    /// <param name="orderBy">An OData <c>$orderby</c>.</param>
    /// <param name="expand">An OData <c>$expand</c>, for example <c>salesOrderLines</c>.</param>
    /// <param name="top">At most this many entities in all.</param>
    /// <param name="prefer"><c>odata.maxpagesize=N</c> for pages smaller than the server's 20,000.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Get("/companies({companyId})/{entitySet}")]
    Task<IApiResponse<BusinessCentralPage>> ListAsync(string companyId, string entitySet,
        [AliasAs("$filter")] string? filter, [AliasAs("$orderby")] string? orderBy, [AliasAs("$expand")] string? expand,
        [AliasAs("$top")] int? top, [Header("Prefer")] string? prefer, CancellationToken cancellationToken);

    /// <summary>Reads one entity with its current <c>@odata.etag</c>.</summary>
    /// <param name="companyId">The company's id GUID.</param>
    /// <param name="entitySet">The entity set.</param>
    /// <param name="id">The entity's id GUID.</param>
    /// <param name="expand">An OData <c>$expand</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Get("/companies({companyId})/{entitySet}({id})")]
    Task<IApiResponse<JObject>> GetAsync(string companyId, string entitySet, string id,
        [AliasAs("$expand")] string? expand, CancellationToken cancellationToken);

    /// <summary>
    /// Creates an entity; answers 201 with the stored entity. A sales order may carry its
    /// <c>salesOrderLines</c> in the same body (deep insert).
    /// </summary>
    /// <param name="companyId">The company's id GUID.</param>
    /// <param name="entitySet">The entity set.</param>
    /// <param name="entity">The fields to create the entity with.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Post("/companies({companyId})/{entitySet}")]
    Task<IApiResponse<JObject>> CreateAsync(string companyId, string entitySet, [Body] JObject entity,
        CancellationToken cancellationToken);

    /// <summary>
    /// Updates an entity only if it is still at <paramref name="etag"/>. Business Central requires the header:
    /// without it the answer is 400 <c>BadRequest_InvalidToken</c>; with a stale one the entity is left unchanged
    /// and the answer is <c>Request_EntityChanged</c>.
    /// </summary>
    /// <param name="companyId">The company's id GUID.</param>
    /// <param name="entitySet">The entity set.</param>
    /// <param name="id">The entity's id GUID.</param>
    /// <param name="etag">The <c>@odata.etag</c> last read.</param>
    /// <param name="changes">The fields to change.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Patch("/companies({companyId})/{entitySet}({id})")]
    Task<IApiResponse<JObject>> UpdateAsync(string companyId, string entitySet, string id,
        [Header("If-Match")] string etag, [Body] JObject changes, CancellationToken cancellationToken);
}
