using Connectors.Core.Configuration;
using Connectors.Functions;
using Connectors.Functions.Hosting;
using Microsoft.Extensions.Logging;

namespace Connectors.Cli.Commands;

/// <summary>What serve, functions and replay share: the settings from the environment, the storage they name, the app.</summary>
internal static class AppRuntime
{
    public static FunctionApp Build(FileInfo configFile, FileInfo? state, FunctionAppSettings settings, ILoggerFactory logging)
    {
        var config = ConfigLoader.Load(configFile.FullName, new EnvironmentSecretResolver(), SystemTypes.DefaultMappings);
        var storage = HostStorage.Choose(settings, CommandOptions.StatePath(state, configFile), TimeProvider.System, logging);
        try
        {
            return FunctionApp.Create(config, storage, settings, TimeProvider.System, logging);
        }
        catch
        {
            storage.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    public static ILoggerFactory ConsoleLogging() => LoggerFactory.Create(builder => builder
        .AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; })
        .SetMinimumLevel(LogLevel.Information)
        .AddFilter("Microsoft.AspNetCore", LogLevel.Warning)
        .AddFilter("System.Net.Http", LogLevel.Warning));
}
