using Connectors.Core.Records;
using Connectors.Core.State;
using Connectors.Core.Sync;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Connectors.State.Sqlite.Tests;

/// <summary>
/// What every <see cref="ISyncStateStore"/> must do, whatever it stores into. A store's test class
/// derives from this one and says how to open a store on a fresh storage of its own (a temp file, a
/// table with a unique name); xunit makes a new instance, and so a new storage, for every fact.
/// </summary>
public abstract class SyncStateStoreContract : IAsyncLifetime
{
    /// <summary>The flow most facts use.</summary>
    protected const string Flow = "shop-to-crm.customers";

    /// <summary>A vendor stamp with an offset that is neither zero nor whole hours, and ticks below the millisecond.</summary>
    protected static readonly DateTimeOffset IndiaStamp = new DateTimeOffset(2026, 11, 23, 14, 30, 15, TimeSpan.FromHours(5.5)).AddTicks(1_234_567);

    /// <summary>Our clock's "now" in the facts.</summary>
    protected static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private readonly List<ISyncStateStore> _open = [];

    /// <summary>The store under test, opened before each fact.</summary>
    protected ISyncStateStore Store { get; private set; } = null!;

    /// <summary>The fact's cancellation token.</summary>
    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>
    /// Opens a store on this fact's storage. The first call finds it empty; later calls open another
    /// store on the same storage, as a second process would, or the same process after a restart.
    /// </summary>
    protected abstract Task<ISyncStateStore> OpenStoreAsync(CancellationToken cancellationToken);

    /// <summary>Closes a store as a process exit would; what it committed must stay.</summary>
    protected virtual async ValueTask CloseStoreAsync(ISyncStateStore store)
    {
        if (store is IAsyncDisposable disposable) await disposable.DisposeAsync();
    }

    /// <summary>Removes this fact's storage once its stores are closed.</summary>
    protected abstract ValueTask DeleteStorageAsync();

