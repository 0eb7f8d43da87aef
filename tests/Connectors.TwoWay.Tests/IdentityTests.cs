using Newtonsoft.Json.Linq;

namespace Connectors.TwoWay.Tests;

/// <summary>Identity: duplicates within one side are linked once and reported, never multiplied; deleted counterparts are not resurrected.</summary>
public sealed class IdentityTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TwoErpCustomersWithOneEmail_TheOldestIsLinked_TheOtherReported_AndNoThirdIsCreated()
    {
        await using var h = await TwoWayHarness.StartAsync();
        var oldest = h.ErpInsert("ann@example.com", "Ann Lee", "+1 555 0100");
        h.Advance(TimeSpan.FromMinutes(1));
        var younger = h.ErpInsert("ANN@example.com", "Ann L.", "+1 555 0199");
        h.CrmInsert("Ann@Example.com", "Ann Lee", "+1 555 0100");
        var flow = TwoWayHarness.Flow();

        var report = await h.RunAsync(flow);
        var again = await h.RunAsync(flow);

        Assert.Equal(1, report.Duplicates);
        Assert.Equal(1, report.Matched);
        Assert.Equal(1, h.Crm.Contacts.Count);
        Assert.Equal(2, h.Erp.Customers.Count);
        var reported = Assert.Single(report.Reported);
        Assert.Equal((string)younger["id"]!, reported.Record.Id);
        Assert.Contains((string)oldest["id"]!, reported.Reason, StringComparison.Ordinal);
        var letter = Assert.Single(await h.State.GetDeadLettersAsync(flow.Name, Ct));
        Assert.Equal(("DUPLICATE_MATCH_KEY", (string)younger["id"]!), (letter.Code, letter.Source.Id));
        Assert.Equal(0, again.Writes);
        Assert.Equal(1, h.Crm.Contacts.Count);
    }

    [Fact]
    public async Task NewCrmContactWithTheEmailOfALinkedCustomer_IsReportedAsADuplicate_NotLinkedOverTheOther()
    {
        await using var h = await TwoWayHarness.StartAsync();
        h.CrmInsert("ann@example.com", "Ann Lee", "+1 555 0100");
        var flow = TwoWayHarness.Flow();
        await h.RunAsync(flow);
        var customer = h.ErpByEmail("ann@example.com")!;
        h.CrmInsert("ann@example.com", "Ann Again", "+1 555 0999");

        var report = await h.RunAsync(flow);

        Assert.Equal(1, report.Duplicates);
        Assert.Equal(0, report.Writes);
        Assert.Single(h.Erp.Customers);
        Assert.Equal(("Ann Lee", "+1 555 0100"), ((string?)h.Erp.Find((string)customer["id"]!)!["displayName"], (string?)h.Erp.Find((string)customer["id"]!)!["phoneNumber"]));
    }

    [Fact]
    public async Task CustomerDeletedInTheErp_ItsContactChangedLater_IsNotRecreated_AndTheOrphanIsReported()
    {
        await using var h = await TwoWayHarness.StartAsync();
        var contact = h.CrmInsert("ann@example.com", "Ann Lee", "+1 555 0100");
        var flow = TwoWayHarness.Flow();
        await h.RunAsync(flow);
        h.Erp.Delete((string)h.ErpByEmail("ann@example.com")!["id"]!);
        h.Crm.Contacts.Edit((string)contact["id"]!, new JObject { ["Phone"] = "+1 555 0111" });

        var report = await h.RunAsync(flow);
        h.Crm.Contacts.Edit((string)contact["id"]!, new JObject { ["Phone"] = "+1 555 0112" });
        var later = await h.RunAsync(flow);

        Assert.Equal(1, report.Orphans);
        Assert.Equal(0, report.Writes);
        Assert.Empty(h.Erp.Customers);
        Assert.Contains("is gone", Assert.Single(report.Reported).Reason, StringComparison.Ordinal);
        Assert.True((await h.State.GetLinksAsync(flow.Name, [(string)contact["id"]!], Ct))[(string)contact["id"]!].Orphaned);
        Assert.Equal((1, 0), (later.Orphans, later.Writes));
        Assert.Empty(h.Erp.Customers);
    }
}
