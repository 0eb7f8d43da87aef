using System.CommandLine;
using System.ComponentModel.DataAnnotations;
using Connectors.Core.Configuration;
using Connectors.Functions.Hosting;

namespace Connectors.Cli.Commands;

/// <summary>
/// <c>connectors functions</c>: the custom handler the Azure Functions host starts (host.json). It serves
/// the invocation protocol on <c>FUNCTIONS_CUSTOMHANDLER_PORT</c>; the host owns the triggers.
/// </summary>
internal static class FunctionsCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo>("--config", "-c")
        {
            Description = "The config file. Default: ConnectorsConfig, else connectors.yaml in the working directory.",
            DefaultValueFactory = _ => new FileInfo(Environment.GetEnvironmentVariable("ConnectorsConfig") is { Length: > 0 } path ? path : "connectors.yaml"),
        };
        var state = CommandOptions.State();
        var command = new Command("functions", "Runs as the Azure Functions custom handler (started by the Functions host).") { config, state };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var logging = AppRuntime.ConsoleLogging();
            try
            {
                var settings = FunctionAppSettings.FromEnvironment(Environment.GetEnvironmentVariable);
                await using var app = AppRuntime.Build(parse.GetValue(config)!, parse.GetValue(state), settings, logging);
                await using var server = app.BuildServer(settings.Port);
                await server.StartAsync(cancellationToken);
                Console.WriteLine($"Listening on {server.Urls.First()}");
                await Task.Delay(Timeout.Infinite, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
                await server.StopAsync(CancellationToken.None);
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
