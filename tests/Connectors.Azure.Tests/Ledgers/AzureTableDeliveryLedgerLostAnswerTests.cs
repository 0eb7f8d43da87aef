using Connectors.Azure.Ledgers;
using Connectors.Azure.Tests.Infrastructure;
using Connectors.Core.Queue;
using Microsoft.Extensions.Time.Testing;

namespace Connectors.Azure.Tests.Ledgers;

public sealed class AzureTableDeliveryLedgerLostAnswerTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly string _table = TestNames.Table();
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private LostAnswerProxy _proxy = null!;

    public ValueTask InitializeAsync()
    {
        _proxy = LostAnswerProxy.Start(azurite.ConnectionString);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await new AzureTableDeliveryLedger(azurite.Account, _table, _clock).DeleteAsync(CancellationToken.None);
        await _proxy.DisposeAsync();
    }

    [Fact]
    public async Task Claim_WhoseTransactionWasAppliedButItsAnswerLost_IsTakenOnTheRetry_NotHeldOffAsInProgress()
    {
        var ledger = new AzureTableDeliveryLedger(AzureStorageAccount.FromConnectionString(_proxy.ConnectionString), _table, _clock);
        string[] keys = ["evt-1", "evt-2", "evt-3", "evt-4", "evt-5", "evt-6"];

        var claims = await ledger.TryClaimAsync("shop", keys, TimeSpan.FromMinutes(5), TestContext.Current.CancellationToken);

        Assert.Equal(1, _proxy.Lost);
        Assert.All(claims.Claims, claim => Assert.Equal(DeliveryClaim.Taken, claim));
        await ledger.MarkQueuedAsync(claims, TestContext.Current.CancellationToken);
        var again = await new AzureTableDeliveryLedger(azurite.Account, _table, _clock).TryClaimAsync("shop", keys, TimeSpan.FromMinutes(5), TestContext.Current.CancellationToken);
        Assert.All(again.Claims, claim => Assert.Equal(DeliveryClaim.Duplicate, claim));
    }
}
