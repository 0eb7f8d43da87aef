using System.Net;
using Connectors.Core.Connectors;
using Connectors.Core.Records;
using Newtonsoft.Json.Linq;

namespace Connectors.Zoho.Tests;

/// <summary>Sales orders with their Ordered_Items subform, cases and custom contact fields, in the emulator and through the connector.</summary>
public sealed class ZohoSalesOrderTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Upsert_SalesOrderWithoutOrderedItems_IsRefusedWithMandatoryNotFound()
    {
        await using var zoho = await ZohoTestSystem.StartAsync();
        var request = Order("o1", new JObject { ["Subject"] = "Shopify order #1001", ["Shopify_Order_Id"] = "o1" });

        var outcome = Assert.Single(await zoho.Connector.WriteAsync("Sales_Orders", [request], Token));

        var rejected = Assert.IsType<WriteOutcome.Rejected>(outcome);
        Assert.Equal(("MANDATORY_NOT_FOUND", "Ordered_Items"), (rejected.VendorCode, rejected.Field));
        Assert.Equal(0, zoho.Sandbox.SalesOrders.Count);
    }

    [Fact]
    public async Task Upsert_RowWithoutProductOrWithAnUnknownContact_IsRefusedOnTheField()
    {
        await using var zoho = await ZohoTestSystem.StartAsync();
        var product = zoho.Sandbox.Products.Insert(new JObject { ["Product_Name"] = "Ceramic Mug" });
        var noProduct = Order("o1", SalesOrder("o1", [new JObject { ["Quantity"] = 1 }]));
        var unknownContact = Order("o2", SalesOrder("o2", [Row(product, 1, 10m)], contactId: "5725767000000000000"));

        var outcomes = await zoho.Connector.WriteAsync("Sales_Orders", [noProduct, unknownContact], Token);

        Assert.Equal(("MANDATORY_NOT_FOUND", "Product_Name"), Rejection(outcomes, "o1"));
        Assert.Equal(("INVALID_DATA", "Contact_Name"), Rejection(outcomes, "o2"));
    }

    [Fact]
    public async Task Upsert_NewSalesOrder_StoresRowsContactAndTotals_OnlyASingleRecordGetReturnsTheRows()
    {
        await using var zoho = await ZohoTestSystem.StartAsync(configure: o => o.Fields["Sales_Orders"] = ["Subject", "Ordered_Items", "Grand_Total"]);
        var contact = zoho.Sandbox.Contacts.Insert(new JObject { ["First_Name"] = "Ada", ["Last_Name"] = "Okafor", ["Email"] = "ada@example.com" });
        var mug = zoho.Sandbox.Products.Insert(new JObject { ["Product_Name"] = "Ceramic Mug" });
        var apron = zoho.Sandbox.Products.Insert(new JObject { ["Product_Name"] = "Linen Apron" });
        var payload = SalesOrder("o1", [Row(mug, 2, 14.5m), Row(apron, 1, 30m)], contactId: contact.Value<string>("id"));
        payload["Tax"] = 4.72m;

        var written = Assert.IsType<WriteOutcome.Written>(Assert.Single(await zoho.Connector.WriteAsync("Sales_Orders", [Order("o1", payload)], Token)));

        Assert.True(written.Created);
        var stored = zoho.Sandbox.SalesOrders.Get(written.TargetId)!;
        Assert.Equal(63.72m, stored.Value<decimal>("Grand_Total"));
        Assert.Equal("Ada Okafor", stored["Contact_Name"]!.Value<string>("name"));
        Assert.Equal(["Ceramic Mug", "Linen Apron"], stored["Ordered_Items"]!.Select(r => r["Product_Name"]!.Value<string>("name")));
        var listed = Assert.Single(await zoho.ReadAllAsync("Sales_Orders", Core.Sync.Watermark.Start)).Records.Single();
        Assert.False(listed.Data.ContainsKey("Ordered_Items"));
        var one = (await zoho.Connector.ReadByIdsAsync("Sales_Orders", [written.TargetId], Token)).Single();
        Assert.False(one.Data.ContainsKey("Ordered_Items"));
    }

    [Fact]
    public async Task Upsert_TheSameUnlinkedOrderTwice_UpdatesItAndKeepsOneSetOfRows()
    {
        await using var zoho = await ZohoTestSystem.StartAsync();
        var mug = zoho.Sandbox.Products.Insert(new JObject { ["Product_Name"] = "Ceramic Mug" });
        var apron = zoho.Sandbox.Products.Insert(new JObject { ["Product_Name"] = "Linen Apron" });
        var request = Order("o1", SalesOrder("o1", [Row(mug, 2, 14.5m), Row(apron, 1, 30m)]));
        var first = Assert.IsType<WriteOutcome.Written>(Assert.Single(await zoho.Connector.WriteAsync("Sales_Orders", [request], Token)));
        zoho.Sandbox.RequestLog.Clear();

        // As after a crash between the write and the commit of its link: the same create is sent again.
        var again = Assert.IsType<WriteOutcome.Written>(Assert.Single(await zoho.Connector.WriteAsync("Sales_Orders", [request], Token)));

        Assert.Equal((first.TargetId, false), (again.TargetId, again.Created));
        Assert.Equal(1, zoho.Sandbox.SalesOrders.Count);
        var rows = (JArray)zoho.Sandbox.SalesOrders.Get(first.TargetId)!["Ordered_Items"]!;
        Assert.Equal([2m, 1m], rows.Select(r => r.Value<decimal>("Quantity")));
        Assert.Equal(["POST /crm/v8/Sales_Orders/upsert", $"GET /crm/v8/Sales_Orders/{first.TargetId}", "PUT /crm/v8/Sales_Orders"],
            zoho.CrmCalls.Select(c => $"{c.Method} {c.Path}"));
    }

    [Fact]
    public async Task Update_LinkedOrderWithChangedLines_ReplacesTheRowsAndKeepsTheUnchangedRowById()
    {
        await using var zoho = await ZohoTestSystem.StartAsync();
        var mug = zoho.Sandbox.Products.Insert(new JObject { ["Product_Name"] = "Ceramic Mug" });
        var apron = zoho.Sandbox.Products.Insert(new JObject { ["Product_Name"] = "Linen Apron" });
        var candle = zoho.Sandbox.Products.Insert(new JObject { ["Product_Name"] = "Copper Candle" });
        var created = Assert.IsType<WriteOutcome.Written>(Assert.Single(await zoho.Connector.WriteAsync("Sales_Orders",
            [Order("o1", SalesOrder("o1", [Row(mug, 2, 14.5m), Row(apron, 1, 30m)]))], Token)));
        var mugRowId = zoho.Sandbox.SalesOrders.Get(created.TargetId)!["Ordered_Items"]![0]!.Value<string>("id");
        zoho.Sandbox.RequestLog.Clear();

        var update = new WriteRequest(new RecordKey("shop.orders", "o1"), created.TargetId, SalesOrder("o1", [Row(mug, 2, 14.5m), Row(candle, 3, 12m)]), ["Shopify_Order_Id"]);
        Assert.IsType<WriteOutcome.Written>(Assert.Single(await zoho.Connector.WriteAsync("Sales_Orders", [update], Token)));

        var rows = (JArray)zoho.Sandbox.SalesOrders.Get(created.TargetId)!["Ordered_Items"]!;
        Assert.Equal(["Ceramic Mug", "Copper Candle"], rows.Select(r => r["Product_Name"]!.Value<string>("name")));
        Assert.Equal(mugRowId, rows[0]!.Value<string>("id"));
        Assert.Equal(65.0m, zoho.Sandbox.SalesOrders.Get(created.TargetId)!.Value<decimal>("Grand_Total"));
        Assert.Equal([$"GET /crm/v8/Sales_Orders/{created.TargetId}", "PUT /crm/v8/Sales_Orders"], zoho.CrmCalls.Select(c => $"{c.Method} {c.Path}"));
        var sent = (JArray)JObject.Parse(zoho.CrmCalls[^1].Body)["data"]![0]!["Ordered_Items"]!;
        Assert.Equal(3, sent.Count);
        Assert.Contains(sent, r => r["_delete"] is not null);
    }

    [Fact]
    public async Task Update_LinkedOrderStatusOnly_KeepsEveryRowAsItWas()
    {
        await using var zoho = await ZohoTestSystem.StartAsync();
        var mug = zoho.Sandbox.Products.Insert(new JObject { ["Product_Name"] = "Ceramic Mug" });
        var lines = new[] { Row(mug, 2, 14.5m), Row(mug, 1, 14.5m) };
        var created = Assert.IsType<WriteOutcome.Written>(Assert.Single(await zoho.Connector.WriteAsync("Sales_Orders",
            [Order("o1", SalesOrder("o1", lines))], Token)));
        var before = zoho.Sandbox.SalesOrders.Get(created.TargetId)!["Ordered_Items"]!.Select(r => r.Value<string>("id")).ToList();
        var cancelled = SalesOrder("o1", lines);
        cancelled["Status"] = "Cancelled";

        await zoho.Connector.WriteAsync("Sales_Orders", [new WriteRequest(new RecordKey("shop.orders", "o1"), created.TargetId, cancelled, ["Shopify_Order_Id"])], Token);

        var after = zoho.Sandbox.SalesOrders.Get(created.TargetId)!;
        Assert.Equal("Cancelled", after.Value<string>("Status"));
        Assert.Equal(before, after["Ordered_Items"]!.Select(r => r.Value<string>("id")));
    }

    [Fact]
    public async Task Sandbox_SubformRowsByIdAndDelete_FollowZohosUpdateSubformRules()
    {
        await using var zoho = await ZohoTestSystem.StartAsync();
        var mug = zoho.Sandbox.Products.Insert(new JObject { ["Product_Name"] = "Ceramic Mug" });
        var order = zoho.Sandbox.SalesOrders.Insert(SalesOrder("o1", [Row(mug, 1, 10m), Row(mug, 2, 10m)]));
        var rows = (JArray)order["Ordered_Items"]!;

        var changed = zoho.Sandbox.SalesOrders.Edit(order.Value<string>("id")!, new JObject
        {
            ["Ordered_Items"] = new JArray(
                new JObject { ["id"] = rows[0]!["id"], ["Quantity"] = 5 },
                new JObject { ["id"] = rows[1]!["id"], ["_delete"] = null },
                Row(mug, 7, 10m)),
        });

        Assert.Equal([5m, 7m], changed["Ordered_Items"]!.Select(r => r.Value<decimal>("Quantity")));
        Assert.Equal(rows[0]!.Value<string>("id"), changed["Ordered_Items"]![0]!.Value<string>("id"));
        Assert.Equal(120m, changed.Value<decimal>("Grand_Total"));
        Assert.Throws<ArgumentException>(() => zoho.Sandbox.SalesOrders.Edit(order.Value<string>("id")!,
            new JObject { ["Ordered_Items"] = new JArray(new JObject { ["id"] = "1", ["Quantity"] = 1 }) }));
    }

    [Fact]
    public async Task Upsert_CaseByExternalIdWithItsContact_AndAContactsLatestScore()
    {
        await using var zoho = await ZohoTestSystem.StartAsync();
        var contact = zoho.Sandbox.Contacts.Insert(new JObject { ["Last_Name"] = "Okafor", ["Email"] = "ada@example.com" });
        var caseRequest = new WriteRequest(new RecordKey("survey.responses", "r1"), null, new JObject
        {
            ["Subject"] = "NPS 3 from ada@example.com",
            ["Status"] = "New",
            ["Case_Origin"] = "Web",
            ["Related_To"] = new JObject { ["id"] = contact.Value<string>("id") },
            ["Feedback_Response_Id"] = "r1",
            ["Feedback_Score"] = 3,
        }, ["Feedback_Response_Id"]);
        var scoreRequest = new WriteRequest(new RecordKey("survey.responses", "r1"), null,
            new JObject { ["Email"] = "ADA@example.com", ["Latest_NPS"] = 3, ["Latest_NPS_At"] = "2026-11-23T14:30:00+05:30" }, ["Email"]);
        var wrongType = new WriteRequest(new RecordKey("survey.responses", "r2"), null,
            new JObject { ["Email"] = "ada@example.com", ["Latest_NPS"] = "three" }, ["Email"]);

        var caseOutcome = Assert.Single(await zoho.Connector.WriteAsync("Cases", [caseRequest], Token));
        var again = Assert.Single(await zoho.Connector.WriteAsync("Cases", [caseRequest], Token));
        var contactOutcomes = await zoho.Connector.WriteAsync("Contacts", [scoreRequest], Token);
        var wrongOutcome = Assert.Single(await zoho.Connector.WriteAsync("Contacts", [wrongType], Token));

        Assert.True(Assert.IsType<WriteOutcome.Written>(caseOutcome).Created);
        Assert.False(Assert.IsType<WriteOutcome.Written>(again).Created);
        Assert.Equal(1, zoho.Sandbox.Cases.Count);
        // The case's contact is Zoho's standard lookup Related_To, read back as {"name", "id"}.
        var related = zoho.Sandbox.Cases.All()[0]["Related_To"]!;
        Assert.Equal((contact.Value<string>("id"), "Okafor"), (related.Value<string>("id"), related.Value<string>("name")));
        Assert.Equal(contact.Value<string>("id"), Assert.IsType<WriteOutcome.Written>(Assert.Single(contactOutcomes)).TargetId);
        Assert.Equal(3, zoho.Sandbox.Contacts.Get(contact.Value<string>("id")!)!.Value<int>("Latest_NPS"));
        Assert.Equal(("INVALID_DATA", "Latest_NPS"), (((WriteOutcome.Rejected)wrongOutcome).VendorCode, ((WriteOutcome.Rejected)wrongOutcome).Field));
    }

    [Fact]
    public async Task Update_LinkedOrderZohoNoLongerHas_IsRejectedOnItsIdAfterAnEmptySingleRecordGet()
    {
        await using var zoho = await ZohoTestSystem.StartAsync();
        var mug = zoho.Sandbox.Products.Insert(new JObject { ["Product_Name"] = "Ceramic Mug" });
        var stale = new WriteRequest(new RecordKey("shop.orders", "o1"), "5725767000000000001", SalesOrder("o1", [Row(mug, 1, 10m)]), ["Shopify_Order_Id"]);

        var outcome = Assert.Single(await zoho.Connector.WriteAsync("Sales_Orders", [stale], Token));

        Assert.Equal(("INVALID_DATA", "id"), (((WriteOutcome.Rejected)outcome).VendorCode, ((WriteOutcome.Rejected)outcome).Field));
        Assert.Equal([(HttpStatusCode.NoContent, "GET"), (HttpStatusCode.BadRequest, "PUT")], zoho.CrmCalls.Select(c => ((HttpStatusCode)c.Status, c.Method)));
    }

    private static WriteRequest Order(string id, JObject payload) => new(new RecordKey("shop.orders", id), null, payload, ["Shopify_Order_Id"]);

    private static JObject SalesOrder(string id, IEnumerable<JObject> rows, string? contactId = null)
    {
        var order = new JObject { ["Subject"] = $"Shopify order {id}", ["Shopify_Order_Id"] = id, ["Ordered_Items"] = new JArray(rows) };
        if (contactId is not null) order["Contact_Name"] = new JObject { ["id"] = contactId };
        return order;
    }

    private static JObject Row(JObject product, int quantity, decimal price) =>
        new() { ["Product_Name"] = new JObject { ["id"] = product.Value<string>("id") }, ["Quantity"] = quantity, ["List_Price"] = price };

    private static (string, string?) Rejection(IReadOnlyList<WriteOutcome> outcomes, string source)
    {
        var rejected = Assert.IsType<WriteOutcome.Rejected>(Assert.Single(outcomes, o => o.Source.Id == source));
        return (rejected.VendorCode, rejected.Field);
    }
}
