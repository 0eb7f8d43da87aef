namespace Connectors.WooCommerce;

/// <summary>
/// One collection the connector reads, and what its list endpoint can filter on. Facts from WooCommerce's source:
/// <c>/customers</c> (<c>WC_REST_Customers_V1_Controller::get_collection_params</c>) takes <c>orderby</c> = <c>id</c>,
/// <c>include</c>, <c>name</c> or <c>registered_date</c> and has no date filter at all; <c>/orders</c>
/// (<c>WC_REST_CRUD_Controller</c>) takes <c>modified_after</c>/<c>modified_before</c> with <c>dates_are_gmt</c>,
/// and <c>orderby</c> = <c>date</c>, <c>id</c>, <c>include</c>, <c>title</c>, <c>slug</c> or <c>modified</c>.
/// </summary>
internal sealed class WooCommerceStream
{
    private WooCommerceStream(string name, bool filtersByModified)
    {
        Name = name;
        FiltersByModified = filtersByModified;
    }

    /// <summary>The streams by name.</summary>
    public static IReadOnlyDictionary<string, WooCommerceStream> All { get; } = new Dictionary<string, WooCommerceStream>(StringComparer.Ordinal)
    {
        [WooCommerceConnector.CustomersStream] = new(WooCommerceConnector.CustomersStream, filtersByModified: false),
        [WooCommerceConnector.OrdersStream] = new(WooCommerceConnector.OrdersStream, filtersByModified: true),
    };

    /// <summary>The stream's name, which is also the collection's path under <c>/wp-json/wc/v3/</c>.</summary>
    public string Name { get; }

    /// <summary>Whether the endpoint filters by <c>modified_after</c>; when it does not, every resource is read and the change filter is applied here.</summary>
    public bool FiltersByModified { get; }
}
