using Connectors.Azure.State;
using Connectors.Azure.Tests.Infrastructure;
using Connectors.Core.Records;
using Connectors.Core.State;
using Connectors.Core.Sync;
using Newtonsoft.Json.Linq;

namespace Connectors.Azure.Tests.State;

public sealed class AzureTableSyncStateStoreTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private readonly AzureTableStateOptions _options = new() { TablePrefix = TestNames.Table() };
    private AzureTableSyncStateStore _store = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _store = NewStore();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _store.DeleteAsync(CancellationToken.None);

    [Fact]
    public async Task Watermark_FlowThatNeverRan_IsStart()
    {
        Assert.Equal(Watermark.Start, await _store.GetWatermarkAsync("shop-to-crm", Ct));
    }

    [Fact]
    public async Task Watermark_Committed_ReadsBackWithItsOffsetAndEveryTick()
    {
        var modified = new DateTimeOffset(2026, 11, 20, 17, 45, 12, TimeSpan.FromHours(5.5)).AddTicks(1234567);

        await _store.CommitAsync(new StateCommit("shop-to-crm", [], [], new Watermark(modified)), Ct);

        var read = await NewStore().GetWatermarkAsync("shop-to-crm", Ct);
        Assert.Equal(modified, read.Modified);
        Assert.Equal(TimeSpan.FromHours(5.5), read.Modified!.Value.Offset);
        Assert.Equal(modified.Ticks, read.Modified.Value.Ticks);
    }

    [Fact]
    public async Task Watermark_CommitWithoutOne_KeepsTheOldOne()
    {
        await _store.CommitAsync(new StateCommit("f", [], [], new Watermark(T0)), Ct);

        await _store.CommitAsync(new StateCommit("f", [Link("f", "1", "A")], [], null), Ct);

        Assert.Equal(T0, (await _store.GetWatermarkAsync("f", Ct)).Modified);
    }

    [Fact]
    public async Task LinkCatalog_ListsEveryLinkOfTheFlowInPages_WithoutDeadLettersOrOtherFlows_AndForgetsTheOnesRemoved()
    {
        var links = Enumerable.Range(0, 1_203).Select(i => Link("f", $"src/{i}", $"tgt-{i}")).ToArray();
        await _store.CommitAsync(new StateCommit("f", links, [new DeadLetter("f", new RecordKey("shop.customers", "x"), "INVALID_DATA", null, "no", [], T0)],
            new Watermark(T0)), Ct);
        await _store.CommitAsync(new StateCommit("g", [Link("g", "src/1", "other")], [], null), Ct);

        var pages = new List<IReadOnlyList<Link>>();
        await foreach (var page in _store.ReadLinksAsync("f", 500, Ct)) pages.Add(page);
        await _store.RemoveLinksAsync("f", ["src/0", "src/7", "never-linked"], Ct);
        var left = new List<Link>();
        await foreach (var page in NewStore().ReadLinksAsync("f", 5_000, Ct)) left.AddRange(page);

        Assert.Equal([500, 500, 203], pages.Select(p => p.Count));
        Assert.Equal(links.Select(l => l.SourceId).Order(StringComparer.Ordinal), pages.SelectMany(p => p).Select(l => l.SourceId).Order(StringComparer.Ordinal));
        Assert.Equal(1_201, left.Count);
        Assert.DoesNotContain(left, l => l.SourceId is "src/0" or "src/7");
        Assert.Empty(await NewStore().GetLinksAsync("f", ["src/0"], Ct));
        Assert.Single(await _store.GetLinksAsync("g", ["src/1"], Ct));
    }

    [Fact]
    public async Task Links_ThousandsOfIds_AllReadBackAndUnknownIdsAreAbsent()
    {
        var links = Enumerable.Range(0, 3000).Select(i => Link("f", $"src-{i}", $"tgt-{i}")).ToArray();
        await _store.CommitAsync(new StateCommit("f", links, [], new Watermark(T0)), Ct);

        var ids = links.Select(l => l.SourceId).Concat(Enumerable.Range(0, 25).Select(i => $"unknown-{i}")).ToArray();
        var read = await NewStore().GetLinksAsync("f", ids, Ct);

        Assert.Equal(3000, read.Count);
        foreach (var link in links) Assert.Equal(link, read[link.SourceId]);
        Assert.DoesNotContain("unknown-0", read.Keys);
        Assert.Equal(T0, (await _store.GetWatermarkAsync("f", Ct)).Modified);
    }

    [Fact]
    public async Task Links_IdsWithCharactersTablesForbidOrThatAreVeryLong_RoundTrip()
    {
        string[] ids = ["a/b", "c\\d", "e#f", "g?h", "tab\there", "100%", "x|y~z", "it's", new string('é', 2000)];
        var links = ids.Select(id => Link("shop/crm #1", id, "t-" + id.Length)).ToArray();

        await _store.CommitAsync(new StateCommit("shop/crm #1", links, [], null), Ct);

        var read = await NewStore().GetLinksAsync("shop/crm #1", ids, Ct);
        Assert.Equal(ids.Length, read.Count);
        foreach (var link in links) Assert.Equal(link, read[link.SourceId]);
    }

    [Fact]
    public async Task Links_OfOneFlow_AreNotSeenByAnother()
    {
        await _store.CommitAsync(new StateCommit("a", [Link("a", "1", "A1")], [], null), Ct);

        Assert.Empty(await _store.GetLinksAsync("b", ["1"], Ct));
    }

    [Fact]
    public async Task Commit_SameRecordLinkedTwiceInOneStep_KeepsTheLastLink()
    {
        await _store.CommitAsync(new StateCommit("f", [Link("f", "1", "first"), Link("f", "1", "second")], [], null), Ct);

        Assert.Equal("second", (await _store.GetLinksAsync("f", ["1"], Ct))["1"].TargetId);
    }

    [Fact]
    public async Task Commit_LinkOfAnotherFlow_IsRejectedBeforeAnythingIsWritten()
    {
        await Assert.ThrowsAsync<ArgumentException>(() =>
            _store.CommitAsync(new StateCommit("a", [Link("a", "1", "A"), Link("b", "2", "B")], [], new Watermark(T0)), Ct));

        Assert.Empty(await _store.GetLinksAsync("a", ["1"], Ct));
        Assert.Equal(Watermark.Start, await _store.GetWatermarkAsync("a", Ct));
    }

    [Fact]
    public async Task Commit_OneEntityConflicts_NothingOfTheCommitIsWritten()
    {
        var loser = NewStore();
        Assert.Empty(await loser.GetLinksAsync("f", ["x", "y"], Ct));
        Assert.Equal(Watermark.Start, await loser.GetWatermarkAsync("f", Ct));
        await _store.CommitAsync(new StateCommit("f", [Link("f", "x", "winner")], [], null), Ct);

        var conflict = await Assert.ThrowsAsync<StateConflictException>(() => loser.CommitAsync(
            new StateCommit("f", [Link("f", "y", "loser-y"), Link("f", "x", "loser-x")], [Letter("f", "z", T0)], new Watermark(T0)), Ct));

        Assert.Equal("f", conflict.Flow);
        var links = await NewStore().GetLinksAsync("f", ["x", "y"], Ct);
        Assert.Equal("winner", links["x"].TargetId);
        Assert.DoesNotContain("y", links.Keys);
        Assert.Empty(await _store.GetDeadLettersAsync("f", Ct));
        Assert.Equal(Watermark.Start, await _store.GetWatermarkAsync("f", Ct));
    }

    [Fact]
    public async Task Commit_LargerThanOneTransactionAndFailingHalfway_NeverMovesTheWatermark()
    {
        var links = Enumerable.Range(0, 250).Select(i => Link("f", $"s{i:D3}", $"loser-{i}")).ToArray();
        var loser = NewStore();
        await loser.GetLinksAsync("f", links.Select(l => l.SourceId).ToArray(), Ct);
        await loser.GetWatermarkAsync("f", Ct);
        // Another writer links one record of the second transaction in the meantime.
        await _store.CommitAsync(new StateCommit("f", [Link("f", "s150", "winner")], [], null), Ct);

        await Assert.ThrowsAsync<StateConflictException>(() => loser.CommitAsync(new StateCommit("f", links, [], new Watermark(T0)), Ct));

        var read = await NewStore().GetLinksAsync("f", links.Select(l => l.SourceId).ToArray(), Ct);
        Assert.Equal(Watermark.Start, await NewStore().GetWatermarkAsync("f", Ct));
        Assert.Equal("winner", read["s150"].TargetId);
        // The first transaction (100 links) stands, and each of its links describes a write that happened.
        Assert.All(Enumerable.Range(0, 100), i => Assert.Equal($"loser-{i}", read[$"s{i:D3}"].TargetId));
        Assert.All(Enumerable.Range(100, 150).Where(i => i != 150), i => Assert.DoesNotContain($"s{i:D3}", read.Keys));
    }

    [Fact]
    public async Task Watermark_TwoWritersRace_OneGetsTheConflictAndTheWinnersValueStands()
    {
        await _store.CommitAsync(new StateCommit("f", [], [], new Watermark(T0)), Ct);
        var first = NewStore();
        var second = NewStore();
        await first.GetWatermarkAsync("f", Ct);
        await second.GetWatermarkAsync("f", Ct);

        await first.CommitAsync(new StateCommit("f", [], [], new Watermark(T0.AddHours(1))), Ct);
        await Assert.ThrowsAsync<StateConflictException>(() => second.CommitAsync(new StateCommit("f", [], [], new Watermark(T0.AddHours(2))), Ct));

        Assert.Equal(T0.AddHours(1), (await NewStore().GetWatermarkAsync("f", Ct)).Modified);
    }

    [Fact]
    public async Task Watermark_TwoWritersRaceOnAFlowThatNeverRan_OneGetsTheConflict()
    {
        var first = NewStore();
        var second = NewStore();
        await first.GetWatermarkAsync("f", Ct);
        await second.GetWatermarkAsync("f", Ct);

        await first.CommitAsync(new StateCommit("f", [], [], new Watermark(T0)), Ct);
        await Assert.ThrowsAsync<StateConflictException>(() => second.CommitAsync(new StateCommit("f", [], [], new Watermark(T0.AddHours(1))), Ct));

        Assert.Equal(T0, (await NewStore().GetWatermarkAsync("f", Ct)).Modified);
    }

    [Fact]
    public async Task Watermark_SetBackToStart_ReadsAsStart()
    {
        await _store.CommitAsync(new StateCommit("f", [], [], new Watermark(T0)), Ct);

        await _store.CommitAsync(new StateCommit("f", [], [], Watermark.Start), Ct);

        Assert.Equal(Watermark.Start, await NewStore().GetWatermarkAsync("f", Ct));
    }

    [Fact]
    public async Task Watermark_LoserOfARace_MustReadAgainAndThenCommits()
    {
        var first = NewStore();
        var second = NewStore();
        await first.GetWatermarkAsync("f", Ct);
        await second.GetWatermarkAsync("f", Ct);
        await first.CommitAsync(new StateCommit("f", [], [], new Watermark(T0)), Ct);
        await Assert.ThrowsAsync<StateConflictException>(() => second.CommitAsync(new StateCommit("f", [], [], new Watermark(T0.AddHours(1))), Ct));

        // Retrying blindly is refused too; reading again makes the next commit go through.
        await Assert.ThrowsAsync<StateConflictException>(() => second.CommitAsync(new StateCommit("f", [], [], new Watermark(T0.AddHours(1))), Ct));
        Assert.Equal(T0, (await second.GetWatermarkAsync("f", Ct)).Modified);
        await second.CommitAsync(new StateCommit("f", [], [], new Watermark(T0.AddHours(1))), Ct);

        Assert.Equal(T0.AddHours(1), (await NewStore().GetWatermarkAsync("f", Ct)).Modified);
    }

    [Fact]
    public async Task Link_TwoWritersRaceOnAnExistingLink_OneGetsTheConflictAndTheWinnersValueStands()
    {
        await _store.CommitAsync(new StateCommit("f", [Link("f", "1", "v0")], [], null), Ct);
        var first = NewStore();
        var second = NewStore();
        await first.GetLinksAsync("f", ["1"], Ct);
        await second.GetLinksAsync("f", ["1"], Ct);

        await first.CommitAsync(new StateCommit("f", [Link("f", "1", "v1")], [], null), Ct);
        await Assert.ThrowsAsync<StateConflictException>(() => second.CommitAsync(new StateCommit("f", [Link("f", "1", "v2")], [], null), Ct));

        Assert.Equal("v1", (await NewStore().GetLinksAsync("f", ["1"], Ct))["1"].TargetId);
    }

    [Fact]
    public async Task Link_ManyWritersRaceConcurrently_ExactlyOneWins()
    {
        var writers = Enumerable.Range(0, 6).Select(_ => NewStore()).ToArray();
        foreach (var writer in writers) await writer.GetLinksAsync("f", ["1"], Ct);

        var results = await Task.WhenAll(writers.Select(async (writer, i) =>
        {
            try
            {
                await writer.CommitAsync(new StateCommit("f", [Link("f", "1", $"writer-{i}")], [], new Watermark(T0.AddMinutes(i))), Ct);
                return i;
            }
            catch (StateConflictException)
            {
                return -1;
            }
        }));

        var winner = Assert.Single(results, r => r >= 0);
        Assert.Equal($"writer-{winner}", (await NewStore().GetLinksAsync("f", ["1"], Ct))["1"].TargetId);
        Assert.Equal(T0.AddMinutes(winner), (await NewStore().GetWatermarkAsync("f", Ct)).Modified);
    }

    [Fact]
    public async Task Commit_ByAStoreThatNeverRead_WritesAsTheLastWriter()
    {
        await _store.CommitAsync(new StateCommit("f", [Link("f", "1", "old")], [], new Watermark(T0)), Ct);

        await NewStore().CommitAsync(new StateCommit("f", [Link("f", "1", "new")], [], new Watermark(T0.AddDays(1))), Ct);

        Assert.Equal("new", (await NewStore().GetLinksAsync("f", ["1"], Ct))["1"].TargetId);
        Assert.Equal(T0.AddDays(1), (await NewStore().GetWatermarkAsync("f", Ct)).Modified);
    }

    [Fact]
    public async Task Commit_TheSameStoreCommittingAgain_UsesTheVersionItWrote()
    {
        await _store.GetWatermarkAsync("f", Ct);
        await _store.GetLinksAsync("f", ["1"], Ct);

        await _store.CommitAsync(new StateCommit("f", [Link("f", "1", "a")], [], new Watermark(T0)), Ct);
        await _store.CommitAsync(new StateCommit("f", [Link("f", "1", "b")], [], new Watermark(T0.AddHours(1))), Ct);

        Assert.Equal("b", (await NewStore().GetLinksAsync("f", ["1"], Ct))["1"].TargetId);
        Assert.Equal(T0.AddHours(1), (await NewStore().GetWatermarkAsync("f", Ct)).Modified);
    }

    [Fact]
    public async Task DeadLetters_KeepTheirReasonAndRecord_OldestFirst_PerFlowAndForAll()
    {
        await _store.CommitAsync(new StateCommit("b", [], [Letter("b", "9", T0.AddMinutes(2))], null), Ct);
        await _store.CommitAsync(new StateCommit("a", [], [Letter("a", "2", T0.AddMinutes(3)), Letter("a", "1", T0)], null), Ct);

        var ofA = await NewStore().GetDeadLettersAsync("a", Ct);
        var all = await NewStore().GetDeadLettersAsync(null, Ct);

        Assert.Equal(["1", "2"], ofA.Select(d => d.Source.Id));
        Assert.Equal(["1", "9", "2"], all.Select(d => d.Source.Id));
        var letter = ofA[0];
        Assert.Equal(new RecordKey("shop.customers", "1"), letter.Source);
        Assert.Equal("INVALID_DATA", letter.Code);
        Assert.Equal("email", letter.Field);
        Assert.Equal("email is not valid", letter.Message);
        Assert.Equal(T0, letter.At);
        Assert.True(JToken.DeepEquals(Letter("a", "1", T0).Record, letter.Record));
    }

    [Fact]
    public async Task DeadLetters_SameRecordFailingTwiceAtTheSameInstant_KeepsBothInCommitOrder()
    {
        var first = Letter("f", "1", T0) with { Message = "first failure" };
        var second = Letter("f", "1", T0) with { Message = "second failure" };

        await _store.CommitAsync(new StateCommit("f", [], [first], null), Ct);
        await _store.CommitAsync(new StateCommit("f", [], [second], null), Ct);

        Assert.Equal(["first failure", "second failure"], (await NewStore().GetDeadLettersAsync("f", Ct)).Select(d => d.Message));
    }

    [Fact]
    public async Task DeleteDeadLetters_OfOneRecord_RemovesAllItsLettersAndNoOthers()
    {
        await _store.CommitAsync(new StateCommit("f", [], [Letter("f", "c-1", T0), Letter("f", "c-2", T0)], null), Ct);
        await _store.CommitAsync(new StateCommit("f", [], [Letter("f", "c-1", T0.AddHours(1))], null), Ct);
        await _store.CommitAsync(new StateCommit("g", [], [Letter("g", "c-1", T0)], null), Ct);

        var deleted = await NewStore().DeleteDeadLettersAsync("f", new RecordKey("shop.customers", "c-1"), Ct);

        Assert.Equal(2, deleted);
        Assert.Equal("c-2", Assert.Single(await _store.GetDeadLettersAsync("f", Ct)).Source.Id);
        Assert.Single(await _store.GetDeadLettersAsync("g", Ct));
        Assert.Equal(0, await _store.DeleteDeadLettersAsync("f", new RecordKey("shop.customers", "c-1"), Ct));
    }

    [Fact]
    public async Task DeadLetters_LargeRecord_IsKeptWhole()
    {
        var record = new JObject { ["id"] = "1", ["notes"] = new string('n', 150_000), ["updated"] = "2026-11-23T09:00:00+02:00" };
        var letter = Letter("f", "1", T0) with { Record = record };

        await _store.CommitAsync(new StateCommit("f", [], [letter], null), Ct);

        var read = Assert.Single(await NewStore().GetDeadLettersAsync("f", Ct));
        Assert.True(JToken.DeepEquals(record, read.Record));
    }

    [Fact]
    public async Task Runs_AreReturnedNewestFirst_PerFlowAndForAll_UpToTheLimit()
    {
        await _store.RecordRunAsync(Run("r1", "a", T0), Ct);
        await _store.RecordRunAsync(Run("r3", "a", T0.AddHours(2)), Ct);
        await _store.RecordRunAsync(Run("r2", "b", T0.AddHours(1)), Ct);

        var store = NewStore();
        Assert.Equal(["r3", "r1"], (await store.GetRunsAsync("a", 10, Ct)).Select(r => r.RunId));
        Assert.Equal(["r3", "r2"], (await store.GetRunsAsync(null, 2, Ct)).Select(r => r.RunId));
        Assert.Empty(await store.GetRunsAsync("a", 0, Ct));
        var run = (await store.GetRunsAsync("b", 1, Ct))[0];
        var expected = Run("r2", "b", T0.AddHours(1));
        Assert.Equal((expected.RunId, expected.Flow, expected.Kind, expected.StartedAt, expected.Duration, expected.Status, expected.Message),
            (run.RunId, run.Flow, run.Kind, run.StartedAt, run.Duration, run.Status, run.Message));
        Assert.Equal(expected.Counts, run.Counts);
    }

    [Fact]
    public void Options_BadTablePrefix_FailsAtConstructionNamingTheSetting()
    {
        var error = Assert.Throws<System.ComponentModel.DataAnnotations.ValidationException>(() =>
            new AzureTableSyncStateStore(azurite.Account, new AzureTableStateOptions { TablePrefix = "bad-prefix" }));

        Assert.Contains("TablePrefix", error.Message);
    }

    private AzureTableSyncStateStore NewStore() => new(azurite.Account, _options);

    private static Link Link(string flow, string source, string target) =>
        new(flow, source, target, Fingerprint.Of(new JObject { ["target"] = target }), T0.AddSeconds(source.Length));

    private static DeadLetter Letter(string flow, string id, DateTimeOffset at) => new(flow, new RecordKey("shop.customers", id),
        "INVALID_DATA", "email", "email is not valid", new JObject { ["id"] = id, ["email"] = "not-an-email", ["updated"] = "2026-11-23T09:00:00+02:00" }, at);

    private static RunRecord Run(string id, string flow, DateTimeOffset startedAt) => new(id, flow, "sync", startedAt, TimeSpan.FromSeconds(42.5),
        RunStatus.Incomplete, new Dictionary<string, long> { ["read"] = 10, ["created"] = 3, ["apiCalls"] = 7 }, "throttled by the CRM");
}
