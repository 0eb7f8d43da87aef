using Newtonsoft.Json.Linq;
using Refit;

namespace Connectors.WooCommerce;

/// <summary>
/// WooCommerce's REST API v3 list endpoints (shared reference woocommerce.md §B; WooCommerce's
/// <c>WC_REST_Customers_V1_Controller</c> and <c>WC_REST_CRUD_Controller</c>). The consumer key and secret are
/// added by <see cref="WooCommerceAuth"/>, not here.
/// </summary>
public interface IWooCommerceApi
{
    /// <summary>
    /// Lists one collection: <c>GET /wp-json/wc/v3/{collection}</c>, a JSON array of the resources as
    /// <c>GET /wp-json/wc/v3/{collection}/{id}</c> returns each, with the paging headers
    /// <see cref="WooCommerceConnector.TotalHeader"/> and <see cref="WooCommerceConnector.TotalPagesHeader"/>.
    /// </summary>
    /// <param name="collection"><c>customers</c> or <c>orders</c>.</param>
    /// <param name="query">Paging, order and filters; WordPress ignores parameters an endpoint does not declare.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Get("/wp-json/wc/v3/{collection}")]
    Task<IApiResponse<List<JObject>>> ListAsync(string collection, [Query] WooCommerceListQuery query, CancellationToken cancellationToken);
}
