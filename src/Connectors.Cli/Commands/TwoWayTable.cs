using System.Globalization;
using Connectors.Core.Conflicts;
using Connectors.Core.State;
using Connectors.Core.Sync.TwoWay;
using Spectre.Console;

namespace Connectors.Cli.Commands;

/// <summary>Renders two-way reports and waiting conflicts as the tables a person reads.</summary>
internal static class TwoWayTable
{
    public static void Write(IAnsiConsole console, IEnumerable<(string Label, TwoWayReport Report)> runs, string left, string right)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("run").AddColumn("status")
            .AddColumn(new TableColumn($"read {left}/{right}").RightAligned())
            .AddColumn(new TableColumn($"created {left}/{right}").RightAligned())
            .AddColumn(new TableColumn($"updated {left}/{right}").RightAligned())
            .AddColumn(new TableColumn("unchanged").RightAligned()).AddColumn(new TableColumn("matched").RightAligned())
            .AddColumn(new TableColumn("conflicts").RightAligned()).AddColumn(new TableColumn("resolved").RightAligned())
            .AddColumn(new TableColumn("failed").RightAligned()).AddColumn(new TableColumn($"API calls {left}/{right}").RightAligned());
        var notes = new List<string>();
        foreach (var (label, report) in runs)
        {
            table.AddRow(
                Markup.Escape(label),
                report.Status switch { RunStatus.Completed => "[green]completed[/]", RunStatus.Incomplete => "[yellow]incomplete[/]", _ => "[red]failed[/]" },
                $"{N(report.ReadLeft)} / {N(report.ReadRight)}",
                $"{N(report.CreatedLeft)} / {N(report.CreatedRight)}",
                $"{N(report.UpdatedLeft)} / {N(report.UpdatedRight)}",
                N(report.Unchanged), N(report.Matched),
                report.Conflicts > 0 ? $"[yellow]{N(report.Conflicts)}[/]" : "0",
                N(report.Resolved),
                report.Failed > 0 ? $"[red]{N(report.Failed)}[/]" : "0",
                $"{N(report.LeftApiCalls)} / {N(report.RightApiCalls)}");
            if (report.Message is not null) notes.Add($"{label}: {report.Message}");
            notes.AddRange(report.Reported.Select(r => $"{label}: {r.Record} {r.Reason}"));
        }
        console.Write(table);
        foreach (var note in notes) console.WriteLine(note);
    }

    public static void WriteConflicts(IAnsiConsole console, IReadOnlyList<Conflict> conflicts)
    {
        if (conflicts.Count == 0)
        {
            console.MarkupLine("No conflicts are waiting.");
            return;
        }
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("id").AddColumn("flow").AddColumn("left record").AddColumn("right record").AddColumn("fields in conflict").AddColumn("parked").AddColumn("decision");
        foreach (var conflict in conflicts)
        {
            table.AddRow(Markup.Escape(conflict.Id), Markup.Escape(conflict.Flow), Markup.Escape(conflict.LeftId), Markup.Escape(conflict.RightId),
                Markup.Escape(string.Join(", ", conflict.ConflictingFields)), conflict.ParkedAt.ToString("u", CultureInfo.InvariantCulture),
                conflict.Decision is { } d ? $"take {d.Take.ToString().ToLowerInvariant()}, not applied yet" : "-");
        }
        console.Write(table);
    }

    public static void WriteConflict(IAnsiConsole console, Conflict conflict, string left, string right)
    {
        console.MarkupLineInterpolated($"Conflict [bold]{conflict.Id}[/] in flow [blue]{conflict.Flow}[/]: {left} record {conflict.LeftId} ⇄ {right} record {conflict.RightId}, parked {conflict.ParkedAt:u}.");
        var table = new Table().Border(TableBorder.Rounded).AddColumn("field").AddColumn("last synced").AddColumn(left).AddColumn(right).AddColumn("");
        foreach (var field in conflict.Fields)
        {
            table.AddRow(Markup.Escape(field.Field), Show(field.Base), Show(field.Left), Show(field.Right),
                field.InConflict ? "[yellow]both changed: decide[/]" : "one side changed");
        }
        console.Write(table);
        console.MarkupLineInterpolated($"Decide with: connectors conflicts resolve {conflict.Id} --take {left}|{right}|merged");
    }

    private static string Show(Newtonsoft.Json.Linq.JToken? value) =>
        value is null ? "[grey](none)[/]" : Markup.Escape(value.Type == Newtonsoft.Json.Linq.JTokenType.String ? (string)value! : value.ToString(Newtonsoft.Json.Formatting.None));

    public static int ExitCode(TwoWayReport report) => report.Status switch
    {
        RunStatus.Completed => ExitCodes.Ok,
        RunStatus.Incomplete => ExitCodes.Incomplete,
        _ => ExitCodes.Failed,
    };

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
