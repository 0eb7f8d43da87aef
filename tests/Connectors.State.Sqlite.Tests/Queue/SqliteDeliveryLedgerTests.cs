using Connectors.Core.Queue;
using Connectors.State.Sqlite.Ledgers;
using Microsoft.Data.Sqlite;

namespace Connectors.State.Sqlite.Tests.Queue;

public sealed class SqliteDeliveryLedgerTests : DeliveryLedgerContract
{
    private readonly string _folder = Directory.CreateTempSubdirectory("connectors-ledger-tests-").FullName;

    protected override IDeliveryLedger Open() => new SqliteDeliveryLedger(Path.Combine(_folder, "queue.db"), Clock);

    protected override ValueTask DeleteStorageAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return ValueTask.CompletedTask;
    }
}
