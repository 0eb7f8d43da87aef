using Connectors.Core.Configuration;
using Connectors.Core.Mapping;
using Connectors.Functions.Hosting;

namespace Connectors.Cli.Tests.Validate;

/// <summary>The default mappings shipped with the connectors compile and check clean against the streams they are for.</summary>
public sealed class DefaultMappingTests(CrmEmulator emulator) : IClassFixture<CrmEmulator>
{
    public static TheoryData<string> Names => [.. SystemTypes.DefaultMappings.Names];

    [Theory]
    [MemberData(nameof(Names))]
    public void DefaultMapping_Compiles(string name)
    {
        var mapping = SystemTypes.DefaultMappings.Find(name)!;

        Assert.Empty(MappingCompiler.Check(mapping.Fields));
        Assert.NotNull(mapping.Note);
    }

    [Fact]
    public async Task CustomersDefault_ChecksCleanAgainstTheLiveCrmAndTheBuiltInSchema()
    {
        var yaml = ConfigText.Flow("      use: shopify-customers-to-zoho-contacts");

        var live = await CrmEmulator.CheckAsync(yaml, emulator.Settings(reachable: true), TestContext.Current.CancellationToken);
        var builtIn = await CrmEmulator.CheckAsync(yaml, emulator.Settings(reachable: false), TestContext.Current.CancellationToken);

        Assert.Empty(live.Errors);
        Assert.Empty(builtIn.Errors);
        Assert.Equal(SchemaOrigin.Live, Assert.Single(live.Schemas, s => s.System == "crm").Origin);
    }

    [Fact]
    public async Task OrdersDefault_ChecksCleanAgainstTheOrdersTheShopConnectorReads_AndTheCrmLiveAndBuiltIn()
    {
        var yaml = ConfigText.Flow("      use: shopify-orders-to-zoho-sales-orders", from: "shop.orders", to: "crm.Sales_Orders", match: "[Subject]");

        var live = await CrmEmulator.CheckAsync(yaml, emulator.Settings(reachable: true), TestContext.Current.CancellationToken);
        var builtIn = await CrmEmulator.CheckAsync(yaml, emulator.Settings(reachable: false), TestContext.Current.CancellationToken);

        // Standard Sales_Orders fields only: nothing for the built-in schema to leave unconfirmed.
        Assert.Equal((0, 0), (live.Errors.Count, live.Warnings.Count));
        Assert.Equal((0, 0), (builtIn.Errors.Count, builtIn.Warnings.Count));
        Assert.Equal(SchemaOrigin.BuiltIn, Assert.Single(builtIn.Schemas, s => s.Stream == "orders").Origin);
        Assert.Equal(SchemaOrigin.Live, Assert.Single(live.Schemas, s => s.Stream == "Sales_Orders").Origin);
    }

    [Fact]
    public async Task Override_ReplacesInPlace_AddsAtTheEnd_AndLeavesOut()
    {
        var yaml = ConfigText.Flow("""
                  use: shopify-customers-to-zoho-contacts
                  fields:
                    Phone: (phone ?? defaultAddress.phone) | phone('DE')
                    Title: "'Customer'"
                    Description: ~
            """);

        var config = ConfigLoader.Parse(yaml, "connectors.yaml", new CrmEmulator.Secrets(emulator.Settings(reachable: true)), SystemTypes.DefaultMappings);

        var flow = Assert.Single(config.Flows);
        var defaults = SystemTypes.DefaultMappings.Find("shopify-customers-to-zoho-contacts")!.Fields.Select(f => f.Target).ToList();
        Assert.Equal([.. defaults.Where(f => f != "Description"), "Title"], flow.Fields.Select(f => f.Target));
        var phone = Assert.Single(flow.Fields, f => f.Target == "Phone");
        Assert.Equal("(phone ?? defaultAddress.phone) | phone('DE')", (string)phone.Rule!);
        Assert.Equal(new SourceLocation("connectors.yaml", 24, 16), phone.Location);
        Assert.Equal(new SourceLocation("connectors.yaml", 22, 12), flow.Fields[0].Location);
        Assert.Equal("shopify-customers-to-zoho-contacts", flow.DefaultMapping);
    }
}
