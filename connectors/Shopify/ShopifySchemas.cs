using Connectors.Core.Schema;

namespace Connectors.Shopify;

/// <summary>
/// The fields of Shopify records as this connector delivers them (<c>Schemas/*.schema.json</c>): customers,
/// orders (with their line items as the GraphQL connection <c>lineItems.nodes</c>) and products, all read only.
/// Each schema is exactly the connector's own GraphQL selection, so there is nothing to ask the shop; the
/// connector's tests read records from the emulator and check every field of them against these files.
/// </summary>
public static class ShopifySchemas
{
    private static readonly Lazy<IReadOnlyList<StreamSchema>> Shipped =
        new(() => StreamSchemaFile.FromResources(typeof(ShopifySchemas).Assembly, "Connectors.Shopify.Schemas."));

    /// <summary>The streams described: <c>customers</c>, <c>orders</c> and <c>products</c>.</summary>
    public static IReadOnlyList<StreamSchema> BuiltIn => Shipped.Value;
}
