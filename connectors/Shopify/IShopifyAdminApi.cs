using Refit;

namespace Connectors.Shopify;

/// <summary>
/// Shopify's GraphQL Admin API: one endpoint per pinned version, every read a POSTed query. The access
/// token header is added by the auth handler, not here. Facts: shared reference shopify.md §A.1–A.4 and
/// this folder's README.
/// </summary>
public interface IShopifyAdminApi
{
    /// <summary>Runs one GraphQL document against <c>/admin/api/{version}/graphql.json</c>.</summary>
    /// <param name="version">The pinned API version, for example <c>2025-10</c>.</param>
    /// <param name="request">The document and its variables.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Post("/admin/api/{version}/graphql.json")]
    Task<IApiResponse<ShopifyGraphQLResponse>> QueryAsync(string version, [Body] ShopifyGraphQLRequest request,
        CancellationToken cancellationToken);
}
