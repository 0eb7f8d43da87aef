using Connectors.Core.Schema;

namespace Connectors.Zoho.Tests;

/// <summary>The Zoho connector describes its modules: live from the fields metadata API, or from its built-in schema.</summary>
public sealed class ZohoSchemaTests
{
    [Fact]
    public async Task DescribeLive_Contacts_ReadsTypesLengthsMandatoryFlagsPicklistsAndLookups()
    {
        await using var zoho = await ZohoTestSystem.StartAsync();

        var contacts = await zoho.Connector.DescribeLiveAsync("Contacts", TestContext.Current.CancellationToken);

        Assert.NotNull(contacts);
        Assert.True(zoho.Connector.DescribesLive);
        var lastName = contacts.Field("Last_Name")!;
        Assert.Equal((FieldKind.Text, 40, true, false), (lastName.Kind, lastName.MaxLength, lastName.Required, lastName.ReadOnly));
        Assert.True(contacts.Field("Full_Name")!.ReadOnly);
        var leadSource = contacts.Field("Lead_Source")!;
        Assert.Equal("picklist", leadSource.VendorType);
        Assert.Contains("Online Store", leadSource.AllowedValues!);
        Assert.DoesNotContain("Public Relations", leadSource.AllowedValues!);
        var account = contacts.Field("Account_Name")!;
        Assert.Equal(FieldKind.Object, account.Kind);
        Assert.NotNull(account.Field("id"));
        Assert.Equal(FieldKind.DateTime, contacts.Field("Modified_Time")!.Kind);
        Assert.Single(zoho.CrmCalls, r => r.Path == "/crm/v8/settings/fields" && r.Query.Contains("module=Contacts", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DescribeLive_SalesOrders_HasItsMandatorySubform()
    {
        await using var zoho = await ZohoTestSystem.StartAsync();

        var orders = await zoho.Connector.DescribeLiveAsync("Sales_Orders", TestContext.Current.CancellationToken);

        var items = orders!.Field("Ordered_Items")!;
        Assert.Equal((FieldKind.List, "subform", true), (items.Kind, items.VendorType, items.Required));
        Assert.Equal(["Created", "Approved", "Delivered", "Cancelled"], orders.Field("Status")!.AllowedValues);
    }

    [Fact]
    public async Task DescribeLive_ModuleZohoDoesNotHave_IsNull()
    {
        await using var zoho = await ZohoTestSystem.StartAsync();

        Assert.Null(await zoho.Connector.DescribeLiveAsync("Loyalty_Cards", TestContext.Current.CancellationToken));
    }

    [Fact]
    public void BuiltIn_DescribesTheModulesTheDemoWrites_WithZohosMandatoryFields_AsStandardFieldsOnly()
    {
        var schemas = ZohoSchemas.BuiltIn.ToDictionary(s => s.Name);

        Assert.Equal(["Cases", "Contacts", "Products", "Sales_Orders"], schemas.Keys);
        Assert.Equal(["Subject", "Status", "Case_Origin"], Required(schemas["Cases"]));
        Assert.Equal(["Last_Name"], Required(schemas["Contacts"]));
        Assert.Equal(["Product_Name"], Required(schemas["Products"]));
        Assert.Equal(["Subject", "Ordered_Items"], Required(schemas["Sales_Orders"]));
        Assert.Equal(["Product_Name", "Quantity"], schemas["Sales_Orders"].Field("Ordered_Items")!.Fields!.Where(f => f.Required).Select(f => f.Name));
        // An org adds fields of its own: the built-in schema cannot be the whole truth, and says so.
        Assert.All(schemas.Values, s => Assert.True(s.CustomFields, $"{s.Name} is not marked as standard fields only"));
    }

    [Theory]
    [InlineData("Contacts")]
    [InlineData("Products")]
    [InlineData("Sales_Orders")]
    [InlineData("Cases")]
    public async Task BuiltIn_StandardFieldsTheEmulatorAlsoServes_HaveItsKindsAndFlags(string module)
    {
        await using var zoho = await ZohoTestSystem.StartAsync();
        var builtIn = Assert.Single(ZohoSchemas.BuiltIn, s => s.Name == module);

        var live = await zoho.Connector.DescribeLiveAsync(module, TestContext.Current.CancellationToken);

        // Owner is left out: Zoho lets the API assign a record's owner ({"id"}), the emulator's org serves it read-only.
        var shared = live!.Fields.Where(f => builtIn.Field(f.Name) is not null && f.Name != "Owner").ToList();
        Assert.True(shared.Count >= 5, $"{module}: only {shared.Count} fields in common");
        Assert.All(shared, f => Assert.Equal((f.Name, f.Kind, f.Required, f.ReadOnly),
            (f.Name, builtIn.Field(f.Name)!.Kind, builtIn.Field(f.Name)!.Required, builtIn.Field(f.Name)!.ReadOnly)));
        Assert.All(shared.Where(f => f.AllowedValues is not null && builtIn.Field(f.Name)!.AllowedValues is not null),
            f => Assert.Subset(builtIn.Field(f.Name)!.AllowedValues!.ToHashSet(), f.AllowedValues!.ToHashSet()));
    }

    private static IEnumerable<string> Required(StreamSchema schema) => schema.Fields.Where(f => f.Required).Select(f => f.Name);

    [Fact]
    public void DefaultMappings_AreShippedForShopifyCustomersAndOrders()
    {
        Assert.Equal(["shopify-customers-to-zoho-contacts", "shopify-orders-to-zoho-sales-orders"], ZohoDefaultMappings.All.Select(m => m.Name));
        var orders = ZohoDefaultMappings.All[1];
        Assert.Equal(("shopify.orders", "zoho.Sales_Orders"), (orders.From.ToString(), orders.To.ToString()));
        Assert.Contains("lineItems.nodes", orders.Note, StringComparison.Ordinal);
    }
}
