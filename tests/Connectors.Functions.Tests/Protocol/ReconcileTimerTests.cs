using Connectors.Functions.Hosting;
using Connectors.Functions.Timers;
using Connectors.Functions.Tests.Infrastructure;
using Connectors.Sandbox.Shopify;
using Connectors.Sandbox.Zoho;
using Connectors.Testing;
using Newtonsoft.Json.Linq;

namespace Connectors.Functions.Tests.Protocol;

/// <summary>
/// The <c>reconcile</c> and <c>scheduled-sync</c> timer functions of a flow that has both, invoked with the
/// documented timer payload against the real server, connectors and emulators, on a fake clock.
/// </summary>
public sealed class ReconcileTimerTests : IAsyncDisposable
{
    // 02:00 UTC every night; the clock starts at 09:00, so the first occurrence is 17 hours away.
    private const string Nightly = "\"0 0 2 * * *\"";

    private readonly WaitObservingClock _clock = new();
    private ShopToCrm? _world;
    private RunningApp? _app;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private string Reports => Path.Combine(_world!.Folder, "reports");

    private FunctionAppSettings Settings => new() { ReconcileWorkFolder = Path.Combine(_world!.Folder, "reconcile-work"), ReconcileReportFolder = Reports };

    private async Task<RunningApp> StartAsync(string reconcile, IReadOnlyDictionary<string, string>? resilience = null)
    {
        _world = await ShopToCrm.StartAsync(_clock, Token, reconcile, resilience);
        _app = await RunningApp.StartAsync(_world.BuildApp(_clock, Settings), Token);
        return _app;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
        if (_world is not null) await _world.DisposeAsync();
    }

    private Task<(int Status, string[] Logs)> InvokeAsync(string function) => InvokeAsync(_app!, function);

    private static async Task<(int Status, string[] Logs)> InvokeAsync(RunningApp app, string function)
    {
        var (status, answer) = await app.InvokeAsync(function, TimerPayload.Create(isPastDue: false, function), Token);
        return (status, answer["Logs"]!.Values<string>().OfType<string>().ToArray());
    }

    private string[] ReportFiles(string extension) => Directory.Exists(Reports) ? Directory.GetFiles(Reports, "*" + extension) : [];

    /// <summary>
    /// 20 customers synced, then drift on both sides: 3 new customers, 2 contacts renamed in the CRM, 1 contact deleted
    /// there (its link is an orphan), 2 contacts the CRM has on its own, 1 duplicate of a synced contact, 1 customer deleted.
    /// </summary>
    private async Task<Seeded> SeedDriftAsync()
    {
        var customers = _world!.Shop.Seed(20, seed: 41);
        var synced = await _app!.App.Host.SyncAsync(ShopToCrm.Flow, null, Token);
        Assert.Equal(20, synced.Created);
        _clock.Advance(TimeSpan.FromMinutes(5));
        var contactOf = (SandboxCustomer c) => _world.Crm.Contacts.FindByEmail(ShopToCrm.Expected(c).Email)!.Value<string>("id")!;
        for (var i = 0; i < 3; i++)
        {
            _world.Shop.AddCustomer(c => (c.FirstName, c.LastName, c.Email) = ("New", $"Customer{i}", $"new.customer{i}@example.com"));
        }
        var renamed = customers.Skip(2).Take(2).Select(contactOf).ToList();
        foreach (var id in renamed) _world.Crm.Contacts.Edit(id, new JObject { ["Last_Name"] = "Renamed-In-The-CRM" });
        _world.Crm.Contacts.Delete(contactOf(customers[5]));
        for (var i = 0; i < 2; i++) _world.Crm.Contacts.Insert(new JObject { ["Last_Name"] = $"Walk-in {i}", ["Email"] = $"walk.in{i}@example.org" });
        var duplicate = _world.Crm.Contacts.Insert(new JObject { ["Last_Name"] = "Copy", ["Email"] = customers[8].Email!.Trim().ToUpperInvariant() }).Value<string>("id")!;
        var deleted = contactOf(customers[11]);
        _world.Shop.DeleteCustomer(customers[11].Id);
        return new Seeded(renamed, duplicate, deleted);
    }

