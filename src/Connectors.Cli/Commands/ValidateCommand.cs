using System.CommandLine;
using Connectors.Core.Configuration;
using Connectors.Core.Resilience;
using Connectors.Functions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;

namespace Connectors.Cli.Commands;

/// <summary>
/// <c>connectors validate --config FILE</c>: checks a config without running anything — every loader,
/// mapping and validation error, and every field against the live metadata of the systems that can be
/// asked (else the connectors' built-in schemas), saying which. Exit 0 when there is no error (warnings,
/// such as custom fields a built-in schema cannot confirm, are listed but do not fail it), 2 with the list.
/// </summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var config = CommandOptions.Config();
        var command = new Command("validate", "Checks a config: every error with its file, line, column, flow and field, against the systems' live field metadata where they can be reached.")
        {
            config,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(AnsiConsole.Console, parse.GetValue(config)!.FullName, new EnvironmentSecretResolver(),
            SystemCatalog.QuickResilience, cancellationToken));
        return command;
    }

    /// <summary>Checks the config at <paramref name="path"/> and prints what was found; returns the exit code.</summary>
    public static async Task<int> RunAsync(IAnsiConsole console, string path, ISecretResolver secrets, ConnectorResilienceOptions resilience,
        CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            console.WriteLine($"{path}:1:1: the config file does not exist.");
            return ExitCodes.BadConfig;
        }
        await using var catalog = new SystemCatalog(TimeProvider.System, NullLoggerFactory.Instance, resilience);
        var report = await ConfigCheck.RunAsync(await File.ReadAllTextAsync(path, cancellationToken), path, secrets, SystemTypes.DefaultMappings,
            catalog, cancellationToken);
        Write(console, report);
        return report.IsClean ? ExitCodes.Ok : ExitCodes.BadConfig;
    }

    private static void Write(IAnsiConsole console, ConfigCheckReport report)
    {
        // One error or warning a line, never wrapped, so that a log can be searched by file:line.
        var lines = console.Profile.Out.Writer;
        console.MarkupLineInterpolated($"[bold]{report.File}[/]: {report.FlowCount} flow(s).");
        foreach (var use in report.Schemas) lines.WriteLine($"  {use}");
        if (report.IsClean)
        {
            console.MarkupLine("[green]No errors.[/]");
        }
        else
        {
            console.MarkupLine($"[red]{report.Errors.Count} error(s):[/]");
            foreach (var error in report.Errors) lines.WriteLine($"  {error}");
        }
        if (report.Warnings.Count == 0) return;
        console.MarkupLine($"[yellow]{report.Warnings.Count} warning(s)[/], which do not fail the check:");
        foreach (var warning in report.Warnings) lines.WriteLine($"  {warning}");
    }
}
