using System.Globalization;
using Connectors.Core.State;
using Connectors.Core.Sync;
using Spectre.Console;

namespace Connectors.Cli.Commands;

/// <summary>Renders sync reports as the table a person reads after a run.</summary>
internal static class ReportTable
{
    public static void Write(IAnsiConsole console, IEnumerable<(string Label, SyncReport Report)> runs)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("run").AddColumn("status")
            .AddColumn(new TableColumn("read").RightAligned()).AddColumn(new TableColumn("created").RightAligned())
            .AddColumn(new TableColumn("updated").RightAligned()).AddColumn(new TableColumn("unchanged").RightAligned())
            .AddColumn(new TableColumn("failed").RightAligned()).AddColumn(new TableColumn("API calls source/target").RightAligned())
            .AddColumn(new TableColumn("duration").RightAligned());
        var messages = new List<string>();
        foreach (var (label, report) in runs)
        {
            table.AddRow(
                Markup.Escape(label),
                report.Status switch { RunStatus.Completed => "[green]completed[/]", RunStatus.Incomplete => "[yellow]incomplete[/]", _ => "[red]failed[/]" },
                N(report.Read), N(report.Created), N(report.Updated), N(report.Unchanged),
                report.Failed > 0 ? $"[red]{N(report.Failed)}[/]" : "0",
                $"{N(report.SourceApiCalls)} / {N(report.TargetApiCalls)}",
                $"{report.Duration.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s");
            if (report.Message is not null) messages.Add($"{label}: {report.Message}");
        }
        console.Write(table);
        foreach (var message in messages) console.WriteLine(message);
    }

    public static int ExitCode(SyncReport report) => report.Status switch
    {
        RunStatus.Completed => ExitCodes.Ok,
        RunStatus.Incomplete => ExitCodes.Incomplete,
        _ => ExitCodes.Failed,
    };

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
