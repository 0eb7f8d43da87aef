using Connectors.Core.Schema;
using Connectors.Core.Sync;
using Newtonsoft.Json.Linq;

namespace Connectors.WooCommerce.Tests;

/// <summary>The WooCommerce connector's built-in schema describes exactly what its records carry.</summary>
public sealed class WooCommerceSchemaTests
{
    [Theory]
    [InlineData("customers")]
    [InlineData("orders")]
    public async Task Schema_NamesExactlyTheFieldsOfARecordTheConnectorReads(string stream)
    {
        await using var shop = await WooCommerceHarness.StartAsync();
        shop.Sandbox.Seed(3, seed: 5);
        shop.Sandbox.SeedOrders(3, seed: 5);

        var record = (await shop.ReadPagesAsync(stream, Watermark.Start)).SelectMany(p => p.Records).First().Data;
        var schema = await shop.Connector.DescribeLiveAsync(stream, TestContext.Current.CancellationToken);

        Assert.False(shop.Connector.DescribesLive);
        // _links is WordPress's hypermedia, not a field a mapping reads.
        Assert.Equal(record.Properties().Select(p => p.Name).Where(n => n != "_links").Order(StringComparer.Ordinal),
            schema!.Fields.Select(f => f.Name).Order(StringComparer.Ordinal));
        foreach (var nested in schema.Fields.Where(f => f.Kind == FieldKind.Object))
        {
            Assert.Equal(((JObject)record[nested.Name]!).Properties().Select(p => p.Name).Order(StringComparer.Ordinal),
                nested.Fields!.Select(f => f.Name).Order(StringComparer.Ordinal));
        }
        Assert.Equal((true, false), (schema.CanRead, schema.CanWrite));
    }
}
