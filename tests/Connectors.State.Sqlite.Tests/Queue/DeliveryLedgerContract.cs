using Connectors.Core.Queue;
using Connectors.Testing;

namespace Connectors.State.Sqlite.Tests.Queue;

/// <summary>
/// What every <see cref="IDeliveryLedger"/> must do, whatever it stores into. A ledger's test class
/// derives from this one and says how to open a ledger on a storage of its own; every fact gets a new
/// storage, and a second <see cref="Open"/> is a second process sharing it.
/// </summary>
public abstract class DeliveryLedgerContract : IAsyncLifetime
{
    private static readonly TimeSpan ClaimTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The clock every ledger of the fact reads.</summary>
    protected WaitObservingClock Clock { get; } = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Opens a ledger on this fact's storage, as another process would.</summary>
    protected abstract IDeliveryLedger Open();

    /// <summary>Removes this fact's storage.</summary>
    protected abstract ValueTask DeleteStorageAsync();

    /// <inheritdoc />
    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await DeleteStorageAsync();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task NewDeliveries_AreTaken_AndOnceMarkedQueued_AreDuplicatesForEveryone()
    {
        var first = Open();
        var claims = await first.TryClaimAsync("shop", ["evt-1", "evt-2", "evt-3"], ClaimTimeout, Token);
        await first.MarkQueuedAsync(claims, Token);

        var again = await Open().TryClaimAsync("shop", ["evt-2", "evt-1", "evt-3"], ClaimTimeout, Token);

        Assert.Equal([DeliveryClaim.Taken, DeliveryClaim.Taken, DeliveryClaim.Taken], claims.Claims);
        Assert.Equal(["evt-1", "evt-2", "evt-3"], claims.Taken);
        Assert.Equal([DeliveryClaim.Duplicate, DeliveryClaim.Duplicate, DeliveryClaim.Duplicate], again.Claims);
        Assert.Empty(again.Taken);
    }

    [Fact]
    public async Task Claim_NotYetQueued_HoldsOthersOffUntilItRunsOut_ThenIsTakenOver()
    {
        var dying = Open();
        await dying.TryClaimAsync("shop", ["evt-1"], ClaimTimeout, Token);
        var other = Open();

        var early = await other.TryClaimAsync("shop", ["evt-1"], ClaimTimeout, Token);
        Clock.Advance(ClaimTimeout - TimeSpan.FromSeconds(1));
        var stillEarly = await other.TryClaimAsync("shop", ["evt-1"], ClaimTimeout, Token);
        Clock.Advance(TimeSpan.FromSeconds(1));
        var takeover = await other.TryClaimAsync("shop", ["evt-1"], ClaimTimeout, Token);
        await other.MarkQueuedAsync(takeover, Token);
        var after = await Open().TryClaimAsync("shop", ["evt-1"], ClaimTimeout, Token);

        Assert.Equal(DeliveryClaim.InProgress, Assert.Single(early.Claims));
        Assert.Equal(DeliveryClaim.InProgress, Assert.Single(stillEarly.Claims));
        Assert.Equal(DeliveryClaim.Taken, Assert.Single(takeover.Claims));
        Assert.Equal(DeliveryClaim.Duplicate, Assert.Single(after.Claims));
    }

    [Fact]
    public async Task MixedGroup_GetsEachDeliverysOwnClaim_InTheCallersOrder()
    {
        var ledger = Open();
        var queued = await ledger.TryClaimAsync("shop", ["q-1", "q-2"], ClaimTimeout, Token);
        await ledger.MarkQueuedAsync(queued, Token);
        await Open().TryClaimAsync("shop", ["p-1", "p-2"], ClaimTimeout, Token);

        // Existing rows scattered between new ones: a batched claim must not let one existing row decide for the rest.
        string[] keys = ["n-1", "q-1", "p-1", "n-2", "n-3", "q-2", "n-4", "p-2", "n-5"];
        var claims = await Open().TryClaimAsync("shop", keys, ClaimTimeout, Token);

        Assert.Equal(
            [DeliveryClaim.Taken, DeliveryClaim.Duplicate, DeliveryClaim.InProgress, DeliveryClaim.Taken, DeliveryClaim.Taken,
             DeliveryClaim.Duplicate, DeliveryClaim.Taken, DeliveryClaim.InProgress, DeliveryClaim.Taken],
            claims.Claims);
        Assert.Equal(["n-1", "n-2", "n-3", "n-4", "n-5"], claims.Taken);
    }

    [Fact]
    public async Task Forget_LetsTheNextAttemptTakeTheDeliveryAtOnce()
    {
        var ledger = Open();
        var claims = await ledger.TryClaimAsync("shop", ["evt-1", "evt-2"], ClaimTimeout, Token);
        await ledger.ForgetAsync(claims, Token);

        var retry = await Open().TryClaimAsync("shop", ["evt-1", "evt-2"], ClaimTimeout, Token);

        Assert.Equal([DeliveryClaim.Taken, DeliveryClaim.Taken], retry.Claims);
    }

