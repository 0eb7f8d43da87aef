using Connectors.Core.Conflicts;
using Connectors.Core.Records;
using Connectors.Core.State;
using Connectors.Core.Sync;
using Connectors.Core.Sync.TwoWay;
using Newtonsoft.Json.Linq;

namespace Connectors.State.Sqlite.Tests;

/// <summary>
/// What every <see cref="ITwoWayStateStore"/> must do on top of <see cref="ISyncStateStore"/>: side
/// watermarks, base snapshots, links found from their right end, and the conflict queue. A store's test
/// class derives from this one (the Azure tests compile this file in too) and opens a fresh storage per fact.
/// </summary>
public abstract class TwoWayStateStoreContract : IAsyncLifetime
{
    /// <summary>The flow most facts use.</summary>
    protected const string Flow = "contacts-erp";

    private static readonly DateTimeOffset IndiaStamp = new DateTimeOffset(2026, 11, 23, 14, 30, 15, TimeSpan.FromHours(5.5)).AddTicks(1_234_567);
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private readonly List<ITwoWayStateStore> _open = [];

    /// <summary>The store under test.</summary>
    protected ITwoWayStateStore Store { get; private set; } = null!;

    /// <summary>The fact's cancellation token.</summary>
    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Opens a store on this fact's storage; later calls open another store on the same storage, as a restart would.</summary>
    protected abstract Task<ITwoWayStateStore> OpenStoreAsync(CancellationToken cancellationToken);

    /// <summary>Removes this fact's storage once its stores are closed.</summary>
    protected abstract ValueTask DeleteStorageAsync();

