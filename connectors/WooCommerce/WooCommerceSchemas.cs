using Connectors.Core.Schema;

namespace Connectors.WooCommerce;

/// <summary>
/// The fields of WooCommerce records as this connector delivers them (<c>Schemas/*.schema.json</c>): customers and
/// orders of the REST API v3, which are the resources as WooCommerce lists them, so there is nothing to ask the store.
/// </summary>
public static class WooCommerceSchemas
{
    private static readonly Lazy<IReadOnlyList<StreamSchema>> Shipped =
        new(() => StreamSchemaFile.FromResources(typeof(WooCommerceSchemas).Assembly, "Connectors.WooCommerce.Schemas."));

    /// <summary>The streams described: <c>customers</c> and <c>orders</c>.</summary>
    public static IReadOnlyList<StreamSchema> BuiltIn => Shipped.Value;
}
