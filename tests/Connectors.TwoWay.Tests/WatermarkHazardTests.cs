using Connectors.Core.Connectors;
using Connectors.Core.Sync.TwoWay;
using Newtonsoft.Json.Linq;

namespace Connectors.TwoWay.Tests;

/// <summary>
/// The watermark bugs users report most in other tools, one test each. Every test says what the naive
/// implementation does and why the assertion would then fail.
/// </summary>
public sealed class WatermarkHazardTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EqualStampsAcrossAPageBoundary_TheRecordAfterTheBoundaryIsReadAgain_AndTheOthersCostNothing()
    {
        // Pages of two; three ERP customers saved in the same millisecond (one import).
        await using var h = await TwoWayHarness.StartAsync(erpPageSize: 2);
        h.ErpInsert("a@example.com", "Ann");
        h.ErpInsert("b@example.com", "Ben");
        h.ErpInsert("c@example.com", "Cy");
        var third = h.Erp.Customers.OrderBy(c => (string)c["id"]!, StringComparer.Ordinal).Last();
        var flow = TwoWayHarness.Flow();
        // The CRM cannot take the third one now, so the run may only commit the first page's checkpoint,
        // whose stamp is the same as the third record's.
        var left = new SideConnectors(h.CrmConnector, new HookedTarget(h.CrmConnector, batch => Task.FromResult<IReadOnlyList<WriteOutcome>>(
            [.. batch.Where(r => r.Source.Id == (string)third["id"]!).Select(r => new WriteOutcome.RetryLater(r.Source, TimeSpan.FromMinutes(1), "try later"))])));

        var first = await h.RunAsync(flow, left: left);
        h.ClearLogs();
        var second = await h.RunAsync(flow);

        Assert.Equal(1, first.Deferred);
        Assert.Equal(2, first.CreatedLeft);
        // Naive: the next read filters "modified after" the stored stamp (gt, or Zoho's If-Modified-Since
        // without the overlap), so the third customer, stamped the same, is never read again and never reaches the CRM.
        Assert.NotNull(h.CrmByEmail("c@example.com"));
        Assert.Equal(3, second.ReadRight);
        Assert.Equal(1, second.CreatedLeft);
        Assert.Equal(1, h.CrmWrites);
        Assert.Equal(0, h.ErpWrites);
    }

    [Fact]
    public async Task StampsInDifferentOffsets_NewestWinsComparesInstants_NotWallClocks()
    {
        await using var h = await TwoWayHarness.StartAsync();
        var contact = h.CrmInsert("ann@example.com", "Ann Lee", "+1 555 0100");
        var flow = TwoWayHarness.Flow("policy: newest-wins");
        await h.RunAsync(flow);
        var customerId = (string)h.ErpByEmail("ann@example.com")!["id"]!;

        // The CRM user saves at 09:00Z, which Zoho writes 14:30+05:30; the ERP user saves half an hour later,
        // 09:30Z, which Business Central writes 09:30Z. Read as wall clocks, 14:30 looks later.
        h.Crm.Contacts.Edit((string)contact["id"]!, new JObject { ["Phone"] = "+1 555 0111" });
        h.Advance(TimeSpan.FromMinutes(30));
        h.Erp.Edit(customerId, c => c["phoneNumber"] = "+1 555 0122");
        var crmStamp = (string)h.CrmByEmail("ann@example.com")!["Modified_Time"]!;
        await h.RunAsync(flow);

        Assert.EndsWith("+05:30", crmStamp, StringComparison.Ordinal);
        // Naive: comparing DateTime (wall clock) or the stamps as text picks the CRM's 14:30 and overwrites the ERP's later edit.
        Assert.Equal("+1 555 0122", (string?)h.CrmByEmail("ann@example.com")!["Phone"]);
        Assert.Equal("+1 555 0122", (string?)h.Erp.Find(customerId)!["phoneNumber"]);
        var stored = (await h.State.GetWatermarkAsync(flow.Name, FlowSide.Left, Ct)).Modified!.Value;
        Assert.Equal(TimeSpan.FromHours(5.5), stored.Offset);
    }

    [Fact]
    public async Task InclusiveCursor_ReReadsTheLastRecordOfEachSide_AndWritesNothingForIt()
    {
        await using var h = await TwoWayHarness.StartAsync();
        h.CrmInsert("ann@example.com", "Ann Lee", "+1 555 0100", "Pune");
        h.ErpInsert("ann@example.com", "Ann Lee", "+1 555 0100", "Pune");
        var flow = TwoWayHarness.Flow();
        var first = await h.RunAsync(flow);
        h.ClearLogs();

        var second = await h.RunAsync(flow);

        Assert.Equal(0, first.Writes);
        // Both cursors are inclusive (Business Central: ge the stamp; Zoho: one second before it), so the last
        // record of each side comes back although nobody touched it.
        Assert.Equal((1, 1), (second.ReadLeft, second.ReadRight));
        // Naive: every record read is treated as a change and written to the other side, every run, for ever.
        Assert.Equal(1, second.Unchanged);
        Assert.Equal(0, h.Writes);
    }

    [Fact]
    public async Task VendorClockBehindOurs_TheWatermarkIsTheVendorsStamp_SoAnEditAfterTheRunIsRead()
    {
        await using var h = await TwoWayHarness.StartAsync(separateVendorClock: true);
        h.Clock.Advance(TimeSpan.FromMinutes(10)); // ours runs ten minutes ahead of the vendors'
        var contact = h.CrmInsert("ann@example.com", "Ann Lee", "+1 555 0100");
        var flow = TwoWayHarness.Flow();
        await h.RunAsync(flow);

        // Five minutes after the run by the CRM's clock: still five minutes before the run by ours.
        h.Advance(TimeSpan.FromMinutes(5));
        h.Crm.Contacts.Edit((string)contact["id"]!, new JObject { ["Phone"] = "+1 555 0111" });
        await h.RunAsync(flow);

        // Naive: the watermark is our clock's "now" at the end of the run, ahead of the CRM's clock, so the
        // edit, stamped earlier by the CRM, is filtered out and never synced.
        Assert.Equal("+1 555 0111", (string?)h.ErpByEmail("ann@example.com")!["phoneNumber"]);
        Assert.True((await h.State.GetWatermarkAsync(flow.Name, FlowSide.Left, Ct)).Modified < h.Clock.GetUtcNow() - TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task RecordModifiedDuringTheRun_IsReadByTheNextRun_BecauseTheWatermarkIsTheLastStampRead()
    {
        await using var h = await TwoWayHarness.StartAsync();
        h.CrmInsert("ann@example.com", "Ann Lee", "+1 555 0100");
        var ben = h.CrmInsert("ben@example.com", "Ben Okafor", "+1 555 0200");
        var flow = TwoWayHarness.Flow();
        await h.RunAsync(flow);
        h.Crm.Contacts.Edit((string)h.CrmByEmail("ann@example.com")!["id"]!, new JObject { ["Mailing_City"] = "Pune" });
        // While the run is under way (after it read the CRM) a user edits Ben; the run then takes a while.
        var left = new SideConnectors(new HookedSource(h.CrmConnector, () =>
        {
            h.Advance(TimeSpan.FromSeconds(1));
            h.Crm.Contacts.Edit((string)ben["id"]!, new JObject { ["Phone"] = "+1 555 0222" });
            h.Advance(TimeSpan.FromSeconds(30));
            return Task.CompletedTask;
        }), h.CrmConnector);

        await h.RunAsync(flow, left: left);
        var during = (string?)h.ErpByEmail("ben@example.com")!["phoneNumber"];
        await h.RunAsync(flow);

        Assert.Equal("+1 555 0200", during);
        // Naive: the watermark becomes "now" (or the stamp of our own last write) at the end of the run, past
        // Ben's edit, which is then never read.
        Assert.Equal("+1 555 0222", (string?)h.ErpByEmail("ben@example.com")!["phoneNumber"]);
    }

    [Fact]
    public async Task EmptyRead_Zoho304_KeepsTheWatermarkWhereItWas()
    {
        await using var h = await TwoWayHarness.StartAsync();
        var ann = h.CrmInsert("ann@example.com", "Ann Lee", "+1 555 0100");
        var flow = TwoWayHarness.Flow();
        await h.RunAsync(flow);
        var before = await h.State.GetWatermarkAsync(flow.Name, FlowSide.Left, Ct);
        h.Crm.Contacts.Delete((string)ann["id"]!);
        h.ClearLogs();

        var empty = await h.RunAsync(flow);
        var after = await h.State.GetWatermarkAsync(flow.Name, FlowSide.Left, Ct);
        h.Advance(TimeSpan.FromMinutes(1));
        h.CrmInsert("ben@example.com", "Ben Okafor");
        var next = await h.RunAsync(flow);

        Assert.Contains(h.Crm.RequestLog.Entries, e => e.Method == "GET" && e.Path == "/crm/v8/Contacts" && e.Status == 304);
        Assert.Equal(0, empty.ReadLeft);
        // Naive: the watermark is the latest stamp of the pages read; with no page it becomes Start (the next
        // run reads the whole CRM again) or "now" (our clock), or the run fails on the empty maximum.
        Assert.Equal(before, after);
        Assert.Equal(1, next.ReadLeft);
        Assert.NotNull(h.ErpByEmail("ben@example.com"));
    }

    [Fact]
    public async Task FirstRunWithNoWatermark_ReadsBothSidesWhole_AndLinksTwinsInsteadOfCopyingThem()
    {
        await using var h = await TwoWayHarness.StartAsync();
        // Records from long before: a first run must not start from "now".
        h.CrmInsert("ann@example.com", "Ann Lee", "+1 555 0100");
        h.ErpInsert("ann@example.com", "Ann Lee", "+1 555 0100");
        h.Advance(TimeSpan.FromDays(30));
        h.CrmInsert("ben@example.com", "Ben Okafor");
        var flow = TwoWayHarness.Flow();

        var first = await h.RunAsync(flow);

        // Naive: no watermark means "from now" (nothing read), or every record read is new and copied across,
        // which doubles Ann on both sides.
        Assert.Equal((2, 1), (first.ReadLeft, first.ReadRight));
        Assert.Equal((1, 1, 0), (first.Matched, first.CreatedRight, first.CreatedLeft));
        Assert.Equal(2, h.Crm.Contacts.Count);
        Assert.Equal(2, h.Erp.Customers.Count);
    }
}
