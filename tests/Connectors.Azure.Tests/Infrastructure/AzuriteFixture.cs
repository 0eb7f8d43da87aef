using Connectors.Azure;
using Connectors.Testing;

[assembly: AssemblyFixture(typeof(Connectors.Azure.Tests.Infrastructure.AzuriteFixture))]

namespace Connectors.Azure.Tests.Infrastructure;

/// <summary>The Azure Storage these tests run against (<see cref="AzuriteEmulator"/>), for the whole assembly.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteEmulator? _emulator;

    /// <summary>The connection string of the emulator's account.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>The account, ready for the types under test.</summary>
    public AzureStorageAccount Account { get; private set; } = null!;

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        _emulator = await AzuriteEmulator.StartOrFindAsync();
        ConnectionString = _emulator.ConnectionString;
        Account = AzureStorageAccount.FromConnectionString(ConnectionString);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_emulator is not null) await _emulator.DisposeAsync();
    }
}
