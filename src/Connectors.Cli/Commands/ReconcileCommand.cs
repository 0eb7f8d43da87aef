using System.CommandLine;
using System.Globalization;
using Connectors.Core.Configuration;
using Connectors.Core.Connectors;
using Connectors.Core.Reconciliation;
using Connectors.Core.State;
using Connectors.Functions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;

namespace Connectors.Cli.Commands;

/// <summary>
/// <c>connectors reconcile --config FILE [--flow NAME] [--repair]</c>: compares both sides of a flow (or of
/// every flow) in full, writes a JSON and an HTML report, and with <c>--repair</c> fixes what the flow's
/// policies allow.
/// </summary>
internal static class ReconcileCommand
{
    public static Command Create()
    {
        var config = CommandOptions.Config();
        var flow = new Option<string>("--flow", "-f") { Description = "The flow's name in the config. Default: every flow." };
        var repair = new Option<bool>("--repair") { Description = "Fix what the flow's policies allow: create missing, rewrite drifted, relink, flag or delete." };
        var state = CommandOptions.State();
        var reports = new Option<DirectoryInfo>("--reports") { Description = "Where the reports go. Default: .connectors/reports beside the config." };
        var command = new Command("reconcile", "Compares both sides of a flow in full, reports drift, and repairs it with --repair.")
        {
            config, flow, repair, state, reports,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var configFile = parse.GetValue(config)!;
            var console = AnsiConsole.Console;
            try
            {
                var loaded = ConfigLoader.Load(configFile.FullName, new EnvironmentSecretResolver(), SystemTypes.DefaultMappings);
                var statePath = CommandOptions.StatePath(parse.GetValue(state), configFile);
                var reportFolder = parse.GetValue(reports)?.FullName ?? Path.Combine(configFile.DirectoryName ?? ".", ".connectors", "reports");
                var workFolder = Path.Combine(Path.GetDirectoryName(statePath) ?? ".", "reconcile");
                await using var host = ConnectorHost.Build(loaded, statePath, TimeProvider.System, NullLoggerFactory.Instance);
                var flows = parse.GetValue(flow) is { } named ? [named] : host.FlowNames;
                var exit = ExitCodes.Ok;
                foreach (var name in flows)
                {
                    var report = await host.ReconcileAsync(name, parse.GetValue(repair), workFolder, reportFolder, cancellationToken);
                    Write(console, report);
                    exit = Math.Max(exit, ExitCode(report));
                }
                return exit;
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

    /// <summary>Completed with nothing left to fix: 0; drift left: 4; stopped early: 3; failed: 1.</summary>
    public static int ExitCode(ReconcileReport report) => report.Status switch
    {
        RunStatus.Completed when report.Drift == 0 || report.Repair && report.Repairs.Failed == 0 && report.Repairs.Pending == 0 => ExitCodes.Ok,
        RunStatus.Completed => ExitCodes.Drift,
        RunStatus.Incomplete => ExitCodes.Incomplete,
        _ => ExitCodes.Failed,
    };

    private static void Write(IAnsiConsole console, ReconcileReport report)
    {
        var status = report.Status switch { RunStatus.Completed => "[green]completed[/]", RunStatus.Incomplete => "[yellow]incomplete[/]", _ => "[red]failed[/]" };
        console.MarkupLine($"[bold]{Markup.Escape(report.Flow)}[/] {Markup.Escape(report.Source)} → {Markup.Escape(report.Target)}: {status}, "
            + $"{N(report.SourceRecords)} source and {N(report.TargetRecords)} target records, drift [bold]{N(report.Drift)}[/]");
        var table = new Table().Border(TableBorder.Rounded).AddColumn("finding").AddColumn(new TableColumn("records").RightAligned());
        foreach (var classification in Enum.GetValues<Classification>())
        {
            table.AddRow(classification.ToString(), N(report.Count(classification)));
        }
        table.AddRow("Unmapped", N(report.Unmapped));
        console.Write(table);
        if (report.Repair)
        {
            var r = report.Repairs;
            console.WriteLine($"Repairs: created {N(r.Created)}, updated {N(r.Updated)}, links dropped {N(r.Relinked)}, flagged {N(r.Flagged)}, "
                + $"deleted {N(r.Deleted)}, failed {N(r.Failed)}, pending {N(r.Pending)}");
        }
        foreach (var account in report.Calls)
        {
            console.WriteLine($"API calls to {account.System}: {N(account.Calls)} made, {N(account.Minimum)} needed "
                + $"(ratio {account.Ratio.ToString("0.00", CultureInfo.InvariantCulture)}), {N(account.Credits)} credits");
        }
        if (report.Message is not null) console.WriteLine(report.Message);
        console.WriteLine($"Report: {report.HtmlPath}");
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
