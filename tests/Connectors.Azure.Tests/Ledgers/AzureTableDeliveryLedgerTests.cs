using System.Globalization;
using Azure.Data.Tables;
using Connectors.Azure.Ledgers;
using Connectors.Azure.Tests.Infrastructure;
using Connectors.Core.Queue;
using Connectors.State.Sqlite.Tests.Queue;

namespace Connectors.Azure.Tests.Ledgers;

public sealed class AzureTableDeliveryLedgerTests(AzuriteFixture azurite) : DeliveryLedgerContract
{
    private static readonly TimeSpan ClaimTimeout = TimeSpan.FromSeconds(30);

    private readonly string _table = TestNames.Table();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    protected override IDeliveryLedger Open() => new AzureTableDeliveryLedger(azurite.Account, _table, Clock);

    protected override async ValueTask DeleteStorageAsync() =>
        await new AzureTableDeliveryLedger(azurite.Account, _table, Clock).DeleteAsync(CancellationToken.None);

    /// <summary>Every row of the ledger's table, as the service has it.</summary>
    private async Task<List<TableEntity>> RowsAsync()
    {
        var rows = new List<TableEntity>();
        await foreach (var row in new TableClient(azurite.ConnectionString, _table).QueryAsync<TableEntity>(cancellationToken: Token)) rows.Add(row);
        return rows;
    }

    private static DateTimeOffset At(TableEntity row) =>
        DateTimeOffset.ParseExact(row.GetString("At"), "o", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    [Fact]
    public async Task Sweep_LeavesNoRowFromBeforeTheCutoff_GroupRowsAndGivenUpClaimsIncluded_AndKeepsTheNewGroupsRows()
    {
        var ledger = Open();
        await ledger.MarkQueuedAsync(await ledger.TryClaimAsync("shop", ["old-1", "old-2", "old-3"], ClaimTimeout, Token), Token);
        await ledger.ForgetAsync(await ledger.TryClaimAsync("shop", ["given-up"], ClaimTimeout, Token), Token);
        Clock.Advance(TimeSpan.FromDays(1));
        var cutoff = Clock.GetUtcNow();
        await ledger.MarkQueuedAsync(await ledger.TryClaimAsync("shop", ["new-1"], ClaimTimeout, Token), Token);
        var before = await RowsAsync();

        var forgotten = await ledger.SweepAsync(cutoff, Token);
        var after = await RowsAsync();

        // Three claims and their group's row, the given-up claim; the new claim and its group's row.
        Assert.Equal(7, before.Count);
        Assert.Equal(4, forgotten);
        Assert.Equal(2, after.Count);
        Assert.Single(after, row => row.PartitionKey.EndsWith("|groups", StringComparison.Ordinal));
        Assert.All(after, row => Assert.Equal(cutoff, At(row)));
    }
}
