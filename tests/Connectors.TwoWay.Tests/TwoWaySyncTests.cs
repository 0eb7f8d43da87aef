using Connectors.Core.Conflicts;
using Connectors.Core.Sync.TwoWay;
using Newtonsoft.Json.Linq;

namespace Connectors.TwoWay.Tests;

public sealed class TwoWaySyncTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FirstRun_LinksTwinsByEmail_CreatesTheRestOnTheOtherSide_AndASecondRunWritesNothing()
    {
        await using var h = await TwoWayHarness.StartAsync();
        h.CrmInsert("Ann@Example.com", "Ann Lee", "+1 555 0100");
        h.CrmInsert("ben@example.com", "Ben Okafor");
        h.ErpInsert("ann@example.com", "Ann Lee", city: "Pune");
        h.ErpInsert("cy@example.com", "Cy Moreau", "+1 555 0199");
        var flow = TwoWayHarness.Flow();

        var first = await h.RunAsync(flow);
        h.ClearLogs();
        var second = await h.RunAsync(flow);

        Assert.Equal((1, 1, 1), (first.Matched, first.CreatedLeft, first.CreatedRight));
        Assert.Equal(3, h.Crm.Contacts.Count);
        Assert.Equal(3, h.Erp.Customers.Count);
        Assert.Equal("Pune", (string?)h.CrmByEmail("ann@example.com")!["Mailing_City"]);
        Assert.Equal("+1 555 0100", (string?)h.ErpByEmail("ann@example.com")!["phoneNumber"]);
        Assert.Equal("+1 555 0199", (string?)h.CrmByEmail("cy@example.com")!["Phone"]);
        Assert.Equal(0, h.Writes);
        Assert.Equal(0, second.Writes);
    }

    [Fact]
    public async Task EditOnEachSide_OneFieldEach_BothEditsEndOnBothSides()
    {
        await using var h = await TwoWayHarness.StartAsync();
        var contact = h.CrmInsert("ann@example.com", "Ann Lee", "+1 555 0100", "Pune");
        var flow = TwoWayHarness.Flow();
        await h.RunAsync(flow);
        var customer = h.ErpByEmail("ann@example.com")!;

        h.Crm.Contacts.Edit((string)contact["id"]!, new JObject { ["Phone"] = "+1 555 0111" });
        h.Erp.Edit((string)customer["id"]!, c => c["city"] = "Mumbai");
        var report = await h.RunAsync(flow);

        Assert.Equal(("+1 555 0111", "Mumbai"), ((string?)h.ErpByEmail("ann@example.com")!["phoneNumber"], (string?)h.ErpByEmail("ann@example.com")!["city"]));
        Assert.Equal(("+1 555 0111", "Mumbai"), ((string?)h.CrmByEmail("ann@example.com")!["Phone"], (string?)h.CrmByEmail("ann@example.com")!["Mailing_City"]));
        Assert.Equal((1, 1), (report.UpdatedLeft, report.UpdatedRight));
    }

    [Fact]
    public async Task OurOwnWrites_ReadBackOnBothSides_CostNoWrites()
    {
        await using var h = await TwoWayHarness.StartAsync();
        var contact = h.CrmInsert("ann@example.com", "Ann Lee", "+1 555 0100", "Pune");
        var flow = TwoWayHarness.Flow();
        await h.RunAsync(flow);
        var customer = h.ErpByEmail("ann@example.com")!;
        h.Crm.Contacts.Edit((string)contact["id"]!, new JObject { ["Phone"] = "+1 555 0111" });
        h.Erp.Edit((string)customer["id"]!, c => c["city"] = "Mumbai");
        await h.RunAsync(flow);
        h.ClearLogs();

        // Both records were written by the run above, so both come back as changed since the watermarks.
        var echo = await h.RunAsync(flow);

        Assert.Equal((1, 1), (echo.ReadLeft, echo.ReadRight));
        Assert.Equal(1, echo.Unchanged);
        Assert.Equal(0, echo.Writes);
        Assert.Equal(0, h.Writes);
    }

    [Fact]
    public async Task SameFieldEditedOnBothSides_UnderManual_WaitsInTheQueue_AndSyncsTheDecision()
    {
        await using var h = await TwoWayHarness.StartAsync();
        var contact = h.CrmInsert("ann@example.com", "Ann Lee", "+1 555 0100", "Pune");
        var flow = TwoWayHarness.Flow("policy: manual");
        await h.RunAsync(flow);
        var customer = h.ErpByEmail("ann@example.com")!;
        h.Crm.Contacts.Edit((string)contact["id"]!, new JObject { ["Phone"] = "+1 555 0111", ["Mailing_City"] = "Delhi" });
        h.Erp.Edit((string)customer["id"]!, c => c["phoneNumber"] = "+1 555 0122");

        var parked = await h.RunAsync(flow);
        var conflict = Assert.Single(await h.State.GetConflictsAsync(flow.Name, Ct));

        Assert.Equal(1, parked.Conflicts);
        Assert.Equal(0, parked.Writes);
        Assert.Equal(["phoneNumber"], conflict.ConflictingFields);
        Assert.Equal("+1 555 0122", (string?)h.ErpByEmail("ann@example.com")!["phoneNumber"]);
        Assert.Equal("Pune", (string?)h.ErpByEmail("ann@example.com")!["city"]);

        Assert.True(await h.State.ResolveConflictAsync(flow.Name, conflict.Id, new ConflictDecision(ConflictTake.Right, h.Clock.GetUtcNow()), Ct));
        var applied = await h.RunAsync(flow);

        Assert.Equal(1, applied.Resolved);
        Assert.Empty(await h.State.GetConflictsAsync(flow.Name, Ct));
        Assert.Equal(("+1 555 0122", "Delhi"), ((string?)h.CrmByEmail("ann@example.com")!["Phone"], (string?)h.CrmByEmail("ann@example.com")!["Mailing_City"]));
        Assert.Equal(("+1 555 0122", "Delhi"), ((string?)h.ErpByEmail("ann@example.com")!["phoneNumber"], (string?)h.ErpByEmail("ann@example.com")!["city"]));
        h.ClearLogs();
        await h.RunAsync(flow);
        Assert.Equal(0, h.Writes);
    }
}