    private sealed record Seeded(List<string> Renamed, string Duplicate, string DeletedCustomersContact);

    private static JObject ReadReport(string path) => JObject.Parse(File.ReadAllText(path));

    private static Dictionary<string, long> Counts(JObject report) =>
        ((JObject)report["counts"]!).Properties().ToDictionary(p => p.Name, p => (long)p.Value);

    [Fact]
    public async Task Reconcile_WhenDue_WithoutRepair_WritesTheReportWithEveryFindingCounted_AndChangesNothing()
    {
        await StartAsync($"{{ schedule: {Nightly} }}");
        var seeded = await SeedDriftAsync();
        var (firstStatus, first) = await InvokeAsync("reconcile");
        _clock.Advance(TimeSpan.FromHours(17));

        var (status, logs) = await InvokeAsync("reconcile");

        Assert.Equal((200, 200), (firstStatus, status));
        Assert.Contains("No flow is due.", first);
        var json = Assert.Single(ReportFiles(".json"));
        Assert.Single(ReportFiles(".html"));
        var report = ReadReport(json);
        Assert.Equal(("Completed", false), ((string)report["status"]!, (bool)report["repair"]!));
        Assert.Equal((20L - 1 + 3, 20L - 1 + 2 + 1), ((long)report["sourceRecords"]!, (long)report["targetRecords"]!));
        Assert.Equal(new Dictionary<string, long>
        {
            ["InSync"] = 20 - 2 - 1 - 1,
            ["MissingInTarget"] = 3,
            ["MissingInSource"] = 2 + 1,
            ["Drifted"] = 2,
            ["DuplicateInTarget"] = 1,
            ["OrphanLink"] = 1,
        }, Counts(report));
        Assert.Equal((1L, 3L + 2 + 1 + 1 + 1), ((long)report["deletedInSource"]!, (long)report["drift"]!));
        var line = Assert.Single(logs, l => l.StartsWith($"Flow {ShopToCrm.Flow}: reconcile Completed:", StringComparison.Ordinal));
        Assert.Contains("in sync 16, missing in target 3, missing in source 3, drifted 2, duplicates in target 1, orphan links 1; drift 8.", line, StringComparison.Ordinal);
        Assert.Contains("Report only: nothing repaired.", line, StringComparison.Ordinal);
        Assert.Contains($"Report: {json} and ", line, StringComparison.Ordinal);
        // Reporting alone changes nothing in the CRM.
        Assert.Equal(20 - 1 + 2 + 1, _world!.Crm.Contacts.Count);
        Assert.All(seeded.Renamed, id => Assert.Equal("Renamed-In-The-CRM", _world.Crm.Contacts.Get(id)!.Value<string>("Last_Name")));
        Assert.NotNull(_world.Crm.Contacts.Get(seeded.Duplicate));
    }