    /// <summary>Checks the storage's own consistency after concurrent use, where the store has a way to.</summary>
    protected virtual Task AssertStorageIntactAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public async ValueTask InitializeAsync() => Store = await OpenTrackedAsync();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var store in _open) await CloseStoreAsync(store);
        _open.Clear();
        await DeleteStorageAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Opens one more store on this fact's storage; it is closed after the fact.</summary>
    protected async Task<ISyncStateStore> OpenTrackedAsync()
    {
        var store = await OpenStoreAsync(Token);
        _open.Add(store);
        return store;
    }

    /// <summary>Closes <see cref="Store"/> and opens a new one on the same storage, as after a restart.</summary>
    protected async Task RestartAsync()
    {
        _open.Remove(Store);
        await CloseStoreAsync(Store);
        Store = await OpenTrackedAsync();
    }

    /// <summary>A link of <paramref name="flow"/> (by default <see cref="Flow"/>).</summary>
    protected static Link LinkOf(string sourceId, string targetId, string fingerprint = "f0", DateTimeOffset? syncedAt = null, string flow = Flow) =>
        new(flow, sourceId, targetId, new Fingerprint(fingerprint), syncedAt ?? Now);

    /// <summary>A dead letter of <paramref name="flow"/> (by default <see cref="Flow"/>).</summary>
    protected static DeadLetter LetterOf(string sourceId, string code = "INVALID_DATA", string? field = "Email", DateTimeOffset? at = null, JObject? record = null, string flow = Flow) =>
        new(flow, new RecordKey("shop.customers", sourceId), code, field, $"{field ?? "record"} is not valid", record ?? new JObject { ["id"] = sourceId }, at ?? Now);

    /// <summary>A commit of <see cref="Flow"/>.</summary>
    protected static StateCommit CommitOf(IReadOnlyList<Link>? links = null, IReadOnlyList<DeadLetter>? letters = null, Watermark? watermark = null, string flow = Flow) =>
        new(flow, links ?? [], letters ?? [], watermark);

    private static void AssertSameInstantAndOffset(DateTimeOffset expected, DateTimeOffset? actual)
    {
        // DateTimeOffset equality compares instants only; a lost offset must fail too.
        Assert.NotNull(actual);
        Assert.Equal(expected.UtcTicks, actual.Value.UtcTicks);
        Assert.Equal(expected.Offset, actual.Value.Offset);
    }

    [Fact]
    public async Task GetWatermark_FlowNeverCommitted_IsStart()
    {
        var watermark = await Store.GetWatermarkAsync(Flow, Token);

        Assert.Equal(Watermark.Start, watermark);
    }

    [Fact]
    public async Task GetWatermark_AfterCommit_KeepsTheStampAndItsOffsetToTheTick()
    {
        await Store.CommitAsync(CommitOf(watermark: new Watermark(IndiaStamp)), Token);

        var watermark = await Store.GetWatermarkAsync(Flow, Token);

        AssertSameInstantAndOffset(IndiaStamp, watermark.Modified);
        Assert.Equal("2026-11-23T14:30:15.1234567+05:30", watermark.Modified!.Value.ToString("o"));
        Assert.Equal(Watermark.Start, await Store.GetWatermarkAsync("another-flow", Token));
    }

    [Fact]
    public async Task Commit_WithoutWatermark_KeepsThePreviousOne()
    {
        await Store.CommitAsync(CommitOf(watermark: new Watermark(IndiaStamp)), Token);

        await Store.CommitAsync(CommitOf(links: [LinkOf("c-1", "t-1")], letters: [LetterOf("c-2")]), Token);

        AssertSameInstantAndOffset(IndiaStamp, (await Store.GetWatermarkAsync(Flow, Token)).Modified);
        Assert.Single(await Store.GetLinksAsync(Flow, ["c-1"], Token));
    }

    [Fact]
    public async Task Commit_WithNewWatermark_ReplacesTheOldOne()
    {
        await Store.CommitAsync(CommitOf(watermark: new Watermark(IndiaStamp)), Token);
        var later = new DateTimeOffset(2026, 11, 24, 1, 0, 0, TimeSpan.FromHours(-7));

        await Store.CommitAsync(CommitOf(watermark: new Watermark(later)), Token);

        AssertSameInstantAndOffset(later, (await Store.GetWatermarkAsync(Flow, Token)).Modified);
    }

    [Fact]
    public async Task GetLinks_FiveThousandIds_ReturnsEveryLinkAndOnlyThose()
    {
        var links = Enumerable.Range(0, 5_000).Select(i => LinkOf($"c-{i}", $"t-{i}", $"f-{i}")).ToArray();
        foreach (var batch in links.Chunk(100))
        {
            await Store.CommitAsync(CommitOf(links: batch), Token);
        }
        var asked = links.Select(l => l.SourceId).Concat(Enumerable.Range(0, 500).Select(i => $"unknown-{i}")).ToArray();

        var found = await Store.GetLinksAsync(Flow, asked, Token);

        Assert.Equal(5_000, found.Count);
        Assert.All(links, expected => Assert.Equal(expected, found[expected.SourceId]));
        Assert.DoesNotContain("unknown-0", found.Keys);
    }

    [Fact]
    public async Task Commit_LinkAgain_ReplacesTargetFingerprintAndTime()
    {
        await Store.CommitAsync(CommitOf(links: [LinkOf("c-1", "t-1", "f-1", Now)]), Token);
        var resynced = LinkOf("c-1", "t-1b", "f-2", IndiaStamp);

        await Store.CommitAsync(CommitOf(links: [resynced]), Token);

        var found = await Store.GetLinksAsync(Flow, ["c-1"], Token);
        var link = Assert.Single(found).Value;
        Assert.Equal("t-1b", link.TargetId);
        Assert.Equal(new Fingerprint("f-2"), link.Fingerprint);
        AssertSameInstantAndOffset(IndiaStamp, link.SyncedAt);
    }

    [Fact]
    public async Task GetLinks_IdsOfOtherFlowsOrOtherCase_AreNotMixedUp()
    {
        await Store.CommitAsync(CommitOf(links: [LinkOf("abc", "t-lower")]), Token);
        await Store.CommitAsync(CommitOf(links: [LinkOf("ABC", "t-upper")]), Token);
        await Store.CommitAsync(CommitOf(links: [LinkOf("abc", "t-other-flow", flow: "other")], flow: "other"), Token);

        var found = await Store.GetLinksAsync(Flow, ["abc", "ABC", "Abc"], Token);

        Assert.Equal(2, found.Count);
        Assert.Equal("t-lower", found["abc"].TargetId);
        Assert.Equal("t-upper", found["ABC"].TargetId);
        Assert.Empty(await Store.GetLinksAsync(Flow, [], Token));
    }

    [Fact]
    public async Task Commit_ThatFailsPartWay_LeavesNothingOfItVisible()
    {
        await Store.CommitAsync(CommitOf(links: [LinkOf("c-1", "t-1", "f-old")], watermark: new Watermark(Now)), Token);
        // A dead letter without a code breaks the contract of DeadLetter; it comes after links and a
        // valid letter, so a store that writes in order has already written those when it fails.
        var broken = new DeadLetter(Flow, new RecordKey("shop.customers", "c-3"), null!, null, "no code", new JObject(), Now);
        var commit = CommitOf(
            links: [LinkOf("c-1", "t-1", "f-new"), LinkOf("c-2", "t-2")],
            letters: [LetterOf("c-9"), broken],
            watermark: new Watermark(IndiaStamp));

        await Assert.ThrowsAnyAsync<Exception>(() => Store.CommitAsync(commit, Token));

        var links = await Store.GetLinksAsync(Flow, ["c-1", "c-2"], Token);
        Assert.Equal(new Fingerprint("f-old"), Assert.Single(links).Value.Fingerprint);
        Assert.Empty(await Store.GetDeadLettersAsync(null, Token));
        AssertSameInstantAndOffset(Now, (await Store.GetWatermarkAsync(Flow, Token)).Modified);
    }

    [Fact]
    public async Task Commit_Cancelled_LeavesNothingOfItVisible()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.CommitAsync(
            CommitOf(links: [LinkOf("c-1", "t-1")], letters: [LetterOf("c-2")], watermark: new Watermark(Now)), cancelled.Token));

        Assert.Empty(await Store.GetLinksAsync(Flow, ["c-1"], Token));
        Assert.Empty(await Store.GetDeadLettersAsync(Flow, Token));
        Assert.Equal(Watermark.Start, await Store.GetWatermarkAsync(Flow, Token));
    }

    [Fact]
    public async Task State_AfterRestart_IsAllThere()
    {
        await Store.CommitAsync(CommitOf(links: [LinkOf("c-1", "t-1", "f-1", IndiaStamp)], letters: [LetterOf("c-2")], watermark: new Watermark(IndiaStamp)), Token);
        await Store.RecordRunAsync(new RunRecord("run-1", Flow, "sync", Now, TimeSpan.FromSeconds(3), RunStatus.Completed, new Dictionary<string, long> { ["read"] = 2 }, null), Token);

        await RestartAsync();

        AssertSameInstantAndOffset(IndiaStamp, (await Store.GetWatermarkAsync(Flow, Token)).Modified);
        Assert.Equal(LinkOf("c-1", "t-1", "f-1", IndiaStamp), (await Store.GetLinksAsync(Flow, ["c-1"], Token))["c-1"]);
        Assert.Equal("c-2", Assert.Single(await Store.GetDeadLettersAsync(Flow, Token)).Source.Id);
        Assert.Equal(2, Assert.Single(await Store.GetRunsAsync(Flow, 10, Token)).Counts["read"]);
    }

    [Fact]
    public async Task LinkCatalog_ListsEveryLinkOfTheFlowInPages_AndForgetsTheOnesRemoved()
    {
        var catalog = Assert.IsAssignableFrom<ILinkCatalog>(Store);
        var links = Enumerable.Range(0, 1_203).Select(i => LinkOf($"s{i}", $"t{i}", $"f{i}")).ToList();
        foreach (var chunk in links.Chunk(400)) await Store.CommitAsync(CommitOf(links: chunk), Token);
        await Store.CommitAsync(CommitOf(links: [LinkOf("s1", "other", flow: "other-flow")], flow: "other-flow"), Token);

        var pages = new List<IReadOnlyList<Link>>();
        await foreach (var page in catalog.ReadLinksAsync(Flow, 500, Token)) pages.Add(page);
        await catalog.RemoveLinksAsync(Flow, ["s0", "s7", "never-linked"], Token);
        var left = new List<Link>();
        await foreach (var page in catalog.ReadLinksAsync(Flow, 5_000, Token)) left.AddRange(page);

        Assert.All(pages, page => Assert.InRange(page.Count, 1, 500));
        Assert.Equal(links.OrderBy(l => l.SourceId, StringComparer.Ordinal), pages.SelectMany(p => p).OrderBy(l => l.SourceId, StringComparer.Ordinal));
        Assert.Equal(1_201, left.Count);
        Assert.DoesNotContain(left, l => l.SourceId is "s0" or "s7");
        Assert.Empty(await Store.GetLinksAsync(Flow, ["s0", "s7"], Token));
        Assert.Single(await Store.GetLinksAsync("other-flow", ["s1"], Token));
    }

    [Fact]
    public async Task GetRuns_NewestFirstByInstant_WithCountsDurationAndMessage()
    {
        // 09:30+05:30 is 04:00 UTC: the earliest instant although its wall-clock time is the latest.
        var early = new RunRecord("run-early", Flow, "sync", new DateTimeOffset(2026, 11, 23, 9, 30, 0, TimeSpan.FromHours(5.5)),
            TimeSpan.FromMilliseconds(1500), RunStatus.Completed, new Dictionary<string, long> { ["read"] = 10, ["created"] = 7, ["apiCalls"] = 3 }, null);
        var middle = new RunRecord("run-middle", "other-flow", "reconcile", new DateTimeOffset(2026, 11, 23, 5, 0, 0, TimeSpan.Zero),
            TimeSpan.FromMinutes(2), RunStatus.Failed, new Dictionary<string, long>(), "credentials refused");
        var late = new RunRecord("run-late", Flow, "replay", new DateTimeOffset(2026, 11, 23, 1, 0, 0, TimeSpan.FromHours(-5)),
            TimeSpan.FromTicks(123_456_789), RunStatus.Incomplete, new Dictionary<string, long> { ["read"] = 5_000_000_000, ["deferred"] = 1 }, "throttled");
        foreach (var run in new[] { middle, late, early })
        {
            await Store.RecordRunAsync(run, Token);
        }

        var all = await Store.GetRunsAsync(null, 10, Token);
        var ofFlow = await Store.GetRunsAsync(Flow, 10, Token);
        var newest = await Store.GetRunsAsync(null, 1, Token);

        Assert.Equal(["run-late", "run-middle", "run-early"], all.Select(r => r.RunId));
        Assert.Equal(["run-late", "run-early"], ofFlow.Select(r => r.RunId));
        Assert.Equal("run-late", Assert.Single(newest).RunId);
        var stored = all[0];
        Assert.Equal((late.RunId, late.Flow, late.Kind, late.Duration, late.Status, late.Message),
            (stored.RunId, stored.Flow, stored.Kind, stored.Duration, stored.Status, stored.Message));
        AssertSameInstantAndOffset(late.StartedAt, stored.StartedAt);
        Assert.Equal(late.Counts.OrderBy(c => c.Key), stored.Counts.OrderBy(c => c.Key));
        Assert.Equal(early.Counts.OrderBy(c => c.Key), all[2].Counts.OrderBy(c => c.Key));
        Assert.Empty(all[1].Counts);
        Assert.Equal("credentials refused", all[1].Message);
    }

    [Fact]
    public async Task DeadLetters_KeepTheOriginalJsonCodeFieldAndMessage_OldestFirst()
    {
        const string original = """
            {"id":"c-7","email":"not-an-email","updated_at":"2026-11-23T14:30:15+05:30","total":"12.50","score":1.25,
             "tags":["vip",null,{"note":"über \"quoted\""}],"address":{"city":"Pune","zip":null},"big":12345678901234567890}
            """;
        var record = ParseAsConnectorsDo(original);
        var first = new DeadLetter(Flow, new RecordKey("shop.customers", "c-7"), "INVALID_DATA", "email", "Email is not a valid address.", record, IndiaStamp);
        var second = new DeadLetter(Flow, new RecordKey("shop.customers", "c-8"), "MAPPING_FAILED", null, "No rule maps 'name'.", new JObject(), Now);
        var elsewhere = LetterOf("c-9", flow: "other-flow");
        await Store.CommitAsync(CommitOf(letters: [second]), Token);
        await Store.CommitAsync(CommitOf(letters: [first]), Token);
        await Store.CommitAsync(CommitOf(letters: [elsewhere], flow: "other-flow"), Token);

        var letters = await Store.GetDeadLettersAsync(Flow, Token);
        var all = await Store.GetDeadLettersAsync(null, Token);

        // IndiaStamp (09:00:15 UTC) is after Now (09:00 UTC): the oldest comes first whatever the order of commits.
        Assert.Equal(["c-8", "c-7"], letters.Select(l => l.Source.Id));
        Assert.Equal(3, all.Count);
        var kept = letters[1];
        Assert.Equal((first.Flow, first.Source, first.Code, first.Field, first.Message), (kept.Flow, kept.Source, kept.Code, kept.Field, kept.Message));
        AssertSameInstantAndOffset(IndiaStamp, kept.At);
        Assert.True(JToken.DeepEquals(record, kept.Record), kept.Record.ToString());
        Assert.Equal(record.ToString(Formatting.None), kept.Record.ToString(Formatting.None));
        Assert.Equal(JTokenType.String, kept.Record["updated_at"]!.Type);
        Assert.Null(letters[0].Field);
    }

    [Fact]
    public async Task DeadLetters_TheSameRecordFailingAgain_ReplacesItsLetter()
    {
        var firstTry = new DeadLetter(Flow, new RecordKey("shop.customers", "c-7"), "INVALID_DATA", "Email", "first reason", new JObject(), Now);
        var secondTry = new DeadLetter(Flow, new RecordKey("shop.customers", "c-7"), "INVALID_DATA", "Phone", "second reason", new JObject(), Now.AddMinutes(5));
        var sameIdOtherStream = new DeadLetter(Flow, new RecordKey("shop.orders", "c-7"), "INVALID_DATA", null, "an order", new JObject(), Now);
        await Store.CommitAsync(CommitOf(letters: [firstTry, sameIdOtherStream]), Token);
        await Store.CommitAsync(CommitOf(letters: [secondTry]), Token);

        var letters = await Store.GetDeadLettersAsync(Flow, Token);

        Assert.Equal(2, letters.Count);
        var customer = Assert.Single(letters, l => l.Source.Stream == "shop.customers");
        Assert.Equal(("Phone", "second reason"), (customer.Field, customer.Message));
    }

    [Fact]
    public async Task DeleteDeadLetters_OfOneRecord_RemovesItsLetterAndNoOthers()
    {
        await Store.CommitAsync(CommitOf(letters: [LetterOf("c-1"), LetterOf("c-2")]), Token);
        await Store.CommitAsync(CommitOf(letters: [LetterOf("c-1", at: Now.AddHours(1))]), Token);
        await Store.CommitAsync(CommitOf(letters: [LetterOf("c-1", flow: "other-flow")], flow: "other-flow"), Token);

        var deleted = await Store.DeleteDeadLettersAsync(Flow, new RecordKey("shop.customers", "c-1"), Token);
        var again = await Store.DeleteDeadLettersAsync(Flow, new RecordKey("shop.customers", "c-1"), Token);

        Assert.Equal(1, deleted);
        Assert.Equal(0, again);
        Assert.Equal("c-2", Assert.Single(await Store.GetDeadLettersAsync(Flow, Token)).Source.Id);
        Assert.Single(await Store.GetDeadLettersAsync("other-flow", Token));
    }

    [Fact]
    public async Task TwoStoresOnOneStorage_CommittingInParallel_LoseAndMixUpNothing()
    {
        var other = await OpenTrackedAsync();
        var stores = new[] { Store, other };
        const int Workers = 6, Steps = 12, LinksPerStep = 20;

        var workers = Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
        {
            var flow = $"parallel-{worker}";
            for (var step = 0; step < Steps; step++)
            {
                // Write through one store and read through the other, so each sees the other's commits.
                var writer = stores[(worker + step) % 2];
                var reader = stores[(worker + step + 1) % 2];
                var links = Enumerable.Range(0, LinksPerStep).Select(i => LinkOf($"c-{step}-{i}", $"t-{worker}-{step}-{i}", flow: flow)).ToArray();
                await writer.CommitAsync(CommitOf(links: links, watermark: new Watermark(Now.AddMinutes(step)), flow: flow), Token);
                await writer.CommitAsync(CommitOf(links: [LinkOf($"w{worker}-s{step}", $"t-{worker}-{step}", flow: "shared")],
                    letters: [LetterOf($"w{worker}-s{step}", flow: "shared")], flow: "shared"), Token);
                var seen = await reader.GetLinksAsync(flow, links.Select(l => l.SourceId).ToArray(), Token);
                Assert.Equal(LinksPerStep, seen.Count);
            }
            await stores[worker % 2].RecordRunAsync(new RunRecord($"run-{worker}", flow, "sync", Now.AddSeconds(worker), TimeSpan.FromSeconds(1),
                RunStatus.Completed, new Dictionary<string, long> { ["worker"] = worker }, null), Token);
        }, Token)).ToArray();
        await Task.WhenAll(workers);

        for (var worker = 0; worker < Workers; worker++)
        {
            var flow = $"parallel-{worker}";
            Assert.Equal(Now.AddMinutes(Steps - 1), (await Store.GetWatermarkAsync(flow, Token)).Modified);
            var ids = Enumerable.Range(0, Steps).SelectMany(s => Enumerable.Range(0, LinksPerStep).Select(i => $"c-{s}-{i}")).ToArray();
            var links = await other.GetLinksAsync(flow, ids, Token);
            Assert.Equal(Steps * LinksPerStep, links.Count);
            Assert.All(links.Values, l => Assert.StartsWith($"t-{worker}-", l.TargetId, StringComparison.Ordinal));
        }
        var sharedIds = Enumerable.Range(0, Workers).SelectMany(w => Enumerable.Range(0, Steps).Select(s => $"w{w}-s{s}")).ToArray();
        Assert.Equal(Workers * Steps, (await Store.GetLinksAsync("shared", sharedIds, Token)).Count);
        Assert.Equal(sharedIds.Order(StringComparer.Ordinal), (await other.GetDeadLettersAsync("shared", Token)).Select(l => l.Source.Id).Order(StringComparer.Ordinal));
        Assert.Equal(Enumerable.Range(0, Workers).Reverse().Select(w => $"run-{w}"), (await Store.GetRunsAsync(null, 100, Token)).Select(r => r.RunId));
        await AssertStorageIntactAsync(Token);
    }

    /// <summary>Parses JSON the way our connectors' serializer does: dates stay strings.</summary>
    private static JObject ParseAsConnectorsDo(string json)
    {
        using var reader = new JsonTextReader(new StringReader(json)) { DateParseHandling = DateParseHandling.None };
        return JObject.Load(reader);
    }
}
