using System.Globalization;
using Connectors.Core.Sync;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Spectre.Console;

namespace Connectors.Cli.Commands;

/// <summary>Renders a plan as the table a person reads before running a sync: one row per record, then the totals.</summary>
internal static class PlanTable
{
    public static void Write(IAnsiConsole console, PlanReport plan)
    {
        var since = plan.Since.Modified is { } at ? $"changed since {at.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture)}" : "all records (the flow never ran)";
        console.WriteLine($"Plan for flow {plan.Flow} ({plan.From} → {plan.To}): {plan.Records.Count} record(s), {since}. Nothing is written to {plan.To.System} or to state.");
        var table = new Table().Border(TableBorder.Rounded).AddColumn("record").AddColumn("action").AddColumn("what a sync would do");
        foreach (var record in plan.Records)
        {
            var (action, details) = record switch
            {
                PlannedRecord.Create create => ("[green]create[/]", string.Join("\n", create.Payload.Properties().Select(p => $"{p.Name} = {Show(p.Value)}"))),
                PlannedRecord.Update update => ("[yellow]update[/]", Changes(update)),
                PlannedRecord.Unchanged same => ("unchanged", $"same as last written to {same.TargetId}; no call"),
                PlannedRecord.Invalid invalid => ("[red]invalid[/]", $"{invalid.Code}: {invalid.Message}"),
                _ => ("?", ""),
            };
            table.AddRow(new Text(record.Source.Id), new Markup(action), new Text(details));
        }
        console.Write(table);
        console.WriteLine($"Totals: {plan.Creates} to create, {plan.Updates} to update, {plan.Unchanged} unchanged, {plan.Invalid} invalid.");
        if (plan.Creates > 0) console.WriteLine("A create is sent by the flow's match fields, so a target record that already has the same values is updated instead.");
        if (plan.ReachedLimit) console.WriteLine($"Stopped at the limit of {plan.Limit} record(s); more changed records may follow (--limit).");
        if (!plan.TargetReadable) console.WriteLine($"{plan.To.System} cannot be read, so updates show the values to be written, not the ones they replace.");
    }

    private static string Changes(PlannedRecord.Update update)
    {
        var lines = new List<string> { $"→ {update.TargetId}" };
        if (update.Changes.Count == 0) lines.Add("(the target already holds these values; the fields are sent again)");
        lines.AddRange(update.Changes.Select(c => c.BeforeRead
            ? $"{c.Field}: {Show(c.Before)} → {Show(c.After)}"
            : $"{c.Field}: (not read) → {Show(c.After)}"));
        if (!update.TargetRead) lines.Add("(the target record's current version could not be read)");
        return string.Join("\n", lines);
    }

    private static string Show(JToken? value) => value switch
    {
        null => "(none)",
        JValue { Type: JTokenType.String } text => $"'{(string)text!}'",
        JValue scalar => scalar.ToString(Formatting.None),
        _ => value.ToString(Formatting.None),
    };
}
