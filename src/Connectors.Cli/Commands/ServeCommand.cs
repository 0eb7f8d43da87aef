using System.CommandLine;
using System.ComponentModel.DataAnnotations;
using Connectors.Core.Configuration;
using Connectors.Functions.Hosting;
using Connectors.Functions.Standalone;

namespace Connectors.Cli.Commands;

/// <summary>
/// <c>connectors serve --config FILE</c>: the function app without the Functions host — webhooks on
/// <c>/api/webhooks/{system}</c>, a queue listener and the timers. On Azure Storage when
/// <c>ConnectorsStorage</c> is set (any number of serve processes may share its queue), else on SQLite
/// files beside the state database.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var config = CommandOptions.Config();
        var state = CommandOptions.State();
        var port = new Option<int?>("--port") { Description = $"The loopback port to listen on. Default: {FunctionAppSettings.PortVariable}, else {FunctionAppSettings.DefaultPort}; 0 picks a free one." };
        var command = new Command("serve", "Runs the function app standalone: webhook endpoint, queue worker and timers.") { config, state, port };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var logging = AppRuntime.ConsoleLogging();
            try
            {
                var settings = FunctionAppSettings.FromEnvironment(Environment.GetEnvironmentVariable);
                if (parse.GetValue(port) is { } chosen) settings.Port = chosen;
                await using var app = AppRuntime.Build(parse.GetValue(config)!, parse.GetValue(state), settings, logging);
                Console.Error.WriteLine($"connectors serve: storage {app.Storage.Description}");
                // The address line is what a supervisor (or a test) waits for.
                await StandaloneHost.RunAsync(app, address => Console.WriteLine($"Listening on {address}"), cancellationToken);
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
}
