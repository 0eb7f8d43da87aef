using Connectors.Azure.State;
using Connectors.Azure.Tests.Infrastructure;
using Connectors.Core.State;
using Connectors.State.Sqlite.Tests;

namespace Connectors.Azure.Tests.State;

/// <summary>The two-way store contract against Azurite, on tables of a fresh name per fact.</summary>
public sealed class AzureTwoWayStateStoreTests(AzuriteFixture azurite) : TwoWayStateStoreContract
{
    private readonly AzureTableStateOptions _options = new() { TablePrefix = TestNames.Table() };
    private AzureTableSyncStateStore? _first;

    protected override Task<ITwoWayStateStore> OpenStoreAsync(CancellationToken cancellationToken)
    {
        var store = new AzureTableSyncStateStore(azurite.Account, _options);
        _first ??= store;
        return Task.FromResult<ITwoWayStateStore>(store);
    }

    protected override async ValueTask DeleteStorageAsync()
    {
        if (_first is not null) await _first.DeleteAsync(CancellationToken.None);
    }
}
