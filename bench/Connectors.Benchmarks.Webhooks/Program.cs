// Webhook ingest throughput: signed Shopify deliveries POSTed to the standalone server on loopback by a
// second process (LoadGenerator.cs),
// each verified (HMAC), deduplicated (delivery ledger on Azure Table) and queued (Azure Storage queue),
// all against Azurite. Prints deliveries accepted per second and the ack latency percentiles, then reads
// the queue back and checks that every event was queued and no duplicate was; the queue and tables it
// made are deleted at the end.
//
//   export $(infra/azurite.sh start)     # AZURITE_PID lets the benchmark report Azurite's CPU time too
//   dotnet run -c Release --project bench/Connectors.Benchmarks.Webhooks -- [deliveries a round] [load] [rounds] [keep-ledger]
//   dotnet run -c Release --project bench/Connectors.Benchmarks.Webhooks -- emulator
//
// The load is either a number of connections, each sending its next delivery once the last is answered
// (closed loop, default 128), or a rate such as 5000/s at which deliveries are due whether or not earlier
// ones were answered, as vendors send events when they happen (open loop; latency counts from when a
// delivery was due). The rounds run one after the other on the same server, warmed up until the JIT is
// all but idle; the last line gives their median rate and their worst p99, because this machine's speed
// drifts from minute to minute, and one round says little on its own. `emulator` prints how Azurite's
// cost of a claimed ledger row grows with its table (EmulatorScaling.cs).
//
// AZURITE_CONNECTION_STRING overrides the default UseDevelopmentStorage=true.
using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using Connectors.Benchmarks.Webhooks;
using Newtonsoft.Json.Linq;
using Connectors.Core.Configuration;
using Connectors.Functions;
using Connectors.Azure;
using Connectors.Azure.Ledgers;
using Connectors.Azure.Queue;
using Connectors.Core.Queue;
using Connectors.Functions.Hosting;
using Connectors.Shopify;
using Microsoft.Extensions.Logging.Abstractions;

if (args.Length > 0 && args[0] == "load") return await LoadGenerator.RunAsync(args[1..]);

var connection = Environment.GetEnvironmentVariable("AZURITE_CONNECTION_STRING") is { Length: > 0 } given ? given : "UseDevelopmentStorage=true";
if (args.Length > 0 && args[0] == "emulator")
{
    using var emulator = Process.GetProcessById(int.Parse(Environment.GetEnvironmentVariable("AZURITE_PID") ?? throw new InvalidOperationException("Set AZURITE_PID."), CultureInfo.InvariantCulture));
    return await EmulatorScaling.RunAsync(connection, emulator);
}

var total = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 30_000;
var load = LoadGenerator.Load.Parse(args.Length > 1 ? args[1] : "128");
var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5;
var keepLedger = args.Length > 3 && args[3] == "keep-ledger";
var config = ConfigLoader.Parse("""
    systems:
      shop:
        type: shopify
        settings:
          shopUrl: http://127.0.0.1:9/
          accessToken: unused
          webhookSecret: bench-secret
      crm:
        type: zoho
        settings:
          accountsUrl: http://127.0.0.1:9/
          apiDomain: http://127.0.0.1:9/
          clientId: unused
          clientSecret: unused
          refreshToken: unused
    flows:
      customers-to-crm:
        from: shop.customers
        to: crm.Contacts
        match: [Email]
        webhooks: true
        mapping:
          Email: email
    """, "bench.yaml", new NoSecrets());
var suffix = Guid.NewGuid().ToString("N")[..10];
var settings = new FunctionAppSettings { Port = 0, QueueName = "bench-" + suffix, TablePrefix = "bench" + suffix };
var storage = HostStorage.Choose(new FunctionAppSettings { StorageConnectionString = connection, QueueName = settings.QueueName, TablePrefix = settings.TablePrefix },
    "unused.db", TimeProvider.System, NullLoggerFactory.Instance);
