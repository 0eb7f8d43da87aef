using System.Diagnostics;
using System.Text.RegularExpressions;
using Connectors.Core.Reconciliation;
using Connectors.Core.State;
using Connectors.Testing;
using Newtonsoft.Json.Linq;

namespace Connectors.Cli.Tests.EndToEnd;

/// <summary>
/// The reports a reconciliation leaves: the JSON for machines, the HTML opened in a real browser
/// (headless Chromium, Debian package <c>chromium</c>, installed by <c>.ci/run</c>), and the run history.
/// </summary>
public sealed class ReconcileReportTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HtmlReport_OpenedInHeadlessChromium_RendersItsTotalsAndLinksTheWorstRecords()
    {
        var clock = new WaitObservingClock();
        await using var system = await ShopToCrm.StartAsync(50, clock, Token);
        await system.SyncAsync(Token);
        clock.Advance(TimeSpan.FromMinutes(5));
        var edited = system.Crm.Contacts.All().Take(3).Select(c => c.Value<string>("id")!).ToList();
        foreach (var id in edited) system.Crm.Contacts.Edit(id, new JObject { ["Last_Name"] = "Edited in the CRM" });
        system.Shop.AddCustomer(c => (c.LastName, c.Email) = ("Newcomer", "newcomer@example.com"));

        var report = await system.ReconcileAsync(new ReconcileOptions { TargetRecordUrl = "https://crm.zoho.eu/crm/org1/tab/Contacts/{id}" }, Token);
        var dom = await DumpDomAsync(report.HtmlPath!);

        Assert.Equal("50", Cell(dom, "total-target"));
        Assert.Equal("51", Cell(dom, "total-source"));
        Assert.Equal("47", Cell(dom, "count-in-sync"));
        Assert.Equal("3", Cell(dom, "count-drifted"));
        Assert.Equal("1", Cell(dom, "count-missing-in-target"));
        Assert.Equal("4", Cell(dom, "total-drift"));
        Assert.Contains("4 record(s) need attention.", dom, StringComparison.Ordinal);
        foreach (var id in edited)
        {
            Assert.Contains($"href=\"https://crm.zoho.eu/crm/org1/tab/Contacts/{id}\"", dom, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task EveryReconciliation_WritesItsJsonReport_AndIsKeptInTheRunHistoryWithThePath()
    {
        var clock = new WaitObservingClock();
        await using var system = await ShopToCrm.StartAsync(20, clock, Token);
        await system.SyncAsync(Token);

        var report = await system.ReconcileAsync(new ReconcileOptions(), Token);

        var json = JObject.Parse(await File.ReadAllTextAsync(report.JsonPath!, Token));
        Assert.Equal(20, json["counts"]!.Value<long>("InSync"));
        Assert.Equal(0, json.Value<long>("drift"));
        var run = (await system.State.GetRunsAsync(ShopToCrm.Flow.Name, 5, Token)).First();
        Assert.Equal(("reconcile", RunStatus.Completed, report.RunId), (run.Kind, run.Status, run.RunId));
        Assert.Equal((20L, 0L), (run.Counts["inSync"], run.Counts["drift"]));
        Assert.Contains(report.HtmlPath!, run.Message, StringComparison.Ordinal);
    }

    private static string? Cell(string dom, string id) => CellPattern(id).Match(dom) is { Success: true } match ? match.Groups[1].Value : null;

    private static Regex CellPattern(string id) => new($"id=\"{Regex.Escape(id)}\">([^<]*)<", RegexOptions.CultureInvariant);

    private static async Task<string> DumpDomAsync(string htmlPath)
    {
        var profile = Directory.CreateTempSubdirectory("connectors-chromium-");
        try
        {
            var start = new ProcessStartInfo("chromium")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[]
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", $"--user-data-dir={profile.FullName}", "--dump-dom", new Uri(htmlPath).AbsoluteUri,
            })
            {
                start.ArgumentList.Add(argument);
            }
            using var chromium = Process.Start(start) ?? throw new InvalidOperationException("chromium did not start; .ci/run installs it (apt-get install chromium).");
            var output = chromium.StandardOutput.ReadToEndAsync(Token);
            var errors = chromium.StandardError.ReadToEndAsync(Token);
            await chromium.WaitForExitAsync(Token);
            var dom = await output;
            Assert.True(dom.Contains("</html>", StringComparison.Ordinal), $"chromium exited {chromium.ExitCode} without a DOM: {await errors}");
            return dom;
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }
}
