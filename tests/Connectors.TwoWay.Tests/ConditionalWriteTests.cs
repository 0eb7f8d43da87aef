using Connectors.Core.Sync.TwoWay;
using Newtonsoft.Json.Linq;

namespace Connectors.TwoWay.Tests;

/// <summary>A user's edit that lands between our read and our write is never overwritten: the conditional write is refused, and we read and merge again.</summary>
public sealed class ConditionalWriteTests
{
    [Fact]
    public async Task ErpEditBetweenOurReadAndWrite_Gets412OnTheStaleEtag_IsReadAndMergedAgain_AndBothEditsSurvive()
    {
        await using var h = await TwoWayHarness.StartAsync();
        var contact = h.CrmInsert("ann@example.com", "Ann Lee", "+1 555 0100", "Pune");
        var flow = TwoWayHarness.Flow();
        await h.RunAsync(flow);
        var customerId = (string)h.ErpByEmail("ann@example.com")!["id"]!;
        h.Crm.Contacts.Edit((string)contact["id"]!, new JObject { ["Phone"] = "+1 555 0111" });
        h.ClearLogs();
        // The ERP user saves a new city after our run read the customer and before it writes the phone.
        var right = new SideConnectors(h.ErpConnector, new HookedTarget(h.ErpConnector, HookedTarget.Before(() =>
            h.Erp.Edit(customerId, c => c["city"] = "Mumbai"))));

        var report = await h.RunAsync(flow, right: right);

        var patches = h.Erp.Log.Entries.Where(e => e.Method == "PATCH").Select(e => e.Status).ToList();
        Assert.Equal([412, 200], patches);
        Assert.Equal(1, report.Remerged);
        var customer = h.Erp.Find(customerId)!;
        Assert.Equal(("+1 555 0111", "Mumbai"), ((string?)customer["phoneNumber"], (string?)customer["city"]));
        Assert.Equal("Mumbai", (string?)h.CrmByEmail("ann@example.com")!["Mailing_City"]);
        Assert.Equal(0, h.Erp.WildcardWrites);
    }

    [Fact]
    public async Task CrmEditBetweenOurReadAndWrite_GetsAlreadyModified_IsReadAndMergedAgain_AndBothEditsSurvive()
    {
        await using var h = await TwoWayHarness.StartAsync();
        var contact = h.CrmInsert("ann@example.com", "Ann Lee", "+1 555 0100", "Pune");
        var flow = TwoWayHarness.Flow();
        await h.RunAsync(flow);
        var customerId = (string)h.ErpByEmail("ann@example.com")!["id"]!;
        h.Erp.Edit(customerId, c => c["phoneNumber"] = "+1 555 0122");
        h.ClearLogs();
        var left = new SideConnectors(h.CrmConnector, new HookedTarget(h.CrmConnector, HookedTarget.Before(() =>
        {
            // Zoho stamps to the second: the user's save comes a second after our read.
            h.Advance(TimeSpan.FromSeconds(1));
            h.Crm.Contacts.Edit((string)contact["id"]!, new JObject { ["Mailing_City"] = "Delhi" });
        })));

        var report = await h.RunAsync(flow, left: left);

        var puts = h.Crm.RequestLog.Entries.Where(e => e.Method == "PUT").Select(e => e.Status).ToList();
        Assert.Equal([412, 200], puts);
        Assert.Equal(1, report.Remerged);
        var stored = h.CrmByEmail("ann@example.com")!;
        Assert.Equal(("+1 555 0122", "Delhi"), ((string?)stored["Phone"], (string?)stored["Mailing_City"]));
        Assert.Equal("Delhi", (string?)h.Erp.Find(customerId)!["city"]);
    }

    [Fact]
    public async Task RecordThatKeepsChangingUnderUs_IsDeferredAfterTheLastAttempt_AndTheNextRunSyncsIt()
    {
        await using var h = await TwoWayHarness.StartAsync();
        var contact = h.CrmInsert("ann@example.com", "Ann Lee", "+1 555 0100", "Pune");
        var flow = TwoWayHarness.Flow();
        await h.RunAsync(flow);
        var customerId = (string)h.ErpByEmail("ann@example.com")!["id"]!;
        h.Crm.Contacts.Edit((string)contact["id"]!, new JObject { ["Phone"] = "+1 555 0111" });
        var edits = 0;
        var restless = new RestlessTarget(h.ErpConnector, () => h.Erp.Edit(customerId, c => c["city"] = $"City {++edits}"));

        var report = await h.RunAsync(flow, right: new SideConnectors(h.ErpConnector, restless));
        var next = await h.RunAsync(flow);

        Assert.Equal(TwoWaySync.MaxAttempts, report.Remerged);
        Assert.Equal(1, report.Deferred);
        Assert.Equal(Connectors.Core.State.RunStatus.Incomplete, report.Status);
        Assert.Equal(Connectors.Core.State.RunStatus.Completed, next.Status);
        // The user's edits all happened within one second of ours: merge's newest-wins sees a tie and the
        // source (CRM) wins; what matters is that the next run brings both sides to one value, phone included.
        var customer = h.Erp.Find(customerId)!;
        Assert.Equal("+1 555 0111", (string?)customer["phoneNumber"]);
        Assert.Equal((string?)customer["city"], (string?)h.CrmByEmail("ann@example.com")!["Mailing_City"]);
    }

    /// <summary>A user who edits the record before every one of our writes.</summary>
    private sealed class RestlessTarget(Connectors.Core.Connectors.ITargetConnector inner, Action edit) : Connectors.Core.Connectors.ITargetConnector
    {
        public int MaxBatchSize(string stream) => inner.MaxBatchSize(stream);

        public Task<IReadOnlyList<Connectors.Core.Connectors.WriteOutcome>> WriteAsync(string stream, IReadOnlyList<Connectors.Core.Connectors.WriteRequest> batch,
            CancellationToken cancellationToken)
        {
            edit();
            return inner.WriteAsync(stream, batch, cancellationToken);
        }
    }
}