await using var app = FunctionApp.Create(config, storage, settings, TimeProvider.System, NullLoggerFactory.Instance);
await using var server = app.BuildServer(0);
await server.StartAsync();
var address = new Uri(server.Urls.First() + "/api/webhooks/shop");
var ledger = new AzureTableDeliveryLedger(AzureStorageAccount.FromConnectionString(connection), settings.TablePrefix + "Deliveries", TimeProvider.System);

// The emulator's cost of a claimed row grows with the rows its table holds (`-- emulator`: about 95-110 µs a row
// between 30,000 and 90,000 rows, 130-200 µs beyond), which Table Storage's does not. Unless told to keep the ledger, the
// benchmark sweeps it of every delivery taken in so far after the warm-up and after each round, with the
// retention sweep that keeps a production ledger to the last days' deliveries, so that every round meets an
// emulator whose table holds one round, not all the rounds before it.
async Task SweepAsync()
{
    if (!keepLedger) await ledger.SweepAsync(DateTimeOffset.UtcNow, CancellationToken.None);
}

// The deliveries come from a second process (LoadGenerator), as they would from Shopify's machines: one
// that sends prepared bytes over raw keep-alive connections, so that the two cores are the server's as far as possible.
async Task<JObject> SendAsync(int first, int count, LoadGenerator.Load how)
{
    var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
    // The sender is the vendor's machine, not the server: it keeps the workstation collector whatever the server runs.
    start.Environment["DOTNET_gcServer"] = "0";
    if (Environment.ProcessPath!.EndsWith("dotnet", StringComparison.Ordinal)) start.ArgumentList.Add(typeof(Deliveries).Assembly.Location);
    foreach (var argument in new[] { "load", address.ToString(), first.ToString(CultureInfo.InvariantCulture), count.ToString(CultureInfo.InvariantCulture),
        how.Rate is { } rate ? rate.ToString(CultureInfo.InvariantCulture) + "/s" : how.Connections.ToString(CultureInfo.InvariantCulture) }) start.ArgumentList.Add(argument);
    using var sender = Process.Start(start)!;
    var line = await sender.StandardOutput.ReadLineAsync();
    await sender.WaitForExitAsync();
    return line is not null && sender.ExitCode == 0 ? JObject.Parse(line) : throw new InvalidOperationException($"The load generator failed (exit {sender.ExitCode}).");
}

// Warm up: the first calls create the tables and the queue and fill the connection pools, and the runtime
// compiles the hot paths at full optimisation only after they ran a while; until then the JIT takes up to
// half the server's CPU (it took 20,000 deliveries here). Warm-up goes on by chunks until a chunk's deliveries
// leave the JIT all but idle: a server that has run for a minute is measured, not one just started.
const int WarmupChunk = 5_000, MostWarmupChunks = 20, QuietJit = 50;
var warmup = 0;
int jitted;
do
{
    var before = JitInfo.GetCompiledMethodCount();
    warmup += WarmupChunk;
    await SendAsync(-warmup, WarmupChunk, LoadGenerator.Load.Parse("128"));
    jitted = (int)(JitInfo.GetCompiledMethodCount() - before);
}
while (jitted >= QuietJit && warmup < WarmupChunk * MostWarmupChunks);
await SweepAsync();

using var self = Process.GetCurrentProcess();
using var azurite = int.TryParse(Environment.GetEnvironmentVariable("AZURITE_PID"), CultureInfo.InvariantCulture, out var azuritePid) ? Process.GetProcessById(azuritePid) : null;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{total:N0} deliveries a round ({total / 5:N0} duplicates), {rounds} round(s), {load}; {Environment.ProcessorCount} cores; " +
    $"warmed up with {warmup:N0} deliveries, the last {WarmupChunk:N0} of which JIT-compiled {jitted} method(s); " +
    $"tiered PGO {(AppContext.GetData("System.Runtime.TieredPGO") as string == "false" ? "off" : "on")}, " +
    $"thread-pool spin limit {AppContext.GetData("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit") ?? "default"}, " +
    $"{(GCSettings.IsServerGC ? "server" : "workstation")} GC; the ledger {(keepLedger ? "kept" : "swept")} between rounds"));