    [Fact]
    public async Task Reconcile_WhenDue_WithRepair_RepairsWhatThePoliciesAllow_AndTheNextRunFindsNoDrift()
    {
        await StartAsync($"{{ schedule: {Nightly}, repair: true, deletes: delete }}");
        var seeded = await SeedDriftAsync();
        await InvokeAsync("reconcile");
        _clock.Advance(TimeSpan.FromHours(17));

        var (repairStatus, repairLogs) = await InvokeAsync("reconcile");
        var repaired = ReadReport(Assert.Single(ReportFiles(".json")));
        _clock.Advance(TimeSpan.FromHours(24));
        var (afterStatus, afterLogs) = await InvokeAsync("reconcile");
        var after = ReadReport(Assert.Single(ReportFiles(".json"), path => ReadReport(path)["runId"]!.Value<string>() != repaired["runId"]!.Value<string>()));

        Assert.Equal((200, 200), (repairStatus, afterStatus));
        Assert.Equal(("Completed", true, 8L), ((string)repaired["status"]!, (bool)repaired["repair"]!, (long)repaired["drift"]!));
        var repairs = (JObject)repaired["repairs"]!;
        // Created: the 3 new customers and the one whose contact was deleted (its orphan link dropped).
        Assert.Equal((3L + 1, 2L, 1L, 1L + 1, 0L, 0L), ((long)repairs["created"]!, (long)repairs["updated"]!, (long)repairs["relinked"]!,
            (long)repairs["deleted"]!, (long)repairs["failed"]!, (long)repairs["pending"]!));
        Assert.Contains(repairLogs, l => l.Contains("Repairs: created 4, updated 2, links dropped 1, flagged 0, deleted 2, failed 0, pending 0.", StringComparison.Ordinal));
        Assert.Equal(("Completed", 0L), ((string)after["status"]!, (long)after["drift"]!));
        Assert.Equal(new Dictionary<string, long>
        {
            ["InSync"] = 20 - 1 + 3,
            ["MissingInTarget"] = 0,
            ["MissingInSource"] = 2,
            ["Drifted"] = 0,
            ["DuplicateInTarget"] = 0,
            ["OrphanLink"] = 0,
        }, Counts(after));
        Assert.Contains(afterLogs, l => l.Contains("; drift 0.", StringComparison.Ordinal));
        // What the repair did is in the CRM: names back, the duplicate and the deleted customer's contact gone.
        Assert.All(seeded.Renamed, id => Assert.NotEqual("Renamed-In-The-CRM", _world!.Crm.Contacts.Get(id)!.Value<string>("Last_Name")));
        Assert.Null(_world!.Crm.Contacts.Get(seeded.Duplicate));
        Assert.Null(_world.Crm.Contacts.Get(seeded.DeletedCustomersContact));
        Assert.Equal(20 - 1 + 3 + 2, _world.Crm.Contacts.Count);
    }

    [Fact]
    public async Task Reconcile_StoppedByItsCreditBudget_IsIncomplete_NotAFailure()
    {
        // One credit: the CRM's list page fits, the repairs do not.
        await StartAsync($"{{ schedule: {Nightly}, repair: true, creditBudget: 1 }}");
        await SeedDriftAsync();
        await InvokeAsync("reconcile");
        _clock.Advance(TimeSpan.FromHours(17));

        var (status, logs) = await InvokeAsync("reconcile");

        Assert.Equal(200, status);
        var line = Assert.Single(logs, l => l.StartsWith($"Flow {ShopToCrm.Flow}: reconcile Incomplete:", StringComparison.Ordinal));
        Assert.Contains("credit budget", line, StringComparison.Ordinal);
        Assert.Equal("Incomplete", (string)ReadReport(Assert.Single(ReportFiles(".json")))["status"]!);
    }

    [Fact]
    public async Task Reconcile_NotDueYet_ReadsNothing_AndWritesNoReport()
    {
        await StartAsync($"{{ schedule: {Nightly}, repair: true }}");
        await SeedDriftAsync();
        await InvokeAsync("reconcile");
        _clock.Advance(TimeSpan.FromHours(16));
        _world!.Shop.RequestLog.Clear();
        _world.Crm.RequestLog.Clear();

        var (status, logs) = await InvokeAsync("reconcile");

        Assert.Equal(200, status);
        Assert.Equal(["No flow is due."], logs);
        Assert.Empty(ReportFiles(".json"));
        Assert.Empty(_world.Shop.RequestLog.Entries);
        Assert.Empty(_world.Crm.RequestLog.Entries);
    }

