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
    public void BuiltIn_DescribesContactsAndSalesOrders_WithZohosMandatoryFields()
    {
        var schemas = ZohoSchemas.BuiltIn;

        Assert.Equal(["Contacts", "Sales_Orders"], schemas.Select(s => s.Name));
        var contacts = schemas[0];
        Assert.Equal(["Last_Name"], contacts.Fields.Where(f => f.Required).Select(f => f.Name));
        var orders = schemas[1];
        Assert.Equal(["Subject", "Ordered_Items"], orders.Fields.Where(f => f.Required).Select(f => f.Name));
        Assert.Equal(["Product_Name", "Quantity"], orders.Field("Ordered_Items")!.Fields!.Where(f => f.Required).Select(f => f.Name));
    }

    [Fact]
    public void DefaultMappings_AreShippedForShopifyCustomersAndOrders()
    {
        Assert.Equal(["shopify-customers-to-zoho-contacts", "shopify-orders-to-zoho-sales-orders"], ZohoDefaultMappings.All.Select(m => m.Name));
        var orders = ZohoDefaultMappings.All[1];
        Assert.Equal(("shopify.orders", "zoho.Sales_Orders"), (orders.From.ToString(), orders.To.ToString()));
        Assert.Contains("does not read orders yet", orders.Note, StringComparison.Ordinal);
    }
}