    [Fact]
    public async Task SameKey_OfTwoSystems_AreTwoDeliveries()
    {
        var ledger = Open();
        await ledger.MarkQueuedAsync(await ledger.TryClaimAsync("shop", ["evt-1"], ClaimTimeout, Token), Token);

        var other = await ledger.TryClaimAsync("woo", ["evt-1"], ClaimTimeout, Token);

        Assert.Equal(DeliveryClaim.Taken, Assert.Single(other.Claims));
    }

    [Fact]
    public async Task LargeGroup_BeyondOneStorageTransaction_IsClaimedAndMarkedWhole()
    {
        var keys = Enumerable.Range(0, 450).Select(i => $"evt-{i:D4}").ToArray();
        var ledger = Open();

        var claims = await ledger.TryClaimAsync("shop", keys, ClaimTimeout, Token);
        await ledger.MarkQueuedAsync(claims, Token);
        var again = await Open().TryClaimAsync("shop", keys, ClaimTimeout, Token);

        Assert.All(claims.Claims, claim => Assert.Equal(DeliveryClaim.Taken, claim));
        Assert.All(again.Claims, claim => Assert.Equal(DeliveryClaim.Duplicate, claim));
    }

    [Fact]
    public async Task ConcurrentClaims_OfTheSameDeliveries_TakeEachExactlyOnce()
    {
        var keys = Enumerable.Range(0, 40).Select(i => $"evt-{i}").ToArray();
        var callers = Enumerable.Range(0, 6).Select(_ => Open()).ToArray();

        var results = await Task.WhenAll(callers.Select((ledger, n) =>
            ledger.TryClaimAsync("shop", [.. keys.Skip(n * 3).Concat(keys.Take(n * 3))], ClaimTimeout, Token)));

        var takers = keys.Select(key => results.Count(r => r.Keys.Select((k, i) => (k, i)).Any(x => x.k == key && r.Claims[x.i] == DeliveryClaim.Taken)));
        Assert.All(takers, count => Assert.Equal(1, count));
    }

    [Fact]
    public async Task Sweep_ForgetsDeliveriesClaimedBeforeTheCutoff_QueuedOrNot_OfEverySystem_AndKeepsTheRest()
    {
        var ledger = Open();
        await ledger.MarkQueuedAsync(await ledger.TryClaimAsync("shop", ["old-1", "old-2"], ClaimTimeout, Token), Token);
        await ledger.MarkQueuedAsync(await ledger.TryClaimAsync("woo", ["old-3"], ClaimTimeout, Token), Token);
        // Claimed by a taker that died before queueing: it ran out long ago.
        await Open().TryClaimAsync("shop", ["old-4"], ClaimTimeout, Token);
        Clock.Advance(TimeSpan.FromHours(1));
        var cutoff = Clock.GetUtcNow();
        // Claimed at the cutoff itself: not before it, so kept.
        await ledger.MarkQueuedAsync(await ledger.TryClaimAsync("shop", ["new-1"], ClaimTimeout, Token), Token);
        Clock.Advance(TimeSpan.FromMinutes(5));
        await ledger.MarkQueuedAsync(await ledger.TryClaimAsync("woo", ["new-2"], ClaimTimeout, Token), Token);

        var forgotten = await Open().SweepAsync(cutoff, Token);
        var shop = await Open().TryClaimAsync("shop", ["old-1", "new-1", "old-2", "old-4"], ClaimTimeout, Token);
        var woo = await Open().TryClaimAsync("woo", ["old-3", "new-2"], ClaimTimeout, Token);

        Assert.Equal(4, forgotten);
        Assert.Equal([DeliveryClaim.Taken, DeliveryClaim.Duplicate, DeliveryClaim.Taken, DeliveryClaim.Taken], shop.Claims);
        Assert.Equal([DeliveryClaim.Taken, DeliveryClaim.Duplicate], woo.Claims);
    }

    [Fact]
    public async Task Sweep_OfAnEmptyLedger_ForgetsNothing_AndOfRecentDeliveriesKeepsThemAll()
    {
        var empty = await Open().SweepAsync(Clock.GetUtcNow(), Token);
        var ledger = Open();
        await ledger.MarkQueuedAsync(await ledger.TryClaimAsync("shop", ["evt-1", "evt-2"], ClaimTimeout, Token), Token);
        Clock.Advance(TimeSpan.FromDays(3));

        var recent = await Open().SweepAsync(Clock.GetUtcNow() - TimeSpan.FromDays(7), Token);
        var again = await Open().TryClaimAsync("shop", ["evt-1", "evt-2"], ClaimTimeout, Token);

        Assert.Equal((0, 0), (empty, recent));
        Assert.Equal([DeliveryClaim.Duplicate, DeliveryClaim.Duplicate], again.Claims);
    }

