using Connectors.Core.Schema;

namespace Connectors.Shopify;

/// <summary>
/// The fields of Shopify records as this connector delivers them (<c>Schemas/*.schema.json</c>): customers,
/// which it reads, and orders, which default mappings are written against but which it does not read yet.
/// The schema is the connector's own GraphQL selection, so there is nothing to ask the shop.
/// </summary>
public static class ShopifySchemas
{
    private static readonly Lazy<IReadOnlyList<StreamSchema>> Shipped =
        new(() => StreamSchemaFile.FromResources(typeof(ShopifySchemas).Assembly, "Connectors.Shopify.Schemas."));

    /// <summary>The streams described: <c>customers</c> and <c>orders</c>.</summary>
    public static IReadOnlyList<StreamSchema> BuiltIn => Shipped.Value;
}
