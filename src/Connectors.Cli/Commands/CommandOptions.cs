using System.CommandLine;

namespace Connectors.Cli.Commands;

/// <summary>Options several commands share, so they read the same everywhere.</summary>
internal static class CommandOptions
{
    public static Option<FileInfo> Config() => new("--config", "-c")
    {
        Description = "The config file (YAML).",
        Required = true,
    };

    public static Option<string> Flow() => new("--flow", "-f")
    {
        Description = "The flow's name in the config.",
        Required = true,
    };

    public static Option<FileInfo> State() => new("--state")
    {
        Description = "The state database (SQLite). Default: .connectors/state.db beside the config.",
    };

    public static string StatePath(FileInfo? state, FileInfo config) =>
        state?.FullName ?? Path.Combine(config.DirectoryName ?? ".", ".connectors", "state.db");
}
