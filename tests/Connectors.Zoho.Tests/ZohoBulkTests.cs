using Connectors.Core.Connectors;
using Connectors.Core.Records;
using Connectors.Sandbox.Zoho;
using Newtonsoft.Json.Linq;

namespace Connectors.Zoho.Tests;

/// <summary>Deletes, the recycle bin, counts, bulk read and bulk write, over real HTTP against the sandbox.</summary>
public sealed class ZohoBulkTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Delete_150Ids_TwoCallsOfAtMost100_UnknownIdsRefusedOneByOne_AndTheRecycleBinListsTheDeleted()
    {
        await using var system = await ZohoTestSystem.StartAsync(new ZohoSandboxOptions { SeedContacts = 160 });
        var ids = system.Sandbox.Contacts.All().Take(149).Select(c => c.Value<string>("id")!).Append("1234").ToList();

        var outcomes = await system.Connector.DeleteAsync("Contacts", ids, Token);
        var deleted = new List<string>();
        await foreach (var page in system.Connector.ReadDeletedIdsAsync("Contacts", Token)) deleted.AddRange(page);

        Assert.Equal(2, system.CrmCalls.Count(r => r.Method == "DELETE"));
        Assert.All(system.CrmCalls.Where(r => r.Method == "DELETE"), r => Assert.Contains("wf_trigger=false", r.Query, StringComparison.Ordinal));
        Assert.Equal(149, outcomes.Count(o => o.Deleted));
        Assert.Equal(("1234", "INVALID_DATA"), outcomes.Where(o => !o.Deleted).Select(o => (o.Id, o.Code!)).Single());
        Assert.Equal(11, system.Sandbox.Contacts.Count);
        Assert.Equal(ids.Take(149).Order(), deleted.Order());
        Assert.Equal(1, system.CrmCalls.Count(r => r.Path == "/crm/v8/Contacts/deleted"));
        Assert.Equal(11, await system.Connector.CountAsync("Contacts", Token));
    }

    [Fact]
    public async Task BulkRead_AJobThatTakesAMinute_IsPolledOnTheClock_AndEveryRecordComesBackFromTheZippedCsv()
    {
        await using var system = await ZohoTestSystem.StartAsync(new ZohoSandboxOptions { SeedContacts = 4_500, BulkJobDuration = TimeSpan.FromMinutes(1) });

        var records = new List<Connectors.Core.Records.Record>();
        var reading = Task.Run(async () =>
        {
            await foreach (var page in system.Connector.ReadAllInBulkAsync("Contacts", Token)) records.AddRange(page.Records);
        }, Token);
        for (var i = 0; i < 6; i++) await system.Clock.AdvancePastNextWaitAsync(w => w == TimeSpan.FromSeconds(10), Token);
        await reading;

        Assert.Equal(4_500, records.Count);
        Assert.Equal(system.Sandbox.Contacts.All().Select(c => c.Value<string>("id")).Order(), records.Select(r => r.Key.Id).Order());
        var sample = system.Sandbox.Contacts.Get(records[17].Key.Id)!;
        Assert.Equal(sample.Value<string>("Email"), records[17].Data.Value<string>("Email"));
        Assert.Equal(DateTimeOffset.Parse(sample.Value<string>("Modified_Time")!, System.Globalization.CultureInfo.InvariantCulture), records[17].Modified);
        Assert.Equal(1, system.CrmCalls.Count(r => r.Method == "POST" && r.Path == "/crm/bulk/v8/read"));
        Assert.Equal(7, system.CrmCalls.Count(r => r.Method == "GET" && r.Path.StartsWith("/crm/bulk/v8/read/", StringComparison.Ordinal) && !r.Path.EndsWith("/result", StringComparison.Ordinal)));
        Assert.Equal(1, system.CrmCalls.Count(r => r.Path.EndsWith("/result", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task BulkWrite_UpsertsByMatchField_FromOneZippedCsv_AndReportsEachRecord()
    {
        await using var system = await ZohoTestSystem.StartAsync(new ZohoSandboxOptions { SeedContacts = 3 },
            o => o.OrganizationId = "sandbox-org-700");
        system.Sandbox.Contacts.Insert(new JObject { ["Last_Name"] = "Existing", ["Email"] = "existing@example.com" });
        var requests = Enumerable.Range(0, 300).Select(i => Request($"r{i}", new JObject
        {
            ["Last_Name"] = "Bulk " + i, ["Email"] = $"bulk{i}@example.com", ["Mailing_City"] = i % 2 == 0 ? "Lisbon" : null,
        })).Append(Request("existing", new JObject { ["Last_Name"] = "Updated", ["Email"] = "EXISTING@example.com" }))
            .Append(Request("bad", new JObject { ["Email"] = "no-last-name@example.com" })).ToList();

        var outcomes = await system.Connector.WriteInBulkAsync("Contacts", requests, Token);

        Assert.Equal(300, outcomes.OfType<WriteOutcome.Written>().Count(w => w.Created));
        var updated = Assert.Single(outcomes.OfType<WriteOutcome.Written>(), w => !w.Created);
        Assert.Equal(("existing", "Updated"), (updated.Source.Id, system.Sandbox.Contacts.Get(updated.TargetId)!.Value<string>("Last_Name")));
        var rejected = Assert.Single(outcomes.OfType<WriteOutcome.Rejected>());
        Assert.Equal(("bad", "MANDATORY_NOT_FOUND", "Last_Name"), (rejected.Source.Id, rejected.VendorCode, rejected.Field));
        Assert.Equal("Lisbon", system.Sandbox.Contacts.FindByEmail("bulk4@example.com")!.Value<string>("Mailing_City"));
        Assert.Equal(3 + 1 + 300, system.Sandbox.Contacts.Count);
        Assert.Equal(1, system.Sandbox.BulkWriteJobs);
        var upload = Assert.Single(system.Sandbox.RequestLog.Entries, r => r.Path == "/crm/v8/upload");
        Assert.Equal(200, upload.Status);
        Assert.Equal(0, system.CrmCalls.Count(r => r.Path.EndsWith("/upsert", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Limits_StateZohosPerCallMaximaAndCredits()
    {
        await using var system = await ZohoTestSystem.StartAsync();
        var connector = system.Connector;

        Assert.Equal((200, 100, 200_000, 25_000), (connector.RecordsPerCall(ApiOperation.List, "Contacts"), connector.RecordsPerCall(ApiOperation.Write, "Contacts"),
            connector.RecordsPerCall(ApiOperation.BulkReadJob, "Contacts"), connector.RecordsPerCall(ApiOperation.BulkWriteJob, "Contacts")));
        Assert.Equal((1, 10, 3, 2, 50, 500), (connector.CreditsPerCall(ApiOperation.List, 200), connector.CreditsPerCall(ApiOperation.Write, 100),
            connector.CreditsPerCall(ApiOperation.Write, 21), connector.CreditsPerCall(ApiOperation.ListDeleted, 0),
            connector.CreditsPerCall(ApiOperation.BulkReadJob, 200_000), connector.CreditsPerCall(ApiOperation.BulkWriteJob, 25_000)));
    }

    private static WriteRequest Request(string id, JObject payload) => new(new RecordKey("shop.customers", id), null, payload, ["Email"]);
}
