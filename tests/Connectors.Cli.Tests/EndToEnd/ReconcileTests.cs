using Connectors.Core.Reconciliation;
using Connectors.Core.State;
using Connectors.Sandbox.Zoho;
using Connectors.Testing;
using Newtonsoft.Json.Linq;

namespace Connectors.Cli.Tests.EndToEnd;

/// <summary>
/// Reconciliation of the shop → CRM flow over real HTTP against both emulators, with drift seeded on
/// purpose: every kind of finding counted exactly, repairs converging, calls against the minimum.
/// </summary>
public sealed class ReconcileTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Reconcile_SeededDrift_ClassifiesEveryRecordExactly()
    {
        var clock = new WaitObservingClock();
        await using var system = await ShopToCrm.StartAsync(300, clock, Token);
        await system.SyncAsync(Token);
        var seeded = await Drift.SeedAsync(system, clock);

        var report = await system.ReconcileAsync(new ReconcileOptions(), Token);

        Assert.Equal(RunStatus.Completed, report.Status);
        Assert.Equal((300 - 3 + 4, 300 - 2 + 3 + 2), (report.SourceRecords, report.TargetRecords));
        Assert.Equal(300 - 2 - 5 - 3, report.Count(Classification.InSync));
        Assert.Equal(4, report.Count(Classification.MissingInTarget));
        Assert.Equal(2, report.Count(Classification.OrphanLink));
        Assert.Equal(5, report.Count(Classification.Drifted));
        Assert.Equal(2, report.Count(Classification.DuplicateInTarget));
        Assert.Equal(3 + 3, report.Count(Classification.MissingInSource));
        Assert.Equal(3, report.DeletedInSource);
        Assert.Equal(4 + 2 + 5 + 2 + 3, report.Drift);
        Assert.Equal(new Dictionary<string, long> { ["Last_Name"] = 5, ["Mailing_City"] = 2 }, report.DriftByField);
        var drifted = report.Findings.Where(f => f.Class == Classification.Drifted).ToList();
        Assert.Equal(seeded.Drifted.Order(), drifted.Select(f => f.TargetId!).Order());
        Assert.Equal(["Last_Name", "Mailing_City"], drifted[0].Fields);
        Assert.Equal(seeded.DeletedCustomers.Order(), report.Findings
            .Where(f => f.Class == Classification.MissingInSource && f.Evidence == DeleteEvidence.KeySetDifference).Select(f => f.SourceId!).Order());
        // Reporting alone changes nothing.
        Assert.Equal(300 - 2 + 3 + 2, system.Crm.Contacts.Count);
    }

    [Fact]
    public async Task Repair_WithDeletePolicy_ConvergesToZeroDrift_InTheFewestCalls()
    {
        var clock = new WaitObservingClock();
        await using var system = await ShopToCrm.StartAsync(300, clock, Token);
        await system.SyncAsync(Token);
        var seeded = await Drift.SeedAsync(system, clock);

        var repair = await system.ReconcileAsync(new ReconcileOptions { Repair = true, Deletes = DeletePolicy.Delete }, Token);
        var after = await system.ReconcileAsync(new ReconcileOptions(), Token);

        Assert.Equal(RunStatus.Completed, repair.Status);
        Assert.Equal((4 + 2, 5, 2, 3 + 2, 0L), (repair.Repairs.Created, repair.Repairs.Updated, repair.Repairs.Relinked, repair.Repairs.Deleted, repair.Repairs.Failed));
        Assert.Equal(0, after.Drift);
        Assert.Equal(300 - 3 + 4, after.Count(Classification.InSync));
        Assert.Equal(0, after.Count(Classification.Drifted) + after.Count(Classification.MissingInTarget) + after.Count(Classification.OrphanLink)
            + after.Count(Classification.DuplicateInTarget));
        // The CRM-only contacts this flow never wrote are reported and left alone.
        Assert.Equal(3, after.Count(Classification.MissingInSource));
        Assert.All(seeded.Extras, id => Assert.NotNull(system.Crm.Contacts.Get(id)));
        Assert.All(seeded.Duplicates, id => Assert.Null(system.Crm.Contacts.Get(id)));
        Assert.Equal(seeded.Drifted.Count, seeded.Drifted.Count(id => !system.Crm.Contacts.Get(id)!.Value<string>("Last_Name")!.StartsWith("Changed", StringComparison.Ordinal)));

        // Every call was needed: reads at full pages, writes at 100 a call, one delete call.
        foreach (var account in repair.Calls.Concat(after.Calls))
        {
            Assert.True(account.Ratio == 1.0, $"{account.System}: {account.Calls} calls made, {account.Minimum} needed.");
        }
        var crm = repair.Calls.Single(c => c.System == "crm");
        // 2 list pages (301 contacts at 200 a page), 1 update of the 5 drifted, 1 upsert of the 6 missing, 1 delete of 5.
        Assert.Equal(2 + 1 + 1 + 1, crm.Minimum);
    }

    [Fact]
    public async Task Repair_WithFlagPolicy_FlagsDeletedAndDuplicates_AndTheNextRunCountsThemSettled()
    {
        var clock = new WaitObservingClock();
        var crmOptions = new ZohoSandboxOptions();
        crmOptions.ExtraContactFields.Add(new ZohoSandboxField("Deleted_In_Shop", "boolean"));
        await using var system = await ShopToCrm.StartAsync(120, clock, Token, crmOptions);
        await system.SyncAsync(Token);
        var seeded = await Drift.SeedAsync(system, clock);
        var options = () => new ReconcileOptions { Repair = true, Deletes = DeletePolicy.Flag, FlagField = "Deleted_In_Shop" };

        var repair = await system.ReconcileAsync(options(), Token);
        var after = await system.ReconcileAsync(options(), Token);

        Assert.Equal((3 + 2, 0L), (repair.Repairs.Flagged, repair.Repairs.Deleted));
        Assert.All(seeded.Duplicates.Concat(seeded.DeletedContacts), id => Assert.True(system.Crm.Contacts.Get(id)!.Value<bool>("Deleted_In_Shop")));
        Assert.Equal(0, after.Drift);
        Assert.Equal((5L, 0L), (after.AlreadyFlagged, after.Repairs.Flagged));
    }

    [Fact]
    public async Task Reconcile_AboveBulkSize_ReadsTheCrmThroughBulkRead_AndFindsTheSame()
    {
        var clock = new WaitObservingClock();
        await using var system = await ShopToCrm.StartAsync(300, clock, Token, new ZohoSandboxOptions { BulkJobDuration = TimeSpan.FromSeconds(10) });
        await system.SyncAsync(Token);
        await Drift.SeedAsync(system, clock);
        system.Crm.RequestLog.Clear();

        var running = system.ReconcileAsync(new ReconcileOptions { BulkAbove = 100 }, Token);
        // The job takes 10 s on the sandbox clock: the connector finds it in progress and polls again after
        // waiting on the clock. (Never more than 10 s in all: the shop is read at the same time, and its calls'
        // 30 s attempt timeouts must not fire while they are in flight.)
        await clock.AdvancePastNextWaitAsync(w => w == TimeSpan.FromSeconds(10), Token);
        var report = await running;

        // Both sides are above BulkAbove: the shop is read through its own bulk operation (the test below covers it).
        Assert.Equal(("bulk", "bulk"), (report.TargetReadMode, report.SourceReadMode));
        Assert.Equal(1, system.Crm.BulkReadJobs);
        Assert.Equal(2, system.Crm.RequestLog.Count(r => r.Method == "GET" && r.Path.StartsWith("/crm/bulk/v8/read/", StringComparison.Ordinal)
            && !r.Path.EndsWith("/result", StringComparison.Ordinal)));
        Assert.DoesNotContain(system.Crm.RequestLog.Entries, r => r.Method == "GET" && r.Path == "/crm/v8/Contacts");
        Assert.Equal((5L, 4L, 2L, 2L, 6L), (report.Count(Classification.Drifted), report.Count(Classification.MissingInTarget),
            report.Count(Classification.OrphanLink), report.Count(Classification.DuplicateInTarget), report.Count(Classification.MissingInSource)));
        Assert.Equal(50 + 1 + 1 + 1, report.Calls.Single(c => c.System == "crm").Credits);
    }

    [Fact]
    public async Task Reconcile_ShopAboveBulkSize_ReadsItThroughOneBulkOperation_InTheFewestCalls_AndFindsTheSame()
    {
        var clock = new WaitObservingClock();
        await using var system = await ShopToCrm.StartAsync(300, clock, Token);
        await system.SyncAsync(Token);
        var seeded = await Drift.SeedAsync(system, clock);
        system.Shop.RequestLog.Clear();

        var report = await system.ReconcileAsync(new ReconcileOptions { BulkAbove = 100 }, Token);

        Assert.Equal(RunStatus.Completed, report.Status);
        Assert.Equal(("bulk", "bulk"), (report.SourceReadMode, report.TargetReadMode));
        Assert.Equal(1, system.Shop.BulkOperationCount);
        Assert.DoesNotContain(system.Shop.RequestLog.Entries, r => r.Body.Contains("CustomersChangedSince", StringComparison.Ordinal));
        // Exactly what the paged read finds (Reconcile_SeededDrift_ClassifiesEveryRecordExactly).
        Assert.Equal((300 - 3 + 4, 300 - 2 + 3 + 2), (report.SourceRecords, report.TargetRecords));
        Assert.Equal((300L - 2 - 5 - 3, 5L, 4L, 2L, 2L, 6L), (report.Count(Classification.InSync), report.Count(Classification.Drifted),
            report.Count(Classification.MissingInTarget), report.Count(Classification.OrphanLink), report.Count(Classification.DuplicateInTarget),
            report.Count(Classification.MissingInSource)));
        Assert.Equal(seeded.Drifted.Order(), report.Findings.Where(f => f.Class == Classification.Drifted).Select(f => f.TargetId!).Order());
        // The shop: one count, then the operation run, its status asked once, its file downloaded.
        var shop = report.Calls.Single(c => c.System == "shop");
        Assert.Equal((4L, 4L), (shop.Calls, shop.Minimum));
        Assert.Equal(4, system.Shop.RequestLog.Entries.Count);
        foreach (var account in report.Calls)
        {
            Assert.True(account.Ratio == 1.0, $"{account.System}: {account.Calls} calls made, {account.Minimum} needed.");
        }
    }

    [Fact]
    public async Task Repair_ManyMissing_AboveBulkSize_BackfillsThroughBulkWrite_AndLinksEveryRecord()
    {
        var clock = new WaitObservingClock();
        await using var system = await ShopToCrm.StartAsync(260, clock, Token);

        var repair = await system.ReconcileAsync(new ReconcileOptions { Repair = true, BulkAbove = 100 }, Token);
        var after = await system.ReconcileAsync(new ReconcileOptions(), Token);

        Assert.Equal(260, repair.Count(Classification.MissingInTarget));
        Assert.Equal((260L, 0L), (repair.Repairs.Created, repair.Repairs.Failed));
        Assert.Equal(1, system.Crm.BulkWriteJobs);
        Assert.Equal(0, system.UpsertCalls);
        Assert.Equal(260, system.Crm.Contacts.Count);
        Assert.Equal((0L, 260L), (after.Drift, after.Count(Classification.InSync)));
        Assert.Equal(260, after.Links);
    }

    [Fact]
    public async Task Repair_PastTheCreditBudget_StopsCleanly_SaysSo_AndTheNextRunResumesFromTheCheckpoint()
    {
        var clock = new WaitObservingClock();
        await using var system = await ShopToCrm.StartAsync(300, clock, Token);
        await system.SyncAsync(Token);
        clock.Advance(TimeSpan.FromMinutes(5));
        // Every contact whose customer has a city gets another one in the CRM: 278 of the 300.
        foreach (var contact in system.Crm.Contacts.All().Where(c => c.Value<string>("Mailing_City") is not null))
        {
            system.Crm.Contacts.Edit(contact.Value<string>("id")!, new JObject { ["Mailing_City"] = "Nowhere" });
        }
        var options = () => new ReconcileOptions { Repair = true, CreditBudget = 29 };

        // 2 credits of list pages, then 25 for the first 250 rewrites (3 calls at 1 credit per 10 records); the last 28 need 3 more.
        var first = await system.ReconcileAsync(options(), Token);
        Assert.Equal(RunStatus.Incomplete, first.Status);
        Assert.Equal(278, first.Count(Classification.Drifted));
        Assert.Contains("credit budget", first.Message, StringComparison.Ordinal);
        Assert.Equal((250L, 28L, 2L), (first.Repairs.Updated, first.Repairs.Pending, first.CreditsLeft!.Value));
        Assert.Equal(RunStatus.Incomplete, (await system.State.GetRunsAsync(ShopToCrm.Flow.Name, 10, Token)).First(r => r.Kind == "reconcile").Status);

        // The next night the credits have freed up; the run resumes without reading the CRM again.
        clock.Advance(TimeSpan.FromHours(24));
        system.Crm.RequestLog.Clear();
        var second = await system.ReconcileAsync(options(), Token);
        Assert.Equal(RunStatus.Completed, second.Status);
        Assert.True(second.Resumed);
        Assert.Equal((28L, 0L), (second.Repairs.Updated, second.Repairs.Pending));
        Assert.DoesNotContain(system.Crm.RequestLog.Entries, r => r.Method == "GET" && r.Path == "/crm/v8/Contacts");

        var third = await system.ReconcileAsync(new ReconcileOptions(), Token);
        Assert.Equal((0L, 300L), (third.Drift, third.Count(Classification.InSync)));
    }

    /// <summary>Known drift, seeded on both sides after a first sync of the shop's customers.</summary>
    private sealed record Drift(List<string> Drifted, List<string> DeletedCustomers, List<string> DeletedContacts, List<string> Extras,
        List<string> Duplicates)
    {
        public static Task<Drift> SeedAsync(ShopToCrm system, WaitObservingClock clock)
        {
            clock.Advance(TimeSpan.FromMinutes(5));
            var customers = system.Shop.Customers;
            var contactOf = (string email) => system.Crm.Contacts.FindByEmail(email)!;

            // 4 new shop customers, never synced: missing in target.
            for (var i = 0; i < 4; i++)
            {
                system.Shop.AddCustomer(c =>
                {
                    c.FirstName = "New";
                    c.LastName = $"Customer{i}";
                    c.Email = $"new.customer{i}@example.com";
                });
            }
            // 2 contacts deleted in the CRM: their links point at nothing.
            foreach (var customer in customers.Skip(10).Take(2)) system.Crm.Contacts.Delete(contactOf(customer.Email!).Value<string>("id")!);
            // 5 contacts edited in the CRM, 2 of them on two fields: drifted.
            var drifted = new List<string>();
            foreach (var (customer, i) in customers.Skip(20).Take(5).Select((c, i) => (c, i)))
            {
                var id = contactOf(customer.Email!).Value<string>("id")!;
                system.Crm.Contacts.Edit(id, i < 2
                    ? new JObject { ["Last_Name"] = "Changed" + i, ["Mailing_City"] = "Elsewhere" }
                    : new JObject { ["Last_Name"] = "Changed" + i });
                drifted.Add(id);
            }
            // 3 CRM contacts no shop customer ever had: missing in source, not from this flow.
            var extras = Enumerable.Range(0, 3).Select(i => system.Crm.Contacts.Insert(new JObject
            {
                ["Last_Name"] = "Walk-in " + i, ["Email"] = $"walk.in{i}@example.org",
            }).Value<string>("id")!).ToList();
            // 2 second contacts with a synced customer's email: duplicates.
            var duplicates = customers.Skip(40).Take(2).Select(c => system.Crm.Contacts.Insert(new JObject
            {
                ["Last_Name"] = "Copy", ["Email"] = c.Email!.Trim().ToUpperInvariant(),
            }).Value<string>("id")!).ToList();
            // 3 shop customers deleted after they were synced: missing in source, deleted.
            var deleted = customers.Skip(60).Take(3).ToList();
            var deletedContacts = deleted.Select(c => contactOf(c.Email!).Value<string>("id")!).ToList();
            foreach (var customer in deleted) system.Shop.DeleteCustomer(customer.Id);
            return Task.FromResult(new Drift(drifted, [.. deleted.Select(c => c.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))],
                deletedContacts, extras, duplicates));
        }
    }
}
