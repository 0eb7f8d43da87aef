using System.Diagnostics;
using System.Globalization;
using Connectors.Core.Http;
using Connectors.Core.Reconciliation;
using Connectors.Core.Records;
using Connectors.Core.State;
using Connectors.Core.Sync;
using Connectors.Shopify;
using Connectors.State.Sqlite;
using Connectors.Zoho;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Newtonsoft.Json.Linq;

namespace Connectors.Benchmarks;

/// <summary>
/// Reconciles N shop customers against N CRM contacts between the two emulators (zero latency, in a
/// process of their own), first at 10,000 and then at 1,000,000 records in the same process, and prints
/// wall time, records per second and the peak resident memory of each run. Targets: the 1M run under two
/// minutes, its peak memory at most 1.5 times the 10k run's.
/// <code>dotnet run -c Release --project bench/Connectors.Benchmarks -- reconcile [10000 1000000]</code>
/// </summary>
internal static class ReconcileBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var sizes = args.Length > 0 ? args.Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : [10_000, 1_000_000];
        var results = new List<(int Size, TimeSpan Wall, long Records, long PeakBytes, ReconcileReport Report)>();
        // The runtime sizes its youngest generation from the CPU caches it finds in sysfs; where they are not listed
        // (some sandboxes and containers) it falls back to a budget so small that collections dominate a run.
        // Said up front, so that every figure below is read with the setting it was measured under.
        var gen0 = Environment.GetEnvironmentVariable("DOTNET_GCgen0size");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"runtime: {Environment.ProcessorCount} cores, CPU cache sizes {(Directory.Exists("/sys/devices/system/cpu/cpu0/cache") ? "listed" : "NOT listed")} in sysfs, DOTNET_GCgen0size {gen0 ?? "unset"}"));
        foreach (var size in sizes)
        {
            results.Add(await RunOnceAsync(size));
        }
        Console.WriteLine();
        Console.WriteLine("size       wall       records/s    peak RSS");
        foreach (var (size, wall, records, peak, _) in results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{size,-10:N0} {wall.TotalSeconds,7:0.0} s  {records / wall.TotalSeconds,11:N0}  {peak / 1024.0 / 1024.0,7:N0} MiB"));
        }
        if (results.Count >= 2)
        {
            var (small, large) = (results[0], results[^1]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"peak memory at {large.Size:N0} / at {small.Size:N0}: {(double)large.PeakBytes / small.PeakBytes:0.00} (target ≤ 1.50); wall at {large.Size:N0}: {large.Wall.TotalSeconds:0.0} s (target < 120 s)"));
        }
        return 0;
    }

    private static async Task<(int, TimeSpan, long, long, ReconcileReport)> RunOnceAsync(int size)
    {
        var folder = Directory.CreateTempSubdirectory("connectors-bench-");
        try
        {
            var linksFile = Path.Combine(folder.FullName, "links.tsv");
            Console.WriteLine($"[{size:N0}] starting the emulators and seeding them…");
            using var emulators = StartEmulators(size, linksFile);
            var line = await emulators.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("The emulators process ended early.");
            var info = JObject.Parse(line);
            // The counts only: the emulators' line also carries their credentials, which are never printed.
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[{size:N0}] seeded {info.Value<long>("customers"):N0} customers, {info.Value<long>("contacts"):N0} contacts ({info.Value<long>("linked"):N0} linked): {info.Value<long>("drifted"):N0} drifted, {info.Value<long>("missing"):N0} missing, {info.Value<long>("extra"):N0} CRM-only"));

            var services = new ServiceCollection().AddSingleton(TimeProvider.System)
                .AddShopifyConnector("shop", new ShopifyOptions { ShopUrl = new Uri(info.Value<string>("shopUrl")!), AccessToken = info.Value<string>("shopToken")!, ApiVersion = "2025-10" });
            services.AddZohoSystem("crm").Configure(o =>
            {
                o.AccountsUrl = o.ApiDomain = o.UploadUrl = new Uri(info.Value<string>("zohoUrl")!);
                o.ClientId = info.Value<string>("clientId")!;
                o.ClientSecret = info.Value<string>("clientSecret")!;
                o.RefreshToken = info.Value<string>("refreshToken")!;
            });
            await using var provider = services.BuildServiceProvider();
            await using var state = await SqliteSyncStateStore.OpenAsync(new SqliteStateOptions { DatabasePath = Path.Combine(folder.FullName, "state.db") }, default);
            await LoadLinksAsync(state, linksFile);

            var meter = provider.GetRequiredService<ApiCallMeter>();
            var run = new ReconcileRun(state, new SyncRun(state, meter, TimeProvider.System, NullLogger<SyncRun>.Instance), meter, TimeProvider.System,
                new ConsoleLog<ReconcileRun>());
            var options = new ReconcileOptions
            {
                // Both sizes read both sides in bulk (the shop through one Shopify bulk operation, the CRM through Zoho
                // bulk read jobs), so that the two runs take the same code path and their peak memories compare the
                // record count alone (a paged read of a million is not possible on the CRM side: Zoho's list API stops at
                // record 100,000; on the shop side it is 4,000 sequential pages).
                BulkAbove = 5_000,
                WorkFolder = Path.Combine(folder.FullName, "work"),
                ReportFolder = Path.Combine(folder.FullName, "reports"),
            };
            var shop = provider.GetShopifyConnector("shop");
            var crm = provider.GetZohoConnector("crm");

            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            using var peak = new PeakMemory();
            using var self = Process.GetCurrentProcess();
            var (ownCpu, emulatorsCpu) = (self.TotalProcessorTime, emulators.TotalProcessorTime);
            var watch = Stopwatch.StartNew();
            var report = await run.RunAsync(BenchFlow.Flow, shop, crm, options, default);
            watch.Stop();
            var peakBytes = peak.Stop();
            self.Refresh();
            emulators.Refresh();
            (ownCpu, emulatorsCpu) = (self.TotalProcessorTime - ownCpu, emulators.TotalProcessorTime - emulatorsCpu);

            var records = report.SourceRecords + report.TargetRecords;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[{size:N0}] {report.Status}: {report.SourceRecords:N0} customers ({report.SourceReadMode}) × {report.TargetRecords:N0} contacts ({report.TargetReadMode}) in {watch.Elapsed.TotalSeconds:0.0} s, {records / watch.Elapsed.TotalSeconds:N0} records/s, peak RSS {peakBytes / 1024.0 / 1024.0:N0} MiB"));
            Console.WriteLine($"[{size:N0}] found: {string.Join(", ", report.Counts.Select(c => $"{c.Key} {c.Value:N0}"))}, drift {report.Drift:N0}; "
                + $"seeded: drifted {info["drifted"]}, missing {info["missing"]}, CRM-only {info["extra"]}");
            // Both processes share the machine's cores: what each used says whose work the wall time is.
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[{size:N0}] CPU time: reconciling {ownCpu.TotalSeconds:0.0} s, emulators {emulatorsCpu.TotalSeconds:0.0} s, of {watch.Elapsed.TotalSeconds * Environment.ProcessorCount:0.0} s on {Environment.ProcessorCount} cores"));
            foreach (var account in report.Calls)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"[{size:N0}] calls to {account.System}: {account.Calls:N0} made, {account.Minimum:N0} needed, ratio {account.Ratio:0.00}, credits {account.Credits:N0}"));
            }
            await emulators.StandardInput.DisposeAsync();
            await emulators.WaitForExitAsync();
            return (size, watch.Elapsed, records, peakBytes, report);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static Process StartEmulators(int size, string linksFile)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("The benchmark cannot find its own executable.");
        var start = new ProcessStartInfo(self)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (self.EndsWith("dotnet", StringComparison.Ordinal)) start.ArgumentList.Add(typeof(ReconcileBenchmark).Assembly.Location);
        foreach (var argument in new[] { "emulators", size.ToString(CultureInfo.InvariantCulture), linksFile }) start.ArgumentList.Add(argument);
        return Process.Start(start) ?? throw new InvalidOperationException("The emulators process did not start.");
    }

    private static async Task LoadLinksAsync(SqliteSyncStateStore state, string linksFile)
    {
        var now = DateTimeOffset.UtcNow;
        var batch = new List<Link>(10_000);
        foreach (var line in File.ReadLines(linksFile))
        {
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            batch.Add(new Link(BenchFlow.Flow.Name, line[..tab], line[(tab + 1)..], new Fingerprint("bench"), now));
            if (batch.Count < 10_000) continue;
            await state.CommitAsync(new StateCommit(BenchFlow.Flow.Name, batch, [], null), default);
            batch.Clear();
        }
        if (batch.Count > 0) await state.CommitAsync(new StateCommit(BenchFlow.Flow.Name, batch, [], null), default);
    }

    /// <summary>
    /// The peak resident set size of this process while it is alive: the kernel's high-water mark (VmHWM),
    /// reset at the start through <c>/proc/self/clear_refs</c>, and sampled as a fallback where that is not possible.
    /// </summary>
    private sealed class PeakMemory : IDisposable
    {
        private readonly Timer _timer;
        private readonly bool _reset;
        private long _sampled;

        public PeakMemory()
        {
            try
            {
                File.WriteAllText("/proc/self/clear_refs", "5");
                _reset = true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _reset = false;
            }
            _timer = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(50));
        }

        public long Stop()
        {
            _timer.Dispose();
            Sample();
            return _reset && HighWaterMark() is { } hwm ? Math.Max(hwm, _sampled) : _sampled;
        }

        public void Dispose() => _timer.Dispose();

        private void Sample()
        {
            using var self = Process.GetCurrentProcess();
            var rss = self.WorkingSet64;
            long current;
            do
            {
                current = Interlocked.Read(ref _sampled);
            }
            while (rss > current && Interlocked.CompareExchange(ref _sampled, rss, current) != current);
        }

        private static long? HighWaterMark()
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? null : long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }
    }
}
