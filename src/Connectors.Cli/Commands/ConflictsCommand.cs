using System.CommandLine;
using Connectors.Core.Configuration;
using Connectors.Core.Connectors;
using Connectors.Functions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;

namespace Connectors.Cli.Commands;

/// <summary>
/// <c>connectors conflicts list|show|resolve</c>: the conflict queue of two-way flows. A record both sides
/// changed in a way its flow's policy leaves to a person waits here, and nothing of it is written, until
/// <c>resolve ID --take SYSTEM|merged</c> decides; the decision then syncs at once.
/// </summary>
internal static class ConflictsCommand
{
    public static Command Create()
    {
        var config = CommandOptions.Config();
        var state = CommandOptions.State();
        var flowFilter = new Option<string>("--flow", "-f") { Description = "Only this flow's conflicts." };
        var list = new Command("list", "Lists the conflicts waiting in the config's two-way flows, oldest first.") { config, state, flowFilter };
        list.SetAction((parse, ct) => WithHostAsync(parse.GetValue(config)!, parse.GetValue(state), async (host, console) =>
        {
            var all = new List<Core.Conflicts.Conflict>();
            foreach (var flow in host.TwoWayFlows.Where(f => parse.GetValue(flowFilter) is not { } only || f.Name == only))
            {
                all.AddRange(await host.State.GetConflictsAsync(flow.Name, ct));
            }
            TwoWayTable.WriteConflicts(console, [.. all.OrderBy(c => c.ParkedAt)]);
            return ExitCodes.Ok;
        }));

        var showId = new Argument<string>("id") { Description = "The conflict's id, as listed." };
        var show = new Command("show", "Shows a conflict field by field: the value last synced and each side's value now.") { config, state, showId };
        show.SetAction((parse, ct) => WithHostAsync(parse.GetValue(config)!, parse.GetValue(state), async (host, console) =>
        {
            if (await host.FindConflictAsync(parse.GetValue(showId)!, ct) is not { } conflict) return NotFound(console, parse.GetValue(showId)!);
            var flow = host.Config.Flow(conflict.Flow);
            TwoWayTable.WriteConflict(console, conflict, flow.From.System, flow.To.System);
            return ExitCodes.Ok;
        }));

        var resolveId = new Argument<string>("id") { Description = "The conflict's id, as listed." };
        var take = new Option<string>("--take")
        {
            Description = "Whose values win the conflicting fields: a system of the flow (for example crm or erp), or merged (each field to its owner, else the newer side).",
            Required = true,
        };
        var resolve = new Command("resolve", "Decides a conflict and syncs the decision at once.") { config, state, resolveId, take };
        resolve.SetAction((parse, ct) => WithHostAsync(parse.GetValue(config)!, parse.GetValue(state), async (host, console) =>
        {
            var id = parse.GetValue(resolveId)!;
            if (await host.ResolveConflictAsync(id, parse.GetValue(take)!, TimeProvider.System, ct) is not { } done) return NotFound(console, id);
            var flow = host.Config.Flow(done.Conflict.Flow);
            console.MarkupLineInterpolated($"Conflict {id} decided ({parse.GetValue(take)}); flow {flow.Name} ran to apply it:");
            TwoWayTable.Write(console, [("resolve " + id, done.Report)], flow.From.System, flow.To.System);
            return TwoWayTable.ExitCode(done.Report);
        }));

        return new Command("conflicts", "The conflict queue of two-way flows: list, show, resolve.") { list, show, resolve };
    }

    private static int NotFound(IAnsiConsole console, string id)
    {
        console.MarkupLineInterpolated($"[red]No conflict {id} is waiting[/] (it may have been resolved, or gone away when a side changed again).");
        return ExitCodes.Failed;
    }

    private static async Task<int> WithHostAsync(FileInfo configFile, FileInfo? state, Func<ConnectorHost, IAnsiConsole, Task<int>> action)
    {
        var console = AnsiConsole.Console;
        try
        {
            var loaded = ConfigLoader.Load(configFile.FullName, new EnvironmentSecretResolver(), SystemTypes.DefaultMappings);
            await using var host = ConnectorHost.Build(loaded, CommandOptions.StatePath(state, configFile), TimeProvider.System, NullLoggerFactory.Instance);
            return await action(host, console);
        }
        catch (ConfigException e)
        {
            console.MarkupLine("[red]The config has errors:[/]");
            foreach (var error in e.Errors) console.WriteLine($"  {error}");
            return ExitCodes.BadConfig;
        }
        catch (ConnectorException e)
        {
            console.MarkupLineInterpolated($"[red]{e.Code}:[/] {e.Message}");
            return ExitCodes.Failed;
        }
    }
}
