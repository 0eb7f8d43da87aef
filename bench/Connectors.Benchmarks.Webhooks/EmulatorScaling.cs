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
        try
        {
            for (var from = 0; from < Rows; from += Step)
            {
                azurite.Refresh();
                var cpu = azurite.TotalProcessorTime;
                // Four claims at a time, as a busy server's groups overlap their storage calls.
                await Parallel.ForEachAsync(Enumerable.Range(0, Step / Group), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (group, ct) =>
                {
                    var first = from + group * Group;
                    await ledger.TryClaimAsync("shop", [.. Enumerable.Range(first, Group).Select(i => $"evt-{i}")], TimeSpan.FromMinutes(5), ct);
                });
                azurite.Refresh();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"rows {from:N0} to {from + Step:N0}: Azurite {(azurite.TotalProcessorTime - cpu).TotalMicroseconds / Step:N0} µs of CPU a claimed row"));
            }
        }
        finally
        {
            await ledger.DeleteAsync(CancellationToken.None);
        }
        return 0;
    }
}