var rates = new List<double>();
var worstP99 = 0.0;
var failures = 0;
for (var round = 1; round <= rounds; round++)
{
    self.Refresh();
    azurite?.Refresh();
    var (serverCpu, azuriteCpu) = (self.TotalProcessorTime, azurite?.TotalProcessorTime);
    var (serverPaused, serverGen2, serverAllocated) = (GC.GetTotalPauseDuration(), GC.CollectionCount(2), GC.GetTotalAllocatedBytes(precise: true));
    var run = await SendAsync((round - 1) * total, total, load);
    serverAllocated = GC.GetTotalAllocatedBytes(precise: true) - serverAllocated;
    self.Refresh();
    azurite?.Refresh();
    (serverCpu, azuriteCpu) = (self.TotalProcessorTime - serverCpu, azurite?.TotalProcessorTime - azuriteCpu);
    (serverPaused, serverGen2) = (GC.GetTotalPauseDuration() - serverPaused, GC.CollectionCount(2) - serverGen2);
    var seconds = run.Value<double>("seconds");
    var p99 = run.Value<double>("p99");
    rates.Add(total / seconds);
    worstP99 = Math.Max(worstP99, p99);
    failures += run.Value<int>("failures");
    var lateness = load.Rate is null ? "" : string.Create(CultureInfo.InvariantCulture, $" (the sender's own lateness in sending: p99 {run.Value<double>("lagP99"):N1} ms)");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"round {round}: {total / seconds:N0} deliveries/s accepted; ack latency p50 {run.Value<double>("p50"):N1} ms, p99 {p99:N1} ms, max {run.Value<double>("max"):N1} ms{lateness}; " +
        $"{run.Value<int>("failures")} failed; CPU in {seconds:0.0} s: server {serverCpu.TotalSeconds:0.0} s, load generator {run.Value<double>("cpuSeconds"):0.0} s, " +
        $"Azurite {(azuriteCpu is { } a ? $"{a.TotalSeconds:0.0} s" : "not measured (set AZURITE_PID)")}; " +
        $"GC pauses: server {serverPaused.TotalMilliseconds:N0} ms ({serverGen2} gen2), load generator {run.Value<double>("gcPauseMs"):N0} ms; " +
        $"server allocated {serverAllocated / total:N0} B a delivery"));
    await SweepAsync();
}
rates.Sort();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"median of {rounds} round(s): {rates[rounds / 2]:N0} deliveries/s accepted (from {rates[0]:N0} to {rates[^1]:N0}); worst p99 {worstP99:N1} ms; {failures} failed"));
await server.StopAsync();

// What was queued: every record of a new event, and nothing of the duplicates' (their records are their first copies').
var queued = new HashSet<string>(StringComparer.Ordinal);
var messages = 0;
while (await storage.Queue.ReceiveAsync(32, TimeSpan.FromMinutes(10), CancellationToken.None) is { Count: > 0 } received)
{
    messages += received.Count;
    foreach (var message in received) queued.UnionWith(SyncRequest.FromJson(message.Body).RecordIds);
}
var expected = Enumerable.Range(-warmup, rounds * total + warmup).Select(i => Deliveries.CustomerOf(Deliveries.OriginalOf(i))).ToHashSet(StringComparer.Ordinal);
var exact = queued.SetEquals(expected);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"queued: {messages:N0} messages carrying {queued.Count:N0} distinct records, {(exact ? "exactly the records delivered" : "NOT the records delivered")}"));
await ((AzureStorageWorkQueue)storage.Queue).DeleteAsync(CancellationToken.None);
await ledger.DeleteAsync(CancellationToken.None);
return failures == 0 && exact ? 0 : 1;

internal sealed class NoSecrets : ISecretResolver
{
    public string? Resolve(string kind, string name) => null;
}
