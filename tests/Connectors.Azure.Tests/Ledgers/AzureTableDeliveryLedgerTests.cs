using Connectors.Azure.Ledgers;
using Connectors.Azure.Tests.Infrastructure;
using Connectors.Core.Queue;
using Connectors.State.Sqlite.Tests.Queue;

namespace Connectors.Azure.Tests.Ledgers;

public sealed class AzureTableDeliveryLedgerTests(AzuriteFixture azurite) : DeliveryLedgerContract
{
    private readonly string _table = TestNames.Table();

    protected override IDeliveryLedger Open() => new AzureTableDeliveryLedger(azurite.Account, _table, Clock);

    protected override async ValueTask DeleteStorageAsync() =>
        await new AzureTableDeliveryLedger(azurite.Account, _table, Clock).DeleteAsync(CancellationToken.None);
}
