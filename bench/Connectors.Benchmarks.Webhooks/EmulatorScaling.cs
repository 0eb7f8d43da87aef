using System.Diagnostics;
using System.Globalization;
using Connectors.Azure;
using Connectors.Azure.Ledgers;

namespace Connectors.Benchmarks.Webhooks;

/// <summary>
/// How the emulator's cost of a ledger claim grows with the rows its table already holds: groups of 60 new
/// deliveries are claimed into one table until it holds <see cref="Rows"/>, and Azurite's CPU per claimed row is
/// printed for each step of <see cref="Step"/> rows. Table Storage's cost per row does not depend on the table's
/// size; the emulator's does, which is why the benchmark sweeps the ledger between its rounds.
/// </summary>
internal static class EmulatorScaling
{
    private const int Rows = 150_000;
    private const int Step = 30_000;
    private const int Group = 60;

    public static async Task<int> RunAsync(string connection, Process azurite)
    {
        var ledger = new AzureTableDeliveryLedger(AzureStorageAccount.FromConnectionString(connection), "scaling" + Guid.NewGuid().ToString("N")[..10], TimeProvider.System);
        var next = 0;
        try
        {
            while (next < Rows)
            {
                azurite.Refresh();
                var cpu = azurite.TotalProcessorTime;
                var from = next;
                // Four claims at a time, as a busy server's groups overlap their storage calls.
                await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
                {
                    while (Interlocked.Add(ref next, Group) is var end && end <= from + Step)
                    {
                        await ledger.TryClaimAsync("shop", [.. Enumerable.Range(end - Group, Group).Select(i => $"evt-{i}")], TimeSpan.FromMinutes(5), CancellationToken.None);
                    }
                }));
                next = from + Step;
                azurite.Refresh();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"rows {from:N0} to {next:N0}: Azurite {(azurite.TotalProcessorTime - cpu).TotalMicroseconds / Step:N0} µs of CPU a claimed row"));
            }
        }
        finally
        {
            await ledger.DeleteAsync(CancellationToken.None);
        }
        return 0;
    }
}
