using Connectors.Core.Connectors;
using Connectors.Core.Records;
using Newtonsoft.Json.Linq;

namespace Connectors.Zoho.Tests;

/// <summary>Conditional updates (If-Unmodified-Since, one record a call) and COQL lookups, over HTTP against the sandbox.</summary>
public sealed class ZohoConditionalWriteTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ConditionalUpdate_RecordUnchangedSinceRead_IsWrittenByIdWithTheHeader()
    {
        await using var zoho = await ZohoTestSystem.StartAsync();
        var stored = zoho.Sandbox.Contacts.Insert(new JObject { ["Last_Name"] = "Lee", ["Email"] = "ann@example.com" });
        var read = Assert.Single(await zoho.Connector.ReadByIdsAsync("Contacts", [(string)stored["id"]!], Ct));
        zoho.Clock.Advance(TimeSpan.FromSeconds(5));

        var outcome = Assert.Single(await zoho.Connector.WriteAsync("Contacts",
            [new WriteRequest(new RecordKey("erp.customers", "c1"), read.Key.Id, new JObject { ["Phone"] = "+1 555 0111" }, [], read.Version)], Ct));

        Assert.IsType<WriteOutcome.Written>(outcome);
        Assert.Equal((string)stored["Modified_Time"]!, read.Version);
        var call = Assert.Single(zoho.CrmCalls, c => c.Method == "PUT");
        Assert.Equal($"/crm/v8/Contacts/{read.Key.Id}", call.Path);
        Assert.Equal("+1 555 0111", (string?)zoho.Sandbox.Contacts.Get(read.Key.Id)!["Phone"]);
    }

    [Fact]
    public async Task ConditionalUpdate_RecordModifiedAfterTheRead_Gets412AlreadyModified_AsAConflictAndWritesNothing()
    {
        await using var zoho = await ZohoTestSystem.StartAsync();
        var stored = zoho.Sandbox.Contacts.Insert(new JObject { ["Last_Name"] = "Lee", ["Email"] = "ann@example.com", ["Phone"] = "+1 555 0100" });
        var read = Assert.Single(await zoho.Connector.ReadByIdsAsync("Contacts", [(string)stored["id"]!], Ct));
        zoho.Clock.Advance(TimeSpan.FromSeconds(1));
        zoho.Sandbox.Contacts.Edit(read.Key.Id, new JObject { ["Mailing_City"] = "Pune" });
        var unconditional = new WriteRequest(new RecordKey("erp.customers", "c2"), read.Key.Id, new JObject { ["Title"] = "CEO" }, []);

        var outcomes = await zoho.Connector.WriteAsync("Contacts",
            [new WriteRequest(new RecordKey("erp.customers", "c1"), read.Key.Id, new JObject { ["Phone"] = "+1 555 0111" }, [], read.Version), unconditional], Ct);

        var conflict = Assert.IsType<WriteOutcome.Conflict>(Assert.Single(outcomes, o => o.Source.Id == "c1"));
        Assert.Equal(read.Key.Id, conflict.TargetId);
        Assert.IsType<WriteOutcome.Written>(Assert.Single(outcomes, o => o.Source.Id == "c2"));
        Assert.Contains(zoho.CrmCalls, c => c.Method == "PUT" && c.Status == 412);
        var now = zoho.Sandbox.Contacts.Get(read.Key.Id)!;
        Assert.Equal(("+1 555 0100", "Pune", "CEO"), ((string?)now["Phone"], (string?)now["Mailing_City"], (string?)now["Title"]));
    }

    [Fact]
    public async Task Find_ByEmail_ThroughCoql_FindsRecordsCreatedAMomentAgo_InChunksOfFifty()
    {
        await using var zoho = await ZohoTestSystem.StartAsync();
        for (var i = 0; i < 60; i++)
        {
            zoho.Sandbox.Contacts.Insert(new JObject { ["Last_Name"] = $"N{i}", ["Email"] = $"p{i}@example.com" });
        }
        var wanted = Enumerable.Range(0, 60).Select(i => $"P{i}@Example.com").Append("nobody@example.com").Append("o'brien@example.com").ToArray();

        var found = await zoho.Connector.FindAsync("Contacts", "Email", wanted, Ct);

        Assert.Equal(60, found.Count);
        Assert.All(found, r => Assert.NotNull(r.Version));
        Assert.Equal(2, zoho.CrmCalls.Count(c => c.Path == "/crm/v8/coql"));
        var query = (string)JObject.Parse(zoho.CrmCalls.Last(c => c.Path == "/crm/v8/coql").Body)["select_query"]!;
        Assert.Contains(@"'o\'brien@example.com'", query, StringComparison.Ordinal);
    }
}
