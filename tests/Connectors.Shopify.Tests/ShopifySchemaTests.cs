using Connectors.Core.Schema;
using Connectors.Core.Sync;
using Newtonsoft.Json.Linq;

namespace Connectors.Shopify.Tests;

/// <summary>The Shopify connector's built-in schema describes exactly what its records carry.</summary>
public sealed class ShopifySchemaTests
{
    [Fact]
    public async Task CustomersSchema_NamesExactlyTheFieldsOfARecordTheConnectorReads()
    {
        await using var shop = await ShopifyHarness.StartAsync();
        shop.Sandbox.Seed(3, seed: 5);

        var pages = await shop.ReadPagesAsync(Watermark.Start);
        var schema = await shop.Connector.DescribeLiveAsync("customers", TestContext.Current.CancellationToken);

        Assert.False(shop.Connector.DescribesLive);
        var record = pages.SelectMany(p => p.Records).First().Data;
        Assert.Equal(record.Properties().Select(p => p.Name).Order(StringComparer.Ordinal), schema!.Fields.Select(f => f.Name).Order(StringComparer.Ordinal));
        foreach (var nested in schema.Fields.Where(f => f.Kind == FieldKind.Object))
        {
            if (record[nested.Name] is JObject value)
            {
                Assert.Equal(value.Properties().Select(p => p.Name).Order(StringComparer.Ordinal), nested.Fields!.Select(f => f.Name).Order(StringComparer.Ordinal));
            }
        }
        Assert.Equal((true, false), (schema.CanRead, schema.CanWrite));
    }

    [Fact]
    public void OrdersSchema_IsDescribedForDefaultMappings_ButNotOfferedForReading()
    {
        var orders = Assert.Single(ShopifySchemas.BuiltIn, s => s.Name == "orders");

        // The built-in schema flattens lineItems into a list while the connector delivers the GraphQL
        // connection (lineItems.nodes); until the two agree, validate keeps refusing flows from it.
        Assert.False(orders.CanRead);
        Assert.Equal(FieldKind.List, orders.Field("lineItems")!.Kind);
        Assert.Equal(FieldKind.Number, orders.Field("lineItems")!.Field("quantity")!.Kind);
    }
}
