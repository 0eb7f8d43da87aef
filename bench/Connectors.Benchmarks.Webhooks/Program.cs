// Webhook ingest throughput: signed Shopify deliveries POSTed to the standalone server on loopback by a
// second process (LoadGenerator.cs),
// each verified (HMAC), deduplicated (delivery ledger on Azure Table) and queued (Azure Storage queue),
// all against Azurite. Prints deliveries accepted per second and the ack latency percentiles, then reads
// the queue back and checks that every event was queued and no duplicate was; the queue and tables it
// made are deleted at the end.
//
//   export $(infra/azurite.sh start)     # AZURITE_PID lets the benchmark report Azurite's CPU time too
//   dotnet run -c Release --project bench/Connectors.Benchmarks.Webhooks -- [deliveries a round] [concurrency] [warm-up deliveries] [rounds]
//
// The rounds run one after the other on the same warmed server; the last line gives their median rate and
// their worst p99, because this machine's speed drifts by a fifth from minute to minute (no steal is shown,
// but Azurite's CPU for the same work moves as much), and one round says little on its own.
//
// AZURITE_CONNECTION_STRING overrides the default UseDevelopmentStorage=true.
using System.Diagnostics;
using System.Globalization;
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

var total = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
var concurrency = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 64;
var warmup = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10_000;
var rounds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 3;
var connection = Environment.GetEnvironmentVariable("AZURITE_CONNECTION_STRING") is { Length: > 0 } given ? given : "UseDevelopmentStorage=true";

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

// The deliveries come from a second process (LoadGenerator), as they would from Shopify's machines: one
// that sends prepared bytes over raw keep-alive connections, so that the two cores are the server's as far as possible.
async Task<JObject> SendAsync(int first, int count)
{
    var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
    if (Environment.ProcessPath!.EndsWith("dotnet", StringComparison.Ordinal)) start.ArgumentList.Add(typeof(Deliveries).Assembly.Location);
    foreach (var argument in new[] { "load", address.ToString(), first.ToString(CultureInfo.InvariantCulture), count.ToString(CultureInfo.InvariantCulture),
        concurrency.ToString(CultureInfo.InvariantCulture) }) start.ArgumentList.Add(argument);
    using var sender = Process.Start(start)!;
    var line = await sender.StandardOutput.ReadLineAsync();
    await sender.WaitForExitAsync();
    return line is not null && sender.ExitCode == 0 ? JObject.Parse(line) : throw new InvalidOperationException($"The load generator failed (exit {sender.ExitCode}).");
}

// Warm up: the first calls create the tables and the queue and fill the connection pools, and the runtime
// compiles the hot paths at full optimisation only after they ran a while; until then the JIT takes up to
// half the server's CPU. A server that has run for a minute is measured, not one just started.
await SendAsync(-warmup, warmup);

using var self = Process.GetCurrentProcess();
using var azurite = int.TryParse(Environment.GetEnvironmentVariable("AZURITE_PID"), CultureInfo.InvariantCulture, out var azuritePid) ? Process.GetProcessById(azuritePid) : null;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{total:N0} deliveries a round ({total / 5:N0} duplicates), {rounds} round(s) after {warmup:N0} to warm up, {concurrency} concurrent, {Environment.ProcessorCount} cores, " +
    $"tiered PGO {(AppContext.GetData("System.Runtime.TieredPGO") as string == "false" ? "off" : "on")}, " +
    $"thread-pool spin limit {AppContext.GetData("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit") ?? "default"}"));
var rates = new List<double>();
var worstP99 = 0.0;
var failures = 0;
for (var round = 1; round <= rounds; round++)
{
    self.Refresh();
    azurite?.Refresh();
    var (serverCpu, azuriteCpu) = (self.TotalProcessorTime, azurite?.TotalProcessorTime);
    var run = await SendAsync((round - 1) * total, total);
    self.Refresh();
    azurite?.Refresh();
    (serverCpu, azuriteCpu) = (self.TotalProcessorTime - serverCpu, azurite?.TotalProcessorTime - azuriteCpu);
    var seconds = run.Value<double>("seconds");
    var p99 = run.Value<double>("p99");
    rates.Add(total / seconds);
    worstP99 = Math.Max(worstP99, p99);
    failures += run.Value<int>("failures");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"round {round}: {total / seconds:N0} deliveries/s accepted; ack latency p50 {run.Value<double>("p50"):N1} ms, p99 {p99:N1} ms, max {run.Value<double>("max"):N1} ms; " +
        $"{run.Value<int>("failures")} failed; CPU in {seconds:0.0} s: server {serverCpu.TotalSeconds:0.0} s, load generator {run.Value<double>("cpuSeconds"):0.0} s, " +
        $"Azurite {(azuriteCpu is { } a ? $"{a.TotalSeconds:0.0} s" : "not measured (set AZURITE_PID)")}"));
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
await new AzureTableDeliveryLedger(AzureStorageAccount.FromConnectionString(connection), settings.TablePrefix + "Deliveries", TimeProvider.System).DeleteAsync(CancellationToken.None);
return failures == 0 && exact ? 0 : 1;

internal sealed class NoSecrets : ISecretResolver
{
    public string? Resolve(string kind, string name) => null;
}
