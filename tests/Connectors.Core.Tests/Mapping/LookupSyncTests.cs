using Connectors.Core.Flows;
using Connectors.Core.Http;
using Connectors.Core.Mapping;
using Connectors.Core.Records;
using Record = Connectors.Core.Records.Record;
using Connectors.Core.Sync;
using Connectors.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Tests.Mapping;

/// <summary>
/// Lookups through links inside a real sync run: the run reads each looked-up flow's links once per page,
/// for exactly the ids the page refers to, and the payloads carry the linked CRM ids.
/// </summary>
public sealed class LookupSyncTests
{
    private static readonly JObject OrderMapping = JObject.Parse("""
        {
          "Subject": "name",
          "Contact_Name": { "fields": { "id": { "lookup": { "flow": "customers-to-crm", "id": "customer.id", "required": true } } } },
          "Ordered_Items": {
            "each": "line_items",
            "fields": {
              "Product_Name": { "fields": { "id": { "lookup": { "flow": "products-to-crm", "id": "product_id" } } } },
              "Quantity": "quantity"
            }
          }
        }
        """);

    [Fact]
    public async Task RunAsync_OrdersWithLookups_ReadsLinksOncePerFlowPerPageAndWritesLinkedIds()
    {
        await using var state = await RecordedStateStore.OpenAsync(TestContext.Current.CancellationToken);
        await state.SeedAsync(
        [
            Samples.NewLink("customers-to-crm", "11", "crm-c11"),
            Samples.NewLink("customers-to-crm", "12", "crm-c12"),
            Samples.NewLink("products-to-crm", "501", "crm-p501"),
        ], TestContext.Current.CancellationToken);
        var mapping = MappingCompiler.Compile(OrderMapping.Properties().Select(p => new MappingField(p.Name, p.Value)));
        var flow = new Flow("orders-to-crm", StreamRef.Parse("shop.orders"), StreamRef.Parse("crm.Sales_Orders"), mapping, ["Subject"]);
        var page = new RecordPage(
        [
            Order("1", "#1001", 11, (501, 1)),
            Order("2", "#1002", 12, (501, 2), (502, 1)),
            Order("3", "#1003", 99, (503, 1)),
        ], null);
        var target = new RecordingTarget();
        var run = new SyncRun(state, new ApiCallMeter(), new WaitObservingClock(), NullLogger<SyncRun>.Instance);

        var report = await run.RunAsync(flow, new PagedSource(page), target, null, TestContext.Current.CancellationToken);

        Assert.Equal(
        [
            ("orders-to-crm", "1,2,3"),
            ("customers-to-crm", "11,12,99"),
            ("products-to-crm", "501,502,503"),
        ], state.LinkReads.Select(r => (r.Flow, string.Join(",", r.Ids))));
        Assert.Equal(2, report.Created);
        Assert.Equal(1, report.Failed);
        Assert.Equal("""{"Subject":"#1002","Contact_Name":{"id":"crm-c12"},"Ordered_Items":[{"Product_Name":{"id":"crm-p501"},"Quantity":2},{"Quantity":1}]}""",
            target.Written[1].Payload.ToString(Newtonsoft.Json.Formatting.None));
        var dead = Assert.Single(await state.GetDeadLettersAsync("orders-to-crm", TestContext.Current.CancellationToken));
        Assert.Equal(("3", "MAPPING_FAILED", "Contact_Name.id"), (dead.Source.Id, dead.Code, dead.Field));
        Assert.Contains("source id '99' has no link in flow 'customers-to-crm'", dead.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_MappingWithoutLookups_ReadsNoLinks()
    {
        await using var state = await RecordedStateStore.OpenAsync(TestContext.Current.CancellationToken);
        var mapping = MappingCompiler.Compile(new Dictionary<string, string> { ["Subject"] = "name" });

        var context = await MappingContext.LoadAsync(mapping, [Samples.Parse(Samples.Order)], state, TestContext.Current.CancellationToken);

        Assert.Same(MappingContext.Empty, context);
        Assert.Empty(state.LinkReads);
    }

    [Fact]
    public void LookupIds_ConditionalLookup_CollectsOnlyTheBranchTaken()
    {
        var mapping = MappingCompiler.Compile([new MappingField("Account", JObject.Parse("""
            { "when": "company != null",
              "then": { "lookup": { "flow": "companies-to-crm", "id": "company" } },
              "else": { "lookup": { "flow": "customers-to-crm", "id": "customer.id" } } }
            """))]);

        var ids = mapping.LookupIds([JObject.Parse("""{ "company": "acme" }"""), JObject.Parse("""{ "customer": { "id": 7 } }""")]);

        Assert.Equal(["acme"], ids["companies-to-crm"]);
        Assert.Equal(["7"], ids["customers-to-crm"]);
    }

    [Fact]
    public void LookupIds_LookupsInsideMapsAndScripts_AreCollectedToo()
    {
        var mapping = MappingCompiler.Compile(
        [
            new MappingField("Owner", JObject.Parse("""{ "value": { "lookup": { "flow": "users-to-crm", "id": "user_id" } }, "map": { "u-1": "Ann" } }""")),
            new MappingField("Note", JObject.Parse("""{ "script": "'Contact ' + value", "value": { "lookup": { "flow": "customers-to-crm", "id": "customer.id" } } }""")),
        ]);

        var ids = mapping.LookupIds([JObject.Parse("""{ "user_id": 5, "customer": { "id": 7 } }""")]);

        Assert.Equal(["5"], ids["users-to-crm"]);
        Assert.Equal(["7"], ids["customers-to-crm"]);
    }

    private static Record Order(string id, string name, long customerId, params (long Product, int Quantity)[] lines)
    {
        var data = new JObject
        {
            ["id"] = id,
            ["name"] = name,
            ["customer"] = new JObject { ["id"] = customerId },
            ["line_items"] = new JArray(lines.Select(l => new JObject { ["product_id"] = l.Product, ["quantity"] = l.Quantity })),
        };
        return new Record(new RecordKey("shop.orders", id), new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), data);
    }
}
