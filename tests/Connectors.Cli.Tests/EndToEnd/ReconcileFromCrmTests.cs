using Connectors.Core.Flows;
using Connectors.Core.Http;
using Connectors.Core.Mapping;
using Connectors.Core.Reconciliation;
using Connectors.Core.Sync;
using Connectors.Sandbox.Zoho;
using Connectors.State.Sqlite;
using Connectors.Testing;
using Connectors.Zoho;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Newtonsoft.Json.Linq;

namespace Connectors.Cli.Tests.EndToEnd;

/// <summary>
/// A flow whose source has a deleted-records API (one Zoho org's contacts into another's): deletes are
/// confirmed by the vendor's own recycle bin, not only inferred from the key sets.
/// </summary>
public sealed class ReconcileFromCrmTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static readonly Flow Flow = new("crm-to-archive", StreamRef.Parse("crm.Contacts"), StreamRef.Parse("archive.Contacts"),
        MappingCompiler.Compile(new Dictionary<string, string> { ["Email"] = "Email | lower", ["Last_Name"] = "Last_Name" }), ["Email"]);

    [Fact]
    public async Task SourceDeletes_ListedInTheSourcesRecycleBin_AreConfirmedDeleted_AndDeletedInTheTarget()
    {
        var clock = new WaitObservingClock();
        await using var crm = await ZohoSandbox.StartAsync(new ZohoSandboxOptions { SeedContacts = 250 }, clock, Token);
        await using var archive = await ZohoSandbox.StartAsync(new ZohoSandboxOptions { Seed = 2 }, clock, Token);
        var services = new ServiceCollection().AddSingleton<TimeProvider>(clock);
        foreach (var (name, sandbox) in new[] { ("crm", crm), ("archive", archive) })
        {
            services.AddZohoSystem(name).Configure(o =>
            {
                o.AccountsUrl = o.ApiDomain = o.UploadUrl = sandbox.ApiDomain;
                (o.ClientId, o.ClientSecret, o.RefreshToken) = (sandbox.ClientId, sandbox.ClientSecret, sandbox.RefreshToken);
            });
        }
        await using var provider = services.BuildServiceProvider();
        var folder = Directory.CreateTempSubdirectory("connectors-crm-");
        try
        {
            await using var state = await SqliteSyncStateStore.OpenAsync(new SqliteStateOptions { DatabasePath = Path.Combine(folder.FullName, "state.db") }, Token);
            var meter = provider.GetRequiredService<ApiCallMeter>();
            var sync = new SyncRun(state, meter, clock, NullLogger<SyncRun>.Instance);
            var (source, target) = (provider.GetZohoConnector("crm"), provider.GetZohoConnector("archive"));
            await sync.RunAsync(Flow, source, target, null, Token);
            var gone = crm.Contacts.All().Take(4).Select(c => c.Value<string>("id")!).ToList();
            foreach (var id in gone) crm.Contacts.Delete(id);
            var run = new ReconcileRun(state, sync, meter, clock, NullLogger<ReconcileRun>.Instance);
            ReconcileOptions Options(bool repair) => new()
            {
                Repair = repair, Deletes = DeletePolicy.Delete,
                WorkFolder = Path.Combine(folder.FullName, "work"), ReportFolder = Path.Combine(folder.FullName, "reports"),
            };

            var repair = await run.RunAsync(Flow, source, target, Options(repair: true), Token);
            var recycleBinReads = crm.RequestLog.Count(r => r.Method == "GET" && r.Path == "/crm/v8/Contacts/deleted");
            var after = await run.RunAsync(Flow, source, target, Options(repair: false), Token);

            var deleted = repair.Findings.Where(f => f.Class == Classification.MissingInSource).ToList();
            Assert.Equal(gone.Order(), deleted.Select(f => f.SourceId!).Order());
            Assert.All(deleted, f => Assert.Equal(DeleteEvidence.VendorDeletedList, f.Evidence));
            Assert.Equal(1, recycleBinReads);
            Assert.Equal(4, repair.Repairs.Deleted);
            Assert.Equal(250 - 4, archive.Contacts.Count);
            Assert.Equal((0L, 246L), (after.Drift, after.Count(Classification.InSync)));
            // The source: 2 list pages at 1 credit, 1 page of its recycle bin at 2; the target: 2 list pages and 1 delete call.
            Assert.Equal((2L + 2, 2L + 1), (repair.Calls.Single(c => c.System == "crm").Credits, repair.Calls.Single(c => c.System == "archive").Credits));
            Assert.All(repair.Calls, c => Assert.Equal(1.0, c.Ratio));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
