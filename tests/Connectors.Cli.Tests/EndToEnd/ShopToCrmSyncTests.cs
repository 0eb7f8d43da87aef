using Connectors.Core.Records;
using Connectors.Core.State;
using Connectors.Core.Sync;
using Connectors.Core.Connectors;
using Connectors.Sandbox.Zoho;
using Connectors.Testing;
using Connectors.Zoho;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;

namespace Connectors.Cli.Tests.EndToEnd;

public sealed class ShopToCrmSyncTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FirstSync_5000Customers_CreatesEveryContactIn50UpsertCalls()
    {
        await using var system = await ShopToCrm.StartAsync(5_000, new WaitObservingClock(), Token);

        var report = await system.SyncAsync(Token);

        Assert.Equal(RunStatus.Completed, report.Status);
        Assert.Equal((5_000, 5_000, 0), (report.Read, report.Created, report.Failed));
        Assert.Equal(50, system.UpsertCalls);
        Assert.Equal(5_000, system.Crm.Contacts.Count);
        var shopEmails = system.Shop.Customers.Select(c => c.Email!.Trim().ToLowerInvariant()).Order(StringComparer.Ordinal);
        var crmEmails = system.Crm.Contacts.All().Select(c => c.Value<string>("Email")!).Order(StringComparer.Ordinal);
        Assert.Equal(shopEmails, crmEmails);
    }

    [Fact]
    public async Task FirstSync_ContactsReadBackThroughTheCrmConnector_PastTheDiscretePagingLimit()
    {
        await using var system = await ShopToCrm.StartAsync(2_500, new WaitObservingClock(), Token);
        await system.SyncAsync(Token);
        system.Crm.RequestLog.Clear();

        var contacts = new List<Connectors.Core.Records.Record>();
        await foreach (var page in system.Services.GetZohoConnector("crm").ReadChangedAsync("Contacts", Watermark.Start, Token))
        {
            contacts.AddRange(page.Records);
        }

        Assert.Equal(2_500, contacts.Select(c => c.Key.Id).Distinct().Count());
        var lists = system.Crm.RequestLog.Entries.Where(r => r.Method == "GET" && r.Path == "/crm/v8/Contacts").ToList();
        Assert.Contains(lists, r => r.Query.Contains("page_token=", StringComparison.Ordinal));
        Assert.DoesNotContain(lists, r => r.Query.Contains("page=11", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SecondSync_NothingChanged_MakesNoWriteCall_ThreeChanged_OneCallCarryingThree()
    {
        var clock = new WaitObservingClock();
        await using var system = await ShopToCrm.StartAsync(1_000, clock, Token);
        await system.SyncAsync(Token);
        var writesAfterFirst = system.WriteCalls.Count;

        var unchanged = await system.SyncAsync(Token);

        Assert.Equal(writesAfterFirst, system.WriteCalls.Count);
        Assert.Equal((0, 0, 0), (unchanged.Created, unchanged.Updated, unchanged.WriteBatches));

        clock.Advance(TimeSpan.FromMinutes(5));
        var edited = system.Shop.Customers.Take(3).ToList();
        foreach (var customer in edited)
        {
            system.Shop.UpdateCustomer(customer.Id, c => c.LastName = "Renamed-" + c.Id);
        }

        var changed = await system.SyncAsync(Token);

        var newCalls = system.WriteCalls.Skip(writesAfterFirst).ToList();
        var call = Assert.Single(newCalls);
        Assert.Equal(3, JObject.Parse(call.Body)["data"]!.Count());
        Assert.Equal((0, 3), (changed.Created, changed.Updated));
        foreach (var customer in edited)
        {
            Assert.Equal("Renamed-" + customer.Id, system.Crm.Contacts.FindByEmail(customer.Email!)!.Value<string>("Last_Name"));
        }
    }

    [Fact]
    public async Task Sync_TokenExpiresMidRun_RefreshesOnceAndCompletes()
    {
        await using var system = await ShopToCrm.StartAsync(1_000, new WaitObservingClock(), Token);
        var expired = false;
        var expireAfterFirstPage = new InlineProgress(_ =>
        {
            if (expired) return;
            expired = true;
            system.Crm.ExpireAllTokens();
        });

        var report = await system.SyncAsync(Token, progress: expireAfterFirstPage);

        Assert.True(expired);
        Assert.Equal(RunStatus.Completed, report.Status);
        Assert.Equal(1_000, system.Crm.Contacts.Count);
        Assert.Equal(2, system.Crm.TokensIssued);
        Assert.Contains(system.Crm.RequestLog.Entries, r => r.Status == 401);
    }

    [Fact]
    public async Task Sync_CrmAnswers429WithRetryAfter_WaitsItOutOnTheClockAndCompletes()
    {
        var clock = new WaitObservingClock();
        await using var system = await ShopToCrm.StartAsync(300, clock, Token);
        system.Crm.Faults.Add(ZohoSandbox.TooManyRequests(1, TimeSpan.FromSeconds(45)));
        var started = clock.GetUtcNow();

        var run = system.SyncAsync(Token);
        var waited = await clock.AdvancePastNextWaitAsync(w => w == TimeSpan.FromSeconds(45), Token);
        var report = await run;

        Assert.Equal(TimeSpan.FromSeconds(45), waited);
        Assert.Equal(RunStatus.Completed, report.Status);
        Assert.Equal(300, system.Crm.Contacts.Count);
        Assert.Equal(TimeSpan.FromSeconds(45), clock.GetUtcNow() - started);
        Assert.Equal(1, system.Crm.RequestLog.Count(r => r.Status == 429));
    }

    [Fact]
    public async Task Sync_RetryAfterBeyondTheMaximum_StopsIncompleteAndTheNextRunResumes()
    {
        await using var system = await ShopToCrm.StartAsync(450, new WaitObservingClock(), Token);
        var upserts = 0;
        system.Crm.Faults.Add(new Sandbox.Fault(
            request => request.Path.Value!.EndsWith("/upsert", StringComparison.Ordinal) && Interlocked.Increment(ref upserts) == 3,
            1, 429, """{"code":"TOO_MANY_REQUESTS","details":{},"message":"API limit exceeded","status":"error"}""", TimeSpan.FromMinutes(10)));

        var stopped = await system.SyncAsync(Token);

        Assert.Equal(RunStatus.Incomplete, stopped.Status);
        Assert.Contains("Throttled", stopped.Message ?? "", StringComparison.OrdinalIgnoreCase);
        Assert.Equal(200, system.Crm.Contacts.Count);

        var resumed = await system.SyncAsync(Token);

        Assert.Equal(RunStatus.Completed, resumed.Status);
        Assert.Equal((250L, 200L), (resumed.Created, resumed.Unchanged));
        Assert.Equal(450, system.Crm.Contacts.Count);
    }

    [Fact]
    public async Task Sync_BurstOfServerErrors_IsRetriedAndCompletes()
    {
        var clock = new WaitObservingClock();
        await using var system = await ShopToCrm.StartAsync(300, clock, Token);
        system.Crm.Faults.Add(ZohoSandbox.ServerErrors(3, 503));

        var run = system.SyncAsync(Token);
        for (var retry = 0; retry < 3; retry++)
        {
            // Backoff waits are jittered and short; the per-attempt timeout (30 s) is not one of them.
            await clock.AdvancePastNextWaitAsync(w => w < TimeSpan.FromSeconds(29), Token);
        }
        var report = await run;

        Assert.Equal(RunStatus.Completed, report.Status);
        Assert.Equal(300, system.Crm.Contacts.Count);
        Assert.Equal(3, system.Crm.RequestLog.Count(r => r.Status == 503));
    }

    [Fact]
    public async Task Sync_CrmRejectsOneRecord_DeadLettersItWithTheVendorsReasonAndWritesTheRest()
    {
        await using var system = await ShopToCrm.StartAsync(100, new WaitObservingClock(), Token);
        var bad = system.Shop.Customers[42];
        system.Shop.UpdateCustomer(bad.Id, c => c.FirstName = new string('X', 60));

        var report = await system.SyncAsync(Token);

        Assert.Equal((99L, 1L), (report.Created, report.Failed));
        Assert.Equal(1, system.UpsertCalls);
        Assert.Equal(99, system.Crm.Contacts.Count);
        Assert.Null(system.Crm.Contacts.FindByEmail(bad.Email!));
        var letter = Assert.Single(await system.State.GetDeadLettersAsync(ShopToCrm.Flow.Name, Token));
        Assert.Equal((bad.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "INVALID_DATA", "First_Name"),
            (letter.Source.Id, letter.Code, letter.Field));
        Assert.False(string.IsNullOrWhiteSpace(letter.Message));
        Assert.Equal(new string('X', 60), letter.Record.Value<string>("firstName"));
        var watermark = await system.State.GetWatermarkAsync(ShopToCrm.Flow.Name, Token);
        Assert.Equal(system.Shop.Customers.Max(c => c.UpdatedAt), watermark.Modified);
    }

    [Fact]
    public async Task Sync_KilledBetweenAWriteAndItsStateCommit_RerunCreatesNoDuplicate()
    {
        await using var system = await ShopToCrm.StartAsync(450, new WaitObservingClock(), Token);
        var crashing = new CrashOnFirstLinkCommit(system.State);

        await Assert.ThrowsAsync<SimulatedCrashException>(() => system.SyncAsync(Token, crashing));
        Assert.Equal(100, system.Crm.Contacts.Count);
        Assert.Empty(await system.State.GetLinksAsync(ShopToCrm.Flow.Name, system.Shop.Customers.Select(c => c.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray(), Token));

        var rerun = await system.SyncAsync(Token);

        Assert.Equal(RunStatus.Completed, rerun.Status);
        Assert.Equal((350L, 100L), (rerun.Created, rerun.Updated));
        Assert.Equal(450, system.Crm.Contacts.Count);
        Assert.Equal(450, system.Crm.Contacts.All().Select(c => c.Value<string>("Email")).Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    private sealed class InlineProgress(Action<SyncProgress> report) : IProgress<SyncProgress>
    {
        public void Report(SyncProgress value) => report(value);
    }

    private sealed class SimulatedCrashException() : Exception("the process died here");

    /// <summary>The real store, except that the process "dies" just before the first commit that would record links.</summary>
    private sealed class CrashOnFirstLinkCommit(ISyncStateStore inner) : ISyncStateStore
    {
        public Task CommitAsync(StateCommit commit, CancellationToken cancellationToken) =>
            commit.Links.Count > 0 ? throw new SimulatedCrashException() : inner.CommitAsync(commit, cancellationToken);

        public Task<Watermark> GetWatermarkAsync(string flow, CancellationToken cancellationToken) => inner.GetWatermarkAsync(flow, cancellationToken);

        public Task<IReadOnlyDictionary<string, Link>> GetLinksAsync(string flow, IReadOnlyCollection<string> sourceIds, CancellationToken cancellationToken) =>
            inner.GetLinksAsync(flow, sourceIds, cancellationToken);

        public Task RecordRunAsync(RunRecord run, CancellationToken cancellationToken) => inner.RecordRunAsync(run, cancellationToken);

        public Task<IReadOnlyList<RunRecord>> GetRunsAsync(string? flow, int limit, CancellationToken cancellationToken) => inner.GetRunsAsync(flow, limit, cancellationToken);

        public Task<IReadOnlyList<DeadLetter>> GetDeadLettersAsync(string? flow, CancellationToken cancellationToken) => inner.GetDeadLettersAsync(flow, cancellationToken);

        public Task<int> DeleteDeadLettersAsync(string flow, Connectors.Core.Records.RecordKey source, CancellationToken cancellationToken) =>
            inner.DeleteDeadLettersAsync(flow, source, cancellationToken);
    }
}
