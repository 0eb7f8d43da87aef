using Connectors.Azure;
using Connectors.Testing;

[assembly: AssemblyFixture(typeof(Connectors.Functions.Tests.Infrastructure.AzuriteFixture))]

namespace Connectors.Functions.Tests.Infrastructure;

/// <summary>The Azure Storage of the tests that need one (<see cref="AzuriteEmulator"/>), started on first use.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private readonly SemaphoreSlim _starting = new(1, 1);
    private AzuriteEmulator? _emulator;

    /// <summary>The connection string of the emulator's account.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>The account, ready for the types under test.</summary>
    public AzureStorageAccount? Account { get; private set; }

    /// <inheritdoc />
    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    /// <summary>Starts (or finds) the emulator on first use; the tests that need no Azure never wait for it.</summary>
    public async Task EnsureStartedAsync()
    {
        await _starting.WaitAsync();
        try
        {
            if (Account is not null) return;
            _emulator = await AzuriteEmulator.StartOrFindAsync();
            ConnectionString = _emulator.ConnectionString;
            Account = AzureStorageAccount.FromConnectionString(ConnectionString);
        }
        finally
        {
            _starting.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_emulator is not null) await _emulator.DisposeAsync();
    }
}
