using System.CommandLine;
using System.ComponentModel.DataAnnotations;
using Connectors.Core.Configuration;
using Connectors.Core.Queue;
using Connectors.Core.Records;
using Connectors.Functions;
using Connectors.Functions.Hosting;

namespace Connectors.Cli.Commands;

/// <summary>
/// <c>connectors replay --config FILE [--flow NAME]</c>: once the cause is fixed, puts what was given up
/// back on the work queue — the messages of <c>&lt;queue&gt;-poison</c> and the records in the dead
/// letters — and clears their dead letters. The worker then syncs them as they are now; what fails again
/// comes back to the dead letters with its new reason.
/// </summary>
internal static class ReplayCommand
{
    public static Command Create()
    {
        var config = CommandOptions.Config();
        var state = CommandOptions.State();
        var flow = new Option<string?>("--flow", "-f") { Description = "Replay only this flow." };
        var command = new Command("replay", "Requeues poisoned messages and dead-lettered records once their cause is fixed.") { config, state, flow };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var logging = AppRuntime.ConsoleLogging();
            try
            {
                var settings = FunctionAppSettings.FromEnvironment(Environment.GetEnvironmentVariable);
                await using var app = AppRuntime.Build(parse.GetValue(config)!, parse.GetValue(state), settings, logging);
                var (messages, records) = await RunAsync(app, parse.GetValue(flow), cancellationToken);
                Console.WriteLine($"Requeued {messages} message(s) from {app.Storage.PoisonQueue.Name} and {records} dead-lettered record(s) onto {app.Storage.Queue.Name}.");
                return ExitCodes.Ok;
            }
            catch (ConfigException e)
            {
                Console.Error.WriteLine("The config has errors:");
                foreach (var error in e.Errors) Console.Error.WriteLine($"  {error}");
                return ExitCodes.BadConfig;
            }
            catch (ValidationException e)
            {
                Console.Error.WriteLine(e.Message);
                return ExitCodes.BadConfig;
            }
        });
        return command;
    }

    /// <summary>Requeues the poison queue's messages and the dead letters (of <paramref name="flowFilter"/>, or all).</summary>
    /// <returns>How many poison messages and how many dead-lettered records were requeued.</returns>
    public static async Task<(int Messages, int Records)> RunAsync(FunctionApp app, string? flowFilter, CancellationToken cancellationToken)
    {
        var storage = app.Storage;
        var now = app.Clock.GetUtcNow();
        var skipped = new List<ReceivedMessage>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var messages = 0;
        while (true)
        {
            var batch = await storage.PoisonQueue.ReceiveAsync(32, TimeSpan.FromMinutes(5), cancellationToken);
            var fresh = batch.Where(m => seen.Add(m.Id)).ToArray();
            if (fresh.Length == 0) break;
            foreach (var message in fresh)
            {
                SyncRequest request;
                try
                {
                    request = SyncRequest.FromJson(message.Body);
                }
                catch (FormatException e)
                {
                    Console.Error.WriteLine($"Message {message.Id} stays in {storage.PoisonQueue.Name}: {e.Message}");
                    skipped.Add(message);
                    continue;
                }
                if (flowFilter is not null && request.Flow != flowFilter)
                {
                    skipped.Add(message);
                    continue;
                }
                // Queued before it leaves the poison queue: a crash in between leaves a duplicate, never a loss.
                await storage.Queue.EnqueueAsync(request with { EventId = request.EventId ?? "replay" }, cancellationToken);
                await storage.PoisonQueue.CompleteAsync(message, cancellationToken);
                await ClearAsync(app, request, cancellationToken);
                messages++;
            }
        }
        foreach (var message in skipped)
        {
            await storage.PoisonQueue.ReturnAsync(message, TimeSpan.Zero, cancellationToken);
        }

        var records = 0;
        var letters = await storage.State.GetDeadLettersAsync(flowFilter, cancellationToken);
        foreach (var flow in letters.GroupBy(l => l.Flow))
        {
            if (!app.Host.Config.Flows.Any(f => f.Name == flow.Key))
            {
                Console.Error.WriteLine($"Dead letters of flow {flow.Key} stay: the config has no such flow.");
                continue;
            }
            foreach (var stream in flow.GroupBy(l => l.Source.Stream))
            {
                var ids = stream.Select(l => l.Source.Id).Distinct(StringComparer.Ordinal).ToArray();
                var named = ids.Where(id => id != "*").ToArray();
                var requests = new List<SyncRequest>();
                if (named.Length > 0) requests.AddRange(new SyncRequest(flow.Key, stream.Key, named, "replay", now).Split(500));
                if (named.Length < ids.Length) requests.Add(new SyncRequest(flow.Key, stream.Key, [], "replay", now));
                await storage.Queue.EnqueueAsync(requests, cancellationToken);
                foreach (var id in ids)
                {
                    await storage.State.DeleteDeadLettersAsync(flow.Key, new RecordKey(stream.Key, id), cancellationToken);
                }
                records += ids.Length;
            }
        }
        return (messages, records);
    }

    private static async Task ClearAsync(FunctionApp app, SyncRequest request, CancellationToken cancellationToken)
    {
        var stream = request.Stream ?? app.Host.Config.Flows.FirstOrDefault(f => f.Name == request.Flow)?.From.ToString();
        if (stream is null) return;
        foreach (var id in request.RecordIds.Count > 0 ? request.RecordIds : ["*"])
        {
            await app.Storage.State.DeleteDeadLettersAsync(request.Flow, new RecordKey(stream, id), cancellationToken);
        }
    }
}