    /// <inheritdoc />
    public async ValueTask InitializeAsync() => Store = await OpenTrackedAsync();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var store in _open)
        {
            if (store is IAsyncDisposable disposable) await disposable.DisposeAsync();
        }
        _open.Clear();
        await DeleteStorageAsync();
        GC.SuppressFinalize(this);
    }

    private async Task<ITwoWayStateStore> OpenTrackedAsync()
    {
        var store = await OpenStoreAsync(Token);
        _open.Add(store);
        return store;
    }

    private static Link TwoWayLink(string left, string right, JObject? basis = null, bool orphaned = false) =>
        new(Flow, left, right, Fingerprint.Of(basis ?? new JObject()), Now) { Base = basis ?? new JObject(), Orphaned = orphaned };

    private static Conflict ConflictOf(string left, string right, DateTimeOffset? parkedAt = null, string flow = Flow) =>
        new(Conflict.IdOf(flow, left, right), flow, left, right,
        [
            new ConflictField("phoneNumber", "+1 555 0100", "+1 555 0111", "+1 555 0122", InConflict: true),
            new ConflictField("city", "Pune", "Mumbai", "Pune", InConflict: false),
            new ConflictField("lastSeen", null, "2026-11-23T14:30:15+05:30", new JValue(12.5m), InConflict: false),
        ], parkedAt ?? Now);

    private static TwoWayCommit CommitOf(IReadOnlyList<Link>? links = null, Watermark? left = null, Watermark? right = null,
        IReadOnlyList<Conflict>? parked = null, IReadOnlyList<string>? settled = null, IReadOnlyList<DeadLetter>? letters = null) =>
        new(Flow, links ?? [], letters ?? [], left, right, parked ?? [], settled ?? []);

    [Fact]
    public async Task SideWatermarks_NeverCommitted_AreStart_AndAreKeptApartWithTheirOffsets()
    {
        Assert.Equal(Watermark.Start, await Store.GetWatermarkAsync(Flow, FlowSide.Left, Token));
        var right = new DateTimeOffset(2026, 11, 23, 9, 0, 0, 123, TimeSpan.Zero);

        await Store.CommitAsync(CommitOf(left: new Watermark(IndiaStamp), right: new Watermark(right)), Token);

        var readLeft = (await (await OpenTrackedAsync()).GetWatermarkAsync(Flow, FlowSide.Left, Token)).Modified!.Value;
        var readRight = (await Store.GetWatermarkAsync(Flow, FlowSide.Right, Token)).Modified!.Value;
        Assert.Equal((IndiaStamp.UtcTicks, IndiaStamp.Offset), (readLeft.UtcTicks, readLeft.Offset));
        Assert.Equal((right.UtcTicks, TimeSpan.Zero), (readRight.UtcTicks, readRight.Offset));
        Assert.Equal(Watermark.Start, await Store.GetWatermarkAsync(Flow, Token));
    }

    [Fact]
    public async Task Commit_OneSideWatermark_KeepsTheOther()
    {
        await Store.CommitAsync(CommitOf(left: new Watermark(Now), right: new Watermark(Now.AddMinutes(1))), Token);

        await Store.CommitAsync(CommitOf(left: new Watermark(Now.AddHours(1))), Token);

        Assert.Equal(Now.AddHours(1), (await Store.GetWatermarkAsync(Flow, FlowSide.Left, Token)).Modified);
        Assert.Equal(Now.AddMinutes(1), (await Store.GetWatermarkAsync(Flow, FlowSide.Right, Token)).Modified);
    }

    [Fact]
    public async Task Links_WithBase_ReadBackFromEitherEnd_WithTheBaseAndOrphanMark()
    {
        var basis = new JObject { ["email"] = "ann@example.com", ["phoneNumber"] = null, ["when"] = "2026-11-23T14:30:15+05:30", ["score"] = 1.5m };
        await Store.CommitAsync(CommitOf(links: [TwoWayLink("L1", "R1", basis), TwoWayLink("L2", "R2", orphaned: true)]), Token);

        var reopened = await OpenTrackedAsync();
        var byLeft = await reopened.GetLinksAsync(Flow, ["L1", "L2", "L9"], Token);
        var byRight = await reopened.GetLinksByTargetAsync(Flow, ["R1", "R2", "R9", "L1"], Token);

        Assert.Equal(["L1", "L2"], byLeft.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["R1", "R2"], byRight.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("L1", byRight["R1"].SourceId);
        Assert.True(JToken.DeepEquals(basis, byRight["R1"].Base), byRight["R1"].Base?.ToString());
        Assert.Equal(JTokenType.String, byLeft["L1"].Base!["when"]!.Type);
        Assert.Equal(TwoWayLink("L1", "R1", basis), byLeft["L1"]);
        Assert.True(byRight["R2"].Orphaned);
        Assert.False(byLeft["L1"].Orphaned);
    }

    [Fact]
    public async Task Links_BaseReplacedOnResync_AndOtherFlowsNotMixedIn()
    {
        await Store.CommitAsync(CommitOf(links: [TwoWayLink("L1", "R1", new JObject { ["city"] = "Pune" })]), Token);
        await Store.CommitAsync(new TwoWayCommit("other", [new Link("other", "L1", "R1", new Fingerprint("x"), Now) { Base = new JObject() }], [], null, null, [], []), Token);

        await Store.CommitAsync(CommitOf(links: [TwoWayLink("L1", "R1", new JObject { ["city"] = "Mumbai" })]), Token);

        var link = (await Store.GetLinksByTargetAsync(Flow, ["R1"], Token))["R1"];
        Assert.Equal("Mumbai", (string?)link.Base!["city"]);
        Assert.Equal(Flow, link.Flow);
        Assert.Empty(await Store.GetLinksByTargetAsync("third", ["R1"], Token));
    }

    [Fact]
    public async Task Conflicts_Parked_AreListedOldestFirst_AndReadBackField_ByField()
    {
        var later = ConflictOf("L2", "R2", Now.AddMinutes(5));
        var earlier = ConflictOf("L1", "R1", IndiaStamp.AddDays(-1));
        await Store.CommitAsync(CommitOf(parked: [later, earlier]), Token);
        await Store.CommitAsync(new TwoWayCommit("other", [], [], null, null, [ConflictOf("L3", "R3", Now, flow: "other")], []), Token);

        var ofFlow = await Store.GetConflictsAsync(Flow, Token);
        var all = await (await OpenTrackedAsync()).GetConflictsAsync(null, Token);
        var one = await Store.GetConflictAsync(Flow, earlier.Id, Token);

        Assert.Equal([earlier.Id, later.Id], ofFlow.Select(c => c.Id));
        Assert.Equal(3, all.Count);
        Assert.NotNull(one);
        Assert.Equal((earlier.LeftId, earlier.RightId, earlier.Flow), (one.LeftId, one.RightId, one.Flow));
        Assert.Equal(earlier.ParkedAt.UtcTicks, one.ParkedAt.UtcTicks);
        Assert.Null(one.Decision);
        Assert.Equal(["phoneNumber"], one.ConflictingFields);
        Assert.Equal(ConflictFieldText.ToJson(earlier.Fields), ConflictFieldText.ToJson(one.Fields));
        Assert.Null(one.Fields[2].Base);
        Assert.Null(await Store.GetConflictAsync(Flow, "c0000000000", Token));
    }

    [Fact]
    public async Task Resolve_RecordsTheDecision_AndParkingAgainClearsIt()
    {
        var conflict = ConflictOf("L1", "R1");
        await Store.CommitAsync(CommitOf(parked: [conflict]), Token);

        var resolved = await Store.ResolveConflictAsync(Flow, conflict.Id, new ConflictDecision(ConflictTake.Right, IndiaStamp), Token);
        var missing = await Store.ResolveConflictAsync(Flow, "c0000000000", new ConflictDecision(ConflictTake.Left, Now), Token);

        Assert.True(resolved);
        Assert.False(missing);
        var decided = (await Store.GetConflictAsync(Flow, conflict.Id, Token))!.Decision;
        Assert.Equal(ConflictTake.Right, decided?.Take);
        Assert.Equal(IndiaStamp.UtcTicks, decided!.DecidedAt.UtcTicks);
        Assert.Null(await Store.GetConflictAsync("other", conflict.Id, Token));

        await Store.CommitAsync(CommitOf(parked: [conflict with { ParkedAt = Now.AddHours(1) }]), Token);

        var parkedAgain = await Store.GetConflictAsync(Flow, conflict.Id, Token);
        Assert.Null(parkedAgain!.Decision);
        Assert.Single(await Store.GetConflictsAsync(Flow, Token));
    }

    [Fact]
    public async Task Settled_RemovesTheConflict_InTheSameCommitAsTheLinkAndWatermarks()
    {
        var conflict = ConflictOf("L1", "R1");
        var other = ConflictOf("L2", "R2");
        await Store.CommitAsync(CommitOf(parked: [conflict, other]), Token);

        await Store.CommitAsync(CommitOf(links: [TwoWayLink("L1", "R1")], settled: [conflict.Id], left: new Watermark(Now), right: new Watermark(Now)), Token);

        Assert.Equal([other.Id], (await Store.GetConflictsAsync(Flow, Token)).Select(c => c.Id));
        Assert.Single(await Store.GetLinksAsync(Flow, ["L1"], Token));
        Assert.Equal(Now, (await Store.GetWatermarkAsync(Flow, FlowSide.Right, Token)).Modified);
    }

    [Fact]
    public async Task Commit_WithDeadLetters_KeepsThemBesideTheTwoWayState()
    {
        var letter = new DeadLetter(Flow, new RecordKey("erp.customers", "R1"), "DUPLICATE_MATCH_KEY", "email", "another record has this e-mail", new JObject { ["id"] = "R1" }, Now);

        await Store.CommitAsync(CommitOf(letters: [letter], left: new Watermark(Now)), Token);

        Assert.Equal("DUPLICATE_MATCH_KEY", Assert.Single(await Store.GetDeadLettersAsync(Flow, Token)).Code);
    }

    [Fact]
    public async Task Commit_OfAnotherFlowsConflict_IsRefusedBeforeAnythingIsWritten()
    {
        var mixed = CommitOf(links: [TwoWayLink("L1", "R1")], parked: [ConflictOf("L2", "R2", flow: "other")]);

        await Assert.ThrowsAsync<ArgumentException>(() => Store.CommitAsync(mixed, Token));

        Assert.Empty(await Store.GetLinksAsync(Flow, ["L1"], Token));
        Assert.Empty(await Store.GetConflictsAsync(null, Token));
    }

    [Fact]
    public void ConflictIds_AreStablePerPair_AndDifferBetweenPairsAndFlows()
    {
        Assert.Equal(Conflict.IdOf(Flow, "L1", "R1"), Conflict.IdOf(Flow, "L1", "R1"));
        Assert.NotEqual(Conflict.IdOf(Flow, "L1", "R1"), Conflict.IdOf(Flow, "L1", "R2"));
        Assert.NotEqual(Conflict.IdOf(Flow, "L1", "R1"), Conflict.IdOf("other", "L1", "R1"));
        Assert.Matches("^c[0-9a-f]{10}$", Conflict.IdOf(Flow, "L1", "R1"));
    }
}
