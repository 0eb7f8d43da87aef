using System.CommandLine;
using Connectors.Functions.Hosting;
using Connectors.Core.Configuration;
using Connectors.Core.Connectors;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;

namespace Connectors.Cli.Commands;

/// <summary><c>connectors sync --config FILE --flow NAME</c>: runs one flow once against whatever the config names.</summary>
internal static class SyncCommand
{
    public static Command Create()
    {
        var config = CommandOptions.Config();
        var flow = CommandOptions.Flow();
        var state = CommandOptions.State();
        var command = new Command("sync", "Runs one flow once: reads what changed since the last run and writes it to the target.")
        {
            config, flow, state,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var configFile = parse.GetValue(config)!;
            var console = AnsiConsole.Console;
            try
            {
                var loaded = ConfigLoader.Load(configFile.FullName, new EnvironmentSecretResolver(), SystemTypes.DefaultMappings);
                await using var host = ConnectorHost.Build(loaded, CommandOptions.StatePath(parse.GetValue(state), configFile),
                    TimeProvider.System, NullLoggerFactory.Instance);
                var name = parse.GetValue(flow)!;
                if (host.IsTwoWay(name))
                {
                    var twoWay = await RunWithProgress.SyncTwoWayAsync(console, host, name, cancellationToken);
                    var sides = loaded.Flow(name);
                    TwoWayTable.Write(console, [(twoWay.Flow, twoWay)], sides.From.System, sides.To.System);
                    return TwoWayTable.ExitCode(twoWay);
                }
                var report = await RunWithProgress.SyncAsync(console, host, name, cancellationToken);
                ReportTable.Write(console, [(report.Flow, report)]);
                return ReportTable.ExitCode(report);
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
        });
        return command;
    }
}
