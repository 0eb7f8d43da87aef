using System.Globalization;
using System.Net;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;
using Newtonsoft.Json.Serialization;

namespace Connectors.Core.Reconciliation;

/// <summary>
/// Writes a reconciliation's report twice: as JSON for machines, and as one self-contained HTML page
/// (inline styles, no scripts, nothing fetched) that a business reader understands without us.
/// </summary>
public static class ReportFiles
{
    private static readonly JsonSerializerSettings Json = new()
    {
        ContractResolver = new CamelCasePropertyNamesContractResolver { NamingStrategy = new CamelCaseNamingStrategy { ProcessDictionaryKeys = false } },
        Converters = [new StringEnumConverter()],
        Formatting = Formatting.Indented,
    };

    /// <summary>Writes <c>{flow}-{runId}.json</c> and <c>.html</c> into <paramref name="folder"/> and returns the report with their paths.</summary>
    public static async Task<ReconcileReport> WriteAsync(ReconcileReport report, string folder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        Directory.CreateDirectory(folder);
        var stem = Path.Combine(Path.GetFullPath(folder), $"{Safe(report.Flow)}-{report.RunId}");
        var written = report with { JsonPath = stem + ".json", HtmlPath = stem + ".html" };
        await File.WriteAllTextAsync(written.JsonPath, ToJson(written), new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(written.HtmlPath, ToHtml(written), new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
        return written;
    }

    /// <summary>The report as indented JSON (camelCase, enums as names).</summary>
    public static string ToJson(ReconcileReport report) => JsonConvert.SerializeObject(report, Json);

    /// <summary>The report as a self-contained HTML page.</summary>
    public static string ToHtml(ReconcileReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var html = new StringBuilder();
        var (sourceSystem, targetSystem) = (report.Source.Split('.')[0], report.Target.Split('.')[0]);
        html.Append(CultureInfo.InvariantCulture, $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <title>Reconciliation of {E(report.Flow)}</title>
            <style>
            body {"{"}font-family: system-ui, sans-serif; margin: 2rem; color: #1d2733; max-width: 72rem{"}"}
            h1 {"{"}font-size: 1.6rem; margin-bottom: .2rem{"}"} h2 {"{"}font-size: 1.15rem; margin-top: 2rem{"}"}
            .muted {"{"}color: #5d6b7a{"}"}
            .banner {"{"}padding: .8rem 1rem; border-radius: 6px; margin: 1rem 0; font-weight: 600{"}"}
            .ok {"{"}background: #e3f4e8; color: #17603a{"}"} .warn {"{"}background: #fff4d6; color: #7a5300{"}"} .bad {"{"}background: #fde4e4; color: #8a1c1c{"}"}
            table {"{"}border-collapse: collapse; margin: .5rem 0; min-width: 30rem{"}"}
            th, td {"{"}text-align: left; padding: .35rem .8rem; border-bottom: 1px solid #dfe4ea{"}"}
            td.n {"{"}text-align: right; font-variant-numeric: tabular-nums{"}"}
            .bar {"{"}display: inline-block; height: .7rem; background: #3b82c4; vertical-align: middle{"}"}
            </style></head><body>
            <h1>Reconciliation of {E(report.Flow)}</h1>
            <p class="muted">{E(report.Source)} → {E(report.Target)} · run {E(report.RunId)} · started {report.StartedAt:yyyy-MM-dd HH:mm:ss} UTC · took {report.Duration.TotalSeconds:0.0} s</p>
            """);
        var (css, headline) = report.Status switch
        {
            State.RunStatus.Completed when report.Drift == 0 => ("ok", "The systems agree: no drift."),
            State.RunStatus.Completed when report.Repair => (report.Repairs.Failed == 0 ? "ok" : "warn",
                $"{report.Drift:N0} record(s) needed attention; the repair created {report.Repairs.Created:N0}, rewrote {report.Repairs.Updated:N0}, "
                + $"flagged {report.Repairs.Flagged:N0} and deleted {report.Repairs.Deleted:N0}; {report.Repairs.Failed:N0} refused."),
            State.RunStatus.Completed => ("warn", $"{report.Drift:N0} record(s) need attention."),
            State.RunStatus.Incomplete => ("warn", $"Stopped early: {report.Message}"),
            _ => ("bad", $"Failed: {report.Message}"),
        };
        html.Append(CultureInfo.InvariantCulture, $"""<div class="banner {css}" id="headline">{E(headline)}</div>""");

        html.Append("<h2>Totals</h2><table id=\"totals\"><tr><th>What</th><th>Records</th></tr>");
        Row(html, "total-source", $"Records in {sourceSystem} ({report.Source}), read {report.SourceReadMode}", report.SourceRecords);
        Row(html, "total-target", $"Records in {targetSystem} ({report.Target}), read {report.TargetReadMode}", report.TargetRecords);
        Row(html, "total-links", "Records linked by earlier syncs", report.Links);
        Row(html, "total-drift", "Records that need attention (drift)", report.Drift);
        html.Append("</table>");

        html.Append("<h2>What we found</h2><table id=\"classes\"><tr><th>Finding</th><th>Meaning</th><th>Records</th></tr>");
        foreach (var (classification, meaning) in Meanings(sourceSystem, targetSystem))
        {
            html.Append(CultureInfo.InvariantCulture,
                $"""<tr><td>{E(Name(classification))}</td><td class="muted">{E(meaning)}</td><td class="n" id="count-{Id(classification)}">{report.Count(classification):N0}</td></tr>""");
        }
        html.Append(CultureInfo.InvariantCulture,
            $"""<tr><td>Could not be compared</td><td class="muted">The mapping or a validation rule refused the {E(sourceSystem)} record; see the dead letters after a sync.</td><td class="n" id="count-unmapped">{report.Unmapped:N0}</td></tr>""");
        html.Append("</table>");
        html.Append(CultureInfo.InvariantCulture,
            $"""<p class="muted">Of the records missing in {E(sourceSystem)}: {report.DeletedInSource:N0} were linked, so were deleted there; {report.AlreadyFlagged:N0} were already flagged. Delete policy: {report.Deletes.ToString().ToLowerInvariant()}.</p>""");

        if (report.DriftByField.Count > 0)
        {
            var most = report.DriftByField.Values.Max();
            html.Append("<h2>Drift by field</h2><table id=\"fields\"><tr><th>Field</th><th>Records that disagree</th><th></th></tr>");
            foreach (var (field, count) in report.DriftByField.OrderByDescending(f => f.Value).ThenBy(f => f.Key, StringComparer.Ordinal))
            {
                html.Append(CultureInfo.InvariantCulture,
                    $"""<tr><td>{E(field)}</td><td class="n">{count:N0}</td><td><span class="bar" style="width:{Math.Max(2, 240 * count / most)}px"></span></td></tr>""");
            }
            html.Append("</table>");
        }

        if (report.Findings.Count > 0)
        {
            html.Append("<h2>The worst records</h2><table id=\"findings\"><tr><th>Finding</th><th>Record</th><th>" + E(sourceSystem) + "</th><th>" + E(targetSystem) + "</th><th>Fields</th></tr>");
            foreach (var finding in report.Findings)
            {
                html.Append(CultureInfo.InvariantCulture, $"""<tr><td>{E(Name(finding.Class))}{(finding.Evidence == DeleteEvidence.VendorDeletedList ? " (confirmed deleted)" : "")}</td><td>{E(finding.Label ?? "")}</td><td>{Link(report.SourceRecordUrl, finding.SourceId)}</td><td>{Link(report.TargetRecordUrl, finding.TargetId)}</td><td>{E(string.Join(", ", finding.Fields))}</td></tr>""");
            }
            html.Append("</table>");
        }

        if (report.Repair)
        {
            var r = report.Repairs;
            html.Append("<h2>Repairs</h2><table id=\"repairs\"><tr><th>Repair</th><th>Records</th></tr>");
            Row(html, "repair-created", $"Created in {targetSystem}", r.Created);
            Row(html, "repair-updated", $"Written again in {targetSystem} (drifted)", r.Updated);
            Row(html, "repair-relinked", "Links to vanished records dropped", r.Relinked);
            Row(html, "repair-flagged", "Flagged", r.Flagged);
            Row(html, "repair-deleted", "Deleted", r.Deleted);
            Row(html, "repair-failed", "Refused or deferred by the target", r.Failed);
            Row(html, "repair-pending", "Waiting for the next run", r.Pending);
            html.Append("</table>");
        }

        html.Append("<h2>API calls</h2><table id=\"calls\"><tr><th>System</th><th>Calls made</th><th>Fewest possible</th><th>Ratio</th><th>Credits</th></tr>");
        foreach (var account in report.Calls)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"""<tr><td>{E(account.System)}</td><td class="n">{account.Calls:N0}</td><td class="n">{account.Minimum:N0}</td><td class="n">{account.Ratio:0.00}</td><td class="n">{account.Credits:N0}</td></tr>""");
        }
        html.Append("</table>");
        if (report.CreditBudget is { } budget)
        {
            html.Append(CultureInfo.InvariantCulture, $"""<p class="muted">Credit budget: {budget:N0} in any 24 hours; {report.CreditsLeft:N0} left.</p>""");
        }
        html.Append("</body></html>\n");
        return html.ToString();
    }

    private static IEnumerable<(Classification, string)> Meanings(string source, string target) =>
    [
        (Classification.InSync, $"In both systems, every mapped field agrees."),
        (Classification.Drifted, $"In both systems, but some fields in {target} differ from what {source} says."),
        (Classification.MissingInTarget, $"In {source}, not in {target}."),
        (Classification.MissingInSource, $"In {target}, not in {source}: deleted there if it was synced before, otherwise never from {source}."),
        (Classification.DuplicateInTarget, $"A second {target} record for the same {source} record."),
        (Classification.OrphanLink, $"We remember a {target} record that no longer exists."),
    ];

    private static string Name(Classification classification) => classification switch
    {
        Classification.InSync => "In sync",
        Classification.Drifted => "Fields drifted",
        Classification.MissingInTarget => "Missing in target",
        Classification.MissingInSource => "Missing in source",
        Classification.DuplicateInTarget => "Duplicate in target",
        _ => "Orphan link",
    };

    private static string Id(Classification classification) => classification switch
    {
        Classification.InSync => "in-sync",
        Classification.Drifted => "drifted",
        Classification.MissingInTarget => "missing-in-target",
        Classification.MissingInSource => "missing-in-source",
        Classification.DuplicateInTarget => "duplicate-in-target",
        _ => "orphan-link",
    };

    private static void Row(StringBuilder html, string id, string what, long count) =>
        html.Append(CultureInfo.InvariantCulture, $"""<tr><td>{E(what)}</td><td class="n" id="{id}">{count:N0}</td></tr>""");

    private static string Link(string? template, string? id)
    {
        if (id is null) return "";
        if (template is null) return E(id);
        var url = template.Replace("{id}", Uri.EscapeDataString(id), StringComparison.Ordinal);
        return $"""<a href="{E(url)}">{E(id)}</a>""";
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string Safe(string flow) => string.Concat(flow.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_'));
}