    [Fact]
    public async Task ScheduledSync_OfAFlowThatAlsoReconciles_StillRunsTheIncrementalSync()
    {
        await StartAsync($"{{ schedule: {Nightly}, repair: true }}");
        var customers = _world!.Shop.Seed(5, seed: 43);
        await InvokeAsync("scheduled-sync");
        _clock.Advance(TimeSpan.FromMinutes(15));
        var (firstStatus, first) = await InvokeAsync("scheduled-sync");
        _world.Shop.UpdateCustomer(customers[0].Id, c => c.LastName = "Renamed-In-The-Shop");
        _world.Shop.AddCustomer(c => (c.FirstName, c.LastName, c.Email) = ("New", "Customer", "new.customer@example.com"));
        _clock.Advance(TimeSpan.FromMinutes(15));

        var (status, logs) = await InvokeAsync("scheduled-sync");

        Assert.Equal((200, 200), (firstStatus, status));
        Assert.Contains(first, l => l.StartsWith($"Flow {ShopToCrm.Flow}: Completed: read 5, created 5", StringComparison.Ordinal));
        // From the watermark: only the two customers changed since the last run are read.
        Assert.Contains(logs, l => l.StartsWith($"Flow {ShopToCrm.Flow}: Completed: read 2, created 1, updated 1", StringComparison.Ordinal));
        Assert.Empty(ReportFiles(".json"));
        Assert.Equal(6, _world.Crm.Contacts.Count);
        Assert.Equal("Renamed-In-The-Shop", _world.Crm.Contacts.FindByEmail(ShopToCrm.Expected(customers[0]).Email)!.Value<string>("Last_Name"));
    }

    [Fact]
    public async Task Reconcile_LongerThanTheLease_RenewsItThroughout_SoAnotherInstanceLeavesTheFlowAlone()
    {
        // No shop call may time out while the clock is moved: the shop is read at the same time as the CRM.
        await StartAsync($"{{ schedule: {Nightly} }}", new Dictionary<string, string> { ["attemptTimeout"] = "00:10:00" });
        _world!.Shop.Seed(5, seed: 45);
        await _app!.App.Host.SyncAsync(ShopToCrm.Flow, null, Token);
        // A second instance of the app on the same storage: the same schedule ledger and leases.
        await using var other = await RunningApp.StartAsync(_world.BuildApp(_clock, Settings), Token);
        await InvokeAsync("reconcile");
        _clock.Advance(TimeSpan.FromHours(17));
        // The CRM asks twice for a pause of 100 s, which the connector honours: 200 s in all, longer than the lease's 120 s.
        var pause = TimeSpan.FromSeconds(100);
        _world.Crm.Faults.Add(ZohoSandbox.TooManyRequests(2, pause));
        var renewal = FlowScheduler.LeaseDuration / 3;
        using var safety = CancellationTokenSource.CreateLinkedTokenSource(Token);
        safety.CancelAfter(TimeSpan.FromMinutes(2));

        var running = InvokeAsync("reconcile");
        // Each step waits for its signal: the CRM waiting out a pause, or the lease renewed and its next renewal waiting.
        // The clock is only ever moved while the CRM waits, so no CRM call is in flight when it jumps.
        await _clock.NextWaitAsync(w => w == pause, safety.Token);
        _clock.Advance(renewal);
        await _clock.NextWaitAsync(w => w == renewal, safety.Token);
        _clock.Advance(renewal);
        await _clock.NextWaitAsync(w => w == renewal, safety.Token);
        _clock.Advance(pause - 2 * renewal);
        await _clock.NextWaitAsync(w => w == pause, safety.Token);
        _clock.Advance(renewal);
        await _clock.NextWaitAsync(w => w == renewal, safety.Token);
        // 140 s on: the lease as first taken ran out 20 s ago; renewed, it keeps the other instance away.
        var (otherStatus, otherLogs) = await InvokeAsync(other, "reconcile");
        _clock.Advance(pause);
        var (status, logs) = await running.WaitAsync(safety.Token);

        Assert.Equal((200, 200), (otherStatus, status));
        Assert.Equal([$"Flow {ShopToCrm.Flow}: another instance holds its lease and runs it."], otherLogs);
        Assert.Contains(logs, l => l.StartsWith($"Flow {ShopToCrm.Flow}: reconcile Completed:", StringComparison.Ordinal) && l.Contains("in sync 5,", StringComparison.Ordinal));
        Assert.Single(ReportFiles(".json"));
    }
}
