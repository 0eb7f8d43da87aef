using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Azure.Storage.Queues;
using Connectors.Functions.Hosting;
using Connectors.Functions.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Connectors.Functions.Tests.EndToEnd;

/// <summary>
/// Three <c>connectors serve</c> processes — real child processes of the built CLI — on one Azurite
/// queue, one of them killed with SIGKILL while it works.
/// </summary>
public sealed class ScaleOutTests(AzuriteFixture azurite) : IAsyncLifetime
{
    // A claim of a taker killed between claiming and queueing runs out after this; then a retry takes the event over.
    private static readonly TimeSpan ClaimTimeout = TimeSpan.FromSeconds(5);

    private readonly List<Process> _processes = [];
    private readonly QueueDrains _drains = new();
    private ShopToCrm _world = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await azurite.EnsureStartedAsync();
        _world = await ShopToCrm.StartAsync(TimeProvider.System, Token);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            if (!process.HasExited) process.Kill();
            await process.WaitForExitAsync(CancellationToken.None);
            process.Dispose();
        }
        await _world.DisposeAsync();
    }

    private async Task<(Process Process, Uri Address)> StartServeAsync(string queue, string tablePrefix, int index)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "connectors.dll"));
        foreach (var argument in new[] { "serve", "--config", _world.ConfigPath, "--port", "0", "--state", Path.Combine(_world.Folder, $"unused-{index}.db") })
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in _world.Environment) start.Environment[name] = value;
        start.Environment["ConnectorsStorage"] = azurite.ConnectionString;
        start.Environment["ConnectorsQueueName"] = queue;
        start.Environment["ConnectorsTablePrefix"] = tablePrefix;
        start.Environment["ConnectorsMaxPollingInterval"] = "00:00:00.200";
        start.Environment["ConnectorsVisibilityTimeout"] = "00:00:00";
        // A killed process's messages come back after this long and are handled by the others.
        start.Environment["ConnectorsMessageLease"] = "00:00:10";
        start.Environment["ConnectorsBatchSize"] = "32";
        start.Environment["ConnectorsWebhookClaimTimeout"] = ClaimTimeout.ToString();
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start connectors serve");
        _processes.Add(process);
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        while (await process.StandardOutput.ReadLineAsync(Token).AsTask().WaitAsync(TimeSpan.FromSeconds(60), Token) is { } line)
        {
            if (line.StartsWith("Listening on ", StringComparison.Ordinal))
            {
                // Keep reading its output, so that the child never blocks on a full pipe, and watch it say when it drained the queue.
                _ = Task.Run(async () =>
                {
                    while (await process.StandardOutput.ReadLineAsync(CancellationToken.None) is { } output) _drains.Observe(output);
                });
                return (process, new Uri(line["Listening on ".Length..]));
            }
        }
        throw new InvalidOperationException($"connectors serve exited with {process.ExitCode} before listening");
    }

    [Fact]
    public async Task ThreeServeProcesses_FiveThousandDeliveries_OneKilledMidBatch_ExactFinalStateNothingLostNoDuplicate()
    {
        var queue = TestNames.Queue();
        var prefix = TestNames.Table();
        var customers = _world.Shop.Seed(2_000, seed: 31);
        var deliveries = Deliveries.Make(_world.Shop, customers, total: 5_000, duplicateShare: 0.2, seed: 32);
        var servers = new List<(Process Process, Uri Address)>();
        for (var i = 0; i < 3; i++) servers.Add(await StartServeAsync(queue, prefix, i));
        using var client = new HttpClient();
        var answers = new ConcurrentBag<string>();
        var answered = new DeliveryAnswers();
        var sent = 0;
        var victim = servers[0].Process;
        var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // The one wait on the clock: a claim the victim took but never settled is in force for ClaimTimeout after it was
        // taken, in the children's own time; nothing but time ends it. Awaited once, from the kill, never polled.
        var victimsClaimsRunOut = killed.Task.ContinueWith(_ => Task.Delay(ClaimTimeout, Token), Token, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();

        var delivered = await Signal.WithinAsync(TimeSpan.FromMinutes(4), sending => Parallel.ForEachAsync(deliveries.Select((d, i) => (d, i)),
            new ParallelOptions { MaxDegreeOfParallelism = 24, CancellationToken = sending }, async (item, ct) =>
            {
                if (Interlocked.Increment(ref sent) == 2_500 && !victim.HasExited)
                {
                    // Mid-batch: it has been taking deliveries and working through the queue for a while.
                    victim.Kill();
                    killed.SetResult();
                }
                // A vendor retries a delivery that found no server; so do we, on the next process.
                for (var attempt = 0; ; attempt++)
                {
                    var (process, address) = servers[(item.i + attempt) % servers.Count];
                    if (process.HasExited) continue;
                    try
                    {
                        using var response = await client.SendAsync(_world.Delivery(address, item.d.CustomerId, item.d.EventId, DateTimeOffset.UtcNow), ct);
                        var body = await response.Content.ReadAsStringAsync(ct);
                        if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                        {
                            // Another process holds the event's claim: send it again once that process has answered the event,
                            // or, if the holder may be the killed one, once its claims have run out; as Shopify retries later.
                            if (DeliveryAnswers.IsInProgress(body))
                            {
                                var answer = answered.WhenAnswered(item.d.EventId);
                                await (victimsClaimsRunOut.IsCompleted ? answer : Task.WhenAny(answer, victimsClaimsRunOut)).WaitAsync(ct);
                            }
                            continue;
                        }
                        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                        answers.Add(body);
                        answered.Answered(item.d.EventId);
                        return;
                    }
                    catch (HttpRequestException) when (attempt < 6)
                    {
                    }
                }
            }), Token);
        var expected = customers.Select(c => ShopToCrm.Expected(_world.Shop.FindCustomer(c.Id)!)).ToDictionary(e => e.Email);
        // The CRM's contacts change only through its requests: the condition is checked again as each one is answered.
        var settled = await Signal.WithinAsync(TimeSpan.FromMinutes(4), ct => _world.Crm.RequestLog.WaitUntilAsync(() =>
            _world.Crm.Contacts.All().Count(c => expected.TryGetValue((string)c["Email"]!, out var e) && (string?)c["Last_Name"] == e.Last) == expected.Count, ct), Token);
        await using var storage = HostStorage.Azure(azurite.Account!, queue, prefix, TimeProvider.System, NullLoggerFactory.Instance);
        // Nothing left on the queue, hidden messages included (the victim's come back when their lease runs out): checked
        // each time a serve process says it drained the queue, which it does once it has settled its last message.
        var queueClient = new QueueClient(azurite.ConnectionString, queue, new QueueClientOptions(QueueClientOptions.ServiceVersion.V2026_06_06));
        var left = await Signal.WithinAsync(TimeSpan.FromSeconds(30), ct => _drains.Signal.WaitUntilAsync(
            async () => (await queueClient.GetPropertiesAsync(ct)).Value.ApproximateMessagesCount == 0, ct), Token);

        Assert.True(delivered, "deliveries were still refused as in progress after 4 minutes");
        Assert.True(victim.HasExited);
        Assert.Equal(5_000, answers.Count);
        // 4,000 distinct events. Only the (at most 24) deliveries in flight at the kill may differ: one the victim
        // queued but never answered comes back as a duplicate, one it claimed but never queued is taken over.
        Assert.InRange(answers.Count(a => a.Contains("queued", StringComparison.Ordinal)), 4_000 - 24, 4_000 + 24);
        Assert.Equal(5_000, answers.Count(a => a.Contains("queued", StringComparison.Ordinal) || a.Contains("duplicate", StringComparison.Ordinal)));
        Assert.True(settled, "the CRM did not reach the expected contacts in time");
        var contacts = _world.Crm.Contacts.All();
        Assert.Equal(2_000, contacts.Count);
        Assert.Equal(2_000, contacts.Select(c => (string)c["Email"]!).Distinct().Count());
        Assert.All(contacts, c => Assert.Equal(expected[(string)c["Email"]!].Last, (string?)c["Last_Name"]));
        Assert.True(left, "messages are left on the queue");
        Assert.Empty(await storage.Queue.ReceiveAsync(32, TimeSpan.FromSeconds(1), Token));
        Assert.Empty(await storage.PoisonQueue.ReceiveAsync(32, TimeSpan.FromSeconds(1), Token));
        Assert.Empty(await storage.State.GetDeadLettersAsync(null, Token));
    }
}
