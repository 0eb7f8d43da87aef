using Connectors.Core.Configuration;
using Connectors.Core.Mapping;

namespace Connectors.Core.Tests.Mapping;

/// <summary>
/// Mappings as integrators write them, in YAML, through the real config loader: its JSON (every scalar
/// as text) compiles into the structured forms, and a bad rule points at its line and column.
/// </summary>
public sealed class ConfigLoaderMappingTests
{
    private const string Config = """
        systems:
          shop:
            type: shopify
            settings: { shopUrl: "http://127.0.0.1:2" }
          crm:
            type: zoho
            settings: { apiDomain: "http://127.0.0.1:1" }
        flows:
          orders-to-crm:
            from: shop.orders
            to: crm.Sales_Orders
            match: Subject
            mapping:
              Subject: name
              Status:
                value: financial_status
                map: { paid: Closed Won, pending: Negotiation }
                default: Qualification
                ignore_case: true
              Contact_Name:
                fields:
                  id: { lookup: { flow: customers-to-crm, id: customer.id, required: true } }
              Ordered_Items:
                each: line_items
                where: quantity > 0
                fields:
                  Product_Name: { fields: { id: { lookup: { flow: products-to-crm, id: product_id } } } }
                  Quantity: quantity
                  List_Price: price | to_number
              Grand_Total: total_price | to_number
              Order_Date: created_at | date('yyyy-MM-dd', 'Europe/Berlin')
              Priority:
                when: total_price > 500
                then: "'High'"
                else: "'Normal'"
              Lead_Score: 10
              Description: "Shop order {name} in {currency}"
        """;

    [Fact]
    public void Compile_YamlFlowWithStructuredRules_MapsAnOrder()
    {
        var flow = ConfigLoader.Parse(Config, "installation.yaml", new EnvironmentSecretResolver()).Flow("orders-to-crm");

        var mapping = MappingCompiler.Compile(flow.Fields);
        var payload = mapping.Apply(Samples.Parse(Samples.Order), Samples.LinkedContext());

        Assert.Equal(["customers-to-crm", "products-to-crm"], mapping.LookupFlows);
        Assert.Equal(Samples.Parse("""
            {
              "Subject": "#1001",
              "Status": "Closed Won",
              "Contact_Name": { "id": "crm-1001" },
              "Ordered_Items": [
                { "Product_Name": { "id": "prod-77" }, "Quantity": 1, "List_Price": 199 },
                { "Quantity": 2, "List_Price": 25 }
              ],
              "Grand_Total": 598.94,
              "Order_Date": "2024-04-01",
              "Priority": "High",
              "Lead_Score": 10,
              "Description": "Shop order #1001 in EUR"
            }
            """).ToString(), payload.ToString());
    }

    [Fact]
    public void Check_YamlRuleWithAnUnknownFunction_PointsAtItsLineAndColumn()
    {
        var yaml = Config.Replace("total_price | to_number", "total_price | to_numbr", StringComparison.Ordinal);
        var flow = ConfigLoader.Parse(yaml, "installation.yaml", new EnvironmentSecretResolver()).Flow("orders-to-crm");

        var error = Assert.Single(MappingCompiler.Check(flow.Fields));

        Assert.Equal("installation.yaml:30:20: Grand_Total: unknown function 'to_numbr'; did you mean 'to_number'? (at position 15 of 'total_price | to_numbr').",
            error.Message);
    }
}