    [Fact]
    public async Task Sweep_OfMoreDeliveriesThanOneStoragePageOrBatch_ForgetsThemAll_AndKeepsTheNewOnesBetweenThem()
    {
        var old = Enumerable.Range(0, 2_100).Select(i => $"evt-{i:D4}").ToArray();
        // Sorted among the old ones, so that kept rows lie between the forgotten ones in every storage order.
        string[] recent = ["evt-0000-new", "evt-0999-new", "evt-2099-new"];
        var ledger = Open();
        await ledger.MarkQueuedAsync(await ledger.TryClaimAsync("shop", old, ClaimTimeout, Token), Token);
        Clock.Advance(TimeSpan.FromDays(1));
        await ledger.MarkQueuedAsync(await ledger.TryClaimAsync("shop", recent, ClaimTimeout, Token), Token);

        var forgotten = await Open().SweepAsync(Clock.GetUtcNow(), Token);
        var again = await Open().TryClaimAsync("shop", [.. old, .. recent], ClaimTimeout, Token);

        Assert.Equal(old.Length, forgotten);
        Assert.Equal([.. old.Select(_ => DeliveryClaim.Taken), .. recent.Select(_ => DeliveryClaim.Duplicate)], again.Claims);
    }

    [Fact]
    public async Task Sweep_ForgottenDelivery_ComingAgain_IsTakenInAsNew_ThenIsADuplicateAsBefore()
    {
        var ledger = Open();
        await ledger.MarkQueuedAsync(await ledger.TryClaimAsync("shop", ["evt-1"], ClaimTimeout, Token), Token);
        Clock.Advance(TimeSpan.FromDays(8));
        await ledger.SweepAsync(Clock.GetUtcNow() - TimeSpan.FromDays(7), Token);

        var taken = await Open().TryClaimAsync("shop", ["evt-1"], ClaimTimeout, Token);
        await ledger.MarkQueuedAsync(taken, Token);
        var again = await Open().TryClaimAsync("shop", ["evt-1"], ClaimTimeout, Token);
        var sweptAgain = await Open().SweepAsync(Clock.GetUtcNow() - TimeSpan.FromDays(7), Token);
        var stillDuplicate = await Open().TryClaimAsync("shop", ["evt-1"], ClaimTimeout, Token);

        Assert.Equal(DeliveryClaim.Taken, Assert.Single(taken.Claims));
        Assert.Equal(DeliveryClaim.Duplicate, Assert.Single(again.Claims));
        Assert.Equal(0, sweptAgain);
        Assert.Equal(DeliveryClaim.Duplicate, Assert.Single(stillDuplicate.Claims));
    }

    [Fact]
    public async Task TwoSweepsAtOnce_ForgetEachDeliveryOnce()
    {
        var keys = Enumerable.Range(0, 250).Select(i => $"evt-{i:D3}").ToArray();
        var ledger = Open();
        await ledger.MarkQueuedAsync(await ledger.TryClaimAsync("shop", keys, ClaimTimeout, Token), Token);
        Clock.Advance(TimeSpan.FromDays(1));
        var cutoff = Clock.GetUtcNow();
        var first = Open();
        var second = Open();

        var counts = await Task.WhenAll(Task.Run(() => first.SweepAsync(cutoff, Token), Token), Task.Run(() => second.SweepAsync(cutoff, Token), Token));
        var again = await Open().TryClaimAsync("shop", keys, ClaimTimeout, Token);

        Assert.Equal(keys.Length, counts.Sum());
        Assert.All(again.Claims, claim => Assert.Equal(DeliveryClaim.Taken, claim));
    }

    [Fact]
    public async Task Sweep_RacingTheTakeoverOfClaimsThatRanOut_NeverForgetsAFreshClaim()
    {
        var keys = Enumerable.Range(0, 200).Select(i => $"evt-{i:D3}").ToArray();
        // A taker that died with all of them claimed, before queueing.
        await Open().TryClaimAsync("shop", keys, ClaimTimeout, Token);
        Clock.Advance(ClaimTimeout + TimeSpan.FromSeconds(1));
        var cutoff = Clock.GetUtcNow();
        var sweeping = Open();
        var taking = Open();

        // The vendor's retries reach another instance while the sweep forgets the dead taker's claims: each retry either takes
        // the claim over or, when the sweep was first, claims the delivery anew; either way its claim is fresh.
        var sweep = Task.Run(() => sweeping.SweepAsync(cutoff, Token), Token);
        var retries = await Task.Run(() => taking.TryClaimAsync("shop", keys, ClaimTimeout, Token), Token);
        await taking.MarkQueuedAsync(retries, Token);
        var forgotten = await sweep;
        var later = await Open().TryClaimAsync("shop", [.. retries.Taken], ClaimTimeout, Token);

        // A retry that found its row gone between reading it and taking it over is told to come back (in progress); the rest are queued.
        Assert.NotEmpty(retries.Taken);
        Assert.InRange(forgotten, 0, keys.Length);
        Assert.All(later.Claims, claim => Assert.Equal(DeliveryClaim.Duplicate, claim));
    }
}
