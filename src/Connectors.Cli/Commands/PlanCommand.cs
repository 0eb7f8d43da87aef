using System.CommandLine;
using Connectors.Core.Configuration;
using Connectors.Core.Connectors;
using Connectors.Core.Sync;
using Connectors.Functions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;

namespace Connectors.Cli.Commands;

/// <summary>
/// <c>connectors plan --config FILE --flow NAME [--limit N] [--state DB]</c>: a dry run. Reads the records
/// changed since the watermark and shows what a sync would do with each — create, update (field by field,
/// before → after), unchanged, invalid — writing nothing to the target and nothing to state.
/// </summary>
internal static class PlanCommand
{
    public static Command Create()
    {
        var config = CommandOptions.Config();
        var flow = CommandOptions.Flow();
        var state = CommandOptions.State();
        var limit = new Option<int>("--limit", "-n")
        {
            Description = $"The most changed records to read. Default: {SyncPlan.DefaultLimit}.",
            DefaultValueFactory = _ => SyncPlan.DefaultLimit,
        };
        var command = new Command("plan", "Shows what a sync of one flow would do, record by record, without writing anything.")
        {
            config, flow, limit, state,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var configFile = parse.GetValue(config)!;
            return await RunAsync(AnsiConsole.Console, configFile.FullName, CommandOptions.StatePath(parse.GetValue(state), configFile),
                parse.GetValue(flow)!, parse.GetValue(limit), new EnvironmentSecretResolver(), cancellationToken);
        });
        return command;
    }

    /// <summary>Plans the flow and prints the plan; returns the exit code.</summary>
    public static async Task<int> RunAsync(IAnsiConsole console, string configPath, string statePath, string flow, int limit, ISecretResolver secrets,
        CancellationToken cancellationToken)
    {
        if (limit < 1)
        {
            console.WriteLine("--limit must be at least 1.");
            return ExitCodes.BadConfig;
        }
        try
        {
            var loaded = ConfigLoader.Load(configPath, secrets, SystemTypes.DefaultMappings);
            await using var host = ConnectorHost.Build(loaded, statePath, TimeProvider.System, NullLoggerFactory.Instance);
            var plan = await host.PlanAsync(flow, limit, cancellationToken);
            PlanTable.Write(console, plan);
            return ExitCodes.Ok;
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
