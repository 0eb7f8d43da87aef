using System.CommandLine;
using System.Globalization;
using Connectors.Core.State;
using Connectors.State.Sqlite;
using Spectre.Console;

namespace Connectors.Cli.Commands;

/// <summary><c>connectors status [--config FILE | --state FILE] [--flow NAME] [--limit N]</c>: the most recent runs, newest first.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo>("--config", "-c") { Description = "The config file; its state database is read." };
        var state = CommandOptions.State();
        var flow = new Option<string>("--flow", "-f") { Description = "Only this flow's runs." };
        var limit = new Option<int>("--limit", "-n") { Description = "How many runs to list.", DefaultValueFactory = _ => 20 };
        var command = new Command("status", "Lists the most recent runs (syncs, reconciliations, repairs) with their numbers.")
        {
            config, state, flow, limit,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = AnsiConsole.Console;
            var stateFile = parse.GetValue(state);
            var configFile = parse.GetValue(config);
            if (stateFile is null && configFile is null)
            {
                console.MarkupLine("[red]Name the config (--config) or the state database (--state).[/]");
                return ExitCodes.BadConfig;
            }
            var path = stateFile?.FullName ?? CommandOptions.StatePath(null, configFile!);
            if (!File.Exists(path))
            {
                console.WriteLine($"No runs yet: {path} does not exist.");
                return ExitCodes.Ok;
            }
            await using var store = await SqliteSyncStateStore.OpenAsync(new SqliteStateOptions { DatabasePath = path }, cancellationToken);
            var runs = await store.GetRunsAsync(parse.GetValue(flow), Math.Max(1, parse.GetValue(limit)), cancellationToken);
            Write(console, runs);
            return ExitCodes.Ok;
        });
        return command;
    }

    public static void Write(IAnsiConsole console, IReadOnlyList<RunRecord> runs)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("started (UTC)").AddColumn("flow").AddColumn("kind").AddColumn("status")
            .AddColumn(new TableColumn("duration").RightAligned()).AddColumn("numbers");
        foreach (var run in runs)
        {
            table.AddRow(
                run.StartedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                Markup.Escape(run.Flow),
                run.Kind,
                run.Status switch { RunStatus.Completed => "[green]completed[/]", RunStatus.Incomplete => "[yellow]incomplete[/]", _ => "[red]failed[/]" },
                $"{run.Duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s",
                Markup.Escape(Numbers(run)));
        }
        console.Write(table);
        foreach (var run in runs.Where(r => r.Message is not null))
        {
            console.WriteLine($"{run.Flow} {run.StartedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}: {run.Message}");
        }
    }

    private static string Numbers(RunRecord run)
    {
        string[] keys = run.Kind == "reconcile"
            ? ["sourceRecords", "targetRecords", "drift", "inSync", "drifted", "missingInTarget", "missingInSource", "duplicateInTarget", "orphanLink", "credits"]
            : ["read", "created", "updated", "unchanged", "failed", "deferred"];
        return string.Join(", ", keys.Where(run.Counts.ContainsKey).Select(k => $"{k} {run.Counts[k].ToString("N0", CultureInfo.InvariantCulture)}"));
    }
}
