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
}
