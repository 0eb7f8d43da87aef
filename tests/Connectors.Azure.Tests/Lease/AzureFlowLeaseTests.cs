using Connectors.Azure.Lease;
using Connectors.Azure.Tests.Infrastructure;
using Connectors.Core.Queue;
using Connectors.Testing;

namespace Connectors.Azure.Tests.Lease;

public sealed class AzureFlowLeaseTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(30);
    private readonly string _table = TestNames.Table();
    private readonly WaitObservingClock _clock = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await Lease("cleanup").DeleteAsync(CancellationToken.None);

    [Fact]
    public async Task SecondHolder_IsTurnedAwayUntilTheLeaseRunsOut_ThenGetsIt()
    {
        var first = Assert.IsType<FlowLeaseAttempt.Acquired>(await Lease("worker-1").TryAcquireAsync("shop-to-crm", Duration, Ct));

        var refused = Assert.IsType<FlowLeaseAttempt.Busy>(await Lease("worker-2").TryAcquireAsync("shop-to-crm", Duration, Ct));
        _clock.Advance(Duration - TimeSpan.FromSeconds(1));
        Assert.IsType<FlowLeaseAttempt.Busy>(await Lease("worker-2").TryAcquireAsync("shop-to-crm", Duration, Ct));
        _clock.Advance(TimeSpan.FromSeconds(1));
        var second = Assert.IsType<FlowLeaseAttempt.Acquired>(await Lease("worker-2").TryAcquireAsync("shop-to-crm", Duration, Ct));

        Assert.Equal("worker-1", refused.Holder);
        Assert.Equal(first.Grant.ExpiresAt, refused.Until);
        Assert.Equal("worker-2", second.Grant.Holder);
        Assert.Equal(_clock.GetUtcNow() + Duration, second.Grant.ExpiresAt);
    }

    [Fact]
    public async Task Lease_OfOneFlow_DoesNotBlockAnother()
    {
        Assert.IsType<FlowLeaseAttempt.Acquired>(await Lease("worker-1").TryAcquireAsync("a", Duration, Ct));

        Assert.IsType<FlowLeaseAttempt.Acquired>(await Lease("worker-2").TryAcquireAsync("b", Duration, Ct));
    }

    [Fact]
    public async Task Renew_KeepsOthersOutPastTheFirstExpiry()
    {
        var holder = Lease("worker-1");
        var grant = Assert.IsType<FlowLeaseAttempt.Acquired>(await holder.TryAcquireAsync("f", Duration, Ct)).Grant;
        _clock.Advance(Duration / 2);

        var renewed = await holder.RenewAsync(grant, Duration, Ct);
        _clock.Advance(Duration / 2 + TimeSpan.FromSeconds(1));

        Assert.NotNull(renewed);
        Assert.Equal(_clock.GetUtcNow() - Duration / 2 - TimeSpan.FromSeconds(1) + Duration, renewed.ExpiresAt);
        Assert.IsType<FlowLeaseAttempt.Busy>(await Lease("worker-2").TryAcquireAsync("f", Duration, Ct));
    }

    [Fact]
    public async Task Renew_AfterSomeoneElseTookTheExpiredLease_ReportsItLost()
    {
        var holder = Lease("worker-1");
        var grant = Assert.IsType<FlowLeaseAttempt.Acquired>(await holder.TryAcquireAsync("f", Duration, Ct)).Grant;
        _clock.Advance(Duration + TimeSpan.FromSeconds(1));
        var taker = Assert.IsType<FlowLeaseAttempt.Acquired>(await Lease("worker-2").TryAcquireAsync("f", Duration, Ct));

        Assert.Null(await holder.RenewAsync(grant, Duration, Ct));
        // Releasing the lost lease must not free the new holder's.
        await holder.ReleaseAsync(grant, Ct);
        Assert.Equal("worker-2", Assert.IsType<FlowLeaseAttempt.Busy>(await Lease("worker-3").TryAcquireAsync("f", Duration, Ct)).Holder);
        Assert.NotNull(await Lease("worker-2").RenewAsync(taker.Grant, Duration, Ct));
    }

    [Fact]
    public async Task Renew_AfterExpiryThatNobodyUsed_KeepsTheLease()
    {
        var holder = Lease("worker-1");
        var grant = Assert.IsType<FlowLeaseAttempt.Acquired>(await holder.TryAcquireAsync("f", Duration, Ct)).Grant;
        _clock.Advance(Duration * 2);

        Assert.NotNull(await holder.RenewAsync(grant, Duration, Ct));

        Assert.IsType<FlowLeaseAttempt.Busy>(await Lease("worker-2").TryAcquireAsync("f", Duration, Ct));
    }

    [Fact]
    public async Task Release_LetsTheNextWorkerInAtOnce()
    {
        var holder = Lease("worker-1");
        var grant = Assert.IsType<FlowLeaseAttempt.Acquired>(await holder.TryAcquireAsync("f", Duration, Ct)).Grant;

        await holder.ReleaseAsync(grant, Ct);

        Assert.IsType<FlowLeaseAttempt.Acquired>(await Lease("worker-2").TryAcquireAsync("f", Duration, Ct));
    }

    [Fact]
    public async Task ManyWorkersRacingForAFreeLease_ExactlyOneGetsIt()
    {
        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Lease($"worker-{i}").TryAcquireAsync("f", Duration, Ct)));

        var winner = Assert.Single(attempts.OfType<FlowLeaseAttempt.Acquired>());
        Assert.All(attempts.OfType<FlowLeaseAttempt.Busy>(), busy => Assert.Equal(winner.Grant.Holder, busy.Holder));
        Assert.Equal(7, attempts.OfType<FlowLeaseAttempt.Busy>().Count());
    }

    [Fact]
    public async Task ManyWorkersRacingForAnExpiredLease_ExactlyOneGetsIt()
    {
        Assert.IsType<FlowLeaseAttempt.Acquired>(await Lease("old").TryAcquireAsync("f", Duration, Ct));
        _clock.Advance(Duration);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Lease($"worker-{i}").TryAcquireAsync("f", Duration, Ct)));

        Assert.Single(attempts.OfType<FlowLeaseAttempt.Acquired>());
    }

    private AzureFlowLease Lease(string holder) =>
        new(azurite.Account, new AzureFlowLeaseOptions { TableName = _table, Holder = holder }, _clock);
}
