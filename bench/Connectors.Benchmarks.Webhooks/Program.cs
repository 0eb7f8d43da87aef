// Webhook ingest throughput: signed Shopify deliveries POSTed to the standalone server on loopback,
// each verified (HMAC), deduplicated (delivery ledger on Azure Table) and queued (Azure Storage queue),
// all against Azurite. Prints deliveries accepted per second and the ack latency percentiles, then reads
// the queue back and checks that every event was queued and no duplicate was; the queue and tables it
// made are deleted at the end.
//
//   infra/azurite.sh start
//   dotnet run -c Release --project bench/Connectors.Benchmarks.Webhooks -- [deliveries] [concurrency]
//
// AZURITE_CONNECTION_STRING overrides the default UseDevelopmentStorage=true.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Connectors.Core.Configuration;
using Connectors.Functions;
using Connectors.Azure;
using Connectors.Azure.Ledgers;
using Connectors.Azure.Queue;
using Connectors.Core.Queue;
using Connectors.Functions.Hosting;
using Connectors.Shopify;
using Microsoft.Extensions.Logging.Abstractions;

var total = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
var concurrency = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 64;
var connection = Environment.GetEnvironmentVariable("AZURITE_CONNECTION_STRING") is { Length: > 0 } given ? given : "UseDevelopmentStorage=true";
const string Secret = "bench-secret";

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

// One delivery in five repeats the one before it (same event, same body): a duplicate, acknowledged and not queued.
static int OriginalOf(int i) => i % 5 == 4 ? i - 1 : i;
static string EventOf(int i) => $"evt-{OriginalOf(i)}";
static string CustomerOf(int i) => (7_100_000_000_000 + i % 50_000).ToString(CultureInfo.InvariantCulture);

using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency });
HttpRequestMessage Delivery(int i)
{
    var body = Encoding.UTF8.GetBytes($$"""{"id":{{CustomerOf(OriginalOf(i))}},"email":"c{{OriginalOf(i)}}@example.com"}""");
    var request = new HttpRequestMessage(HttpMethod.Post, address) { Content = new ByteArrayContent(body) };
    request.Headers.Add(ShopifyWebhooks.HmacHeader, ShopifyWebhooks.Sign(body, Secret));
    request.Headers.Add(ShopifyWebhooks.TopicHeader, "customers/update");
    request.Headers.Add(ShopifyWebhooks.ShopDomainHeader, "bench.myshopify.com");
    request.Headers.Add(ShopifyWebhooks.EventIdHeader, EventOf(i));
    request.Headers.Add(ShopifyWebhooks.TriggeredAtHeader, DateTimeOffset.UtcNow.ToString("o", CultureInfo.InvariantCulture));
    return request;
}

// Warm up: the first calls create the tables and the queue and fill the connection pools.
for (var i = 0; i < 200; i++) (await client.SendAsync(Delivery(-1 - i * 5))).Dispose();

var latencies = new double[total];
var failures = 0;
var clock = Stopwatch.StartNew();
await Parallel.ForEachAsync(Enumerable.Range(0, total), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
{
    while (true)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await client.SendAsync(Delivery(i), ct);
        latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if ((int)response.StatusCode == 503) continue;
        if (!response.IsSuccessStatusCode) Interlocked.Increment(ref failures);
        return;
    }
});
clock.Stop();
Array.Sort(latencies);
double Percentile(double p) => latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(p * latencies.Length) - 1)];
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{total:N0} deliveries ({total / 5:N0} duplicates), {concurrency} concurrent, {Environment.ProcessorCount} cores: {total / clock.Elapsed.TotalSeconds:N0} deliveries/s accepted; ack latency p50 {Percentile(0.50):N1} ms, p99 {Percentile(0.99):N1} ms, max {latencies[^1]:N1} ms; {failures} failed"));
await server.StopAsync();

// What was queued: every record of a new event, and nothing of the duplicates' (their records are their first copies').
var queued = new HashSet<string>(StringComparer.Ordinal);
var messages = 0;
while (await storage.Queue.ReceiveAsync(32, TimeSpan.FromMinutes(10), CancellationToken.None) is { Count: > 0 } received)
{
    messages += received.Count;
    foreach (var message in received) queued.UnionWith(SyncRequest.FromJson(message.Body).RecordIds);
}
var expected = Enumerable.Range(0, total).Select(i => CustomerOf(OriginalOf(i))).Concat(Enumerable.Range(0, 200).Select(i => CustomerOf(-1 - i * 5))).ToHashSet(StringComparer.Ordinal);
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
