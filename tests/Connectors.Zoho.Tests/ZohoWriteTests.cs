using Connectors.Core.Connectors;
using Connectors.Core.Records;
using Newtonsoft.Json.Linq;

namespace Connectors.Zoho.Tests;

public sealed class ZohoWriteTests
{
    private static int UpsertCalls(ZohoTestSystem zoho) => zoho.CrmCalls.Count(c => c.Method == "POST" && c.Path == "/crm/v8/Contacts/upsert");

    [Fact]
    public async Task Write_250UnlinkedRecords_MakesExactlyThreeUpsertCalls()
    {
        await using var zoho = await ZohoTestSystem.StartAsync();
        var batch = Enumerable.Range(0, 250).Select(n => ZohoTestSystem.NewContact(n)).ToList();

        var outcomes = await zoho.Connector.WriteAsync("Contacts", batch, TestContext.Current.CancellationToken);

        Assert.Equal(3, UpsertCalls(zoho));
        Assert.Equal([100, 100, 50], zoho.CrmCalls.Select(c => ((JArray)JObject.Parse(c.Body)["data"]!).Count));
        Assert.Equal(250, zoho.Sandbox.Contacts.Count);
        Assert.Equal(250, outcomes.OfType<WriteOutcome.Written>().Count(w => w.Created));
        Assert.Equal(batch.Select(b => b.Source.Id).Order(), outcomes.Select(o => o.Source.Id).Order());
        var written = outcomes.OfType<WriteOutcome.Written>().Single(w => w.Source.Id == "c7");
        Assert.Equal("jo.doe.7@example.com", zoho.Sandbox.Contacts.Get(written.TargetId)!.Value<string>("Email"));
    }

    [Fact]
    public async Task Write_100UnlinkedRecords_IsOneUpsertCallWithMatchFieldsAndNoTriggers()
    {
        await using var zoho = await ZohoTestSystem.StartAsync();
        var batch = Enumerable.Range(0, ZohoConnector.MaxRecordsPerWrite).Select(n => ZohoTestSystem.NewContact(n)).ToList();

        await zoho.Connector.WriteAsync("Contacts", batch, TestContext.Current.CancellationToken);

        var call = Assert.Single(zoho.CrmCalls);
        Assert.Equal("/crm/v8/Contacts/upsert", call.Path);
        var body = JObject.Parse(call.Body);
        Assert.Equal(["Email"], body["duplicate_check_fields"]!.Values<string>());
        Assert.Empty((JArray)body["trigger"]!);
    }

    [Fact]
    public async Task Write_SameRecordsAgain_UpdatesThemByEmailInsteadOfDuplicating()
    {
        await using var zoho = await ZohoTestSystem.StartAsync();
        var batch = Enumerable.Range(0, 30).Select(n => ZohoTestSystem.NewContact(n)).ToList();
        var first = await zoho.Connector.WriteAsync("Contacts", batch, TestContext.Current.CancellationToken);

        var again = await zoho.Connector.WriteAsync("Contacts", batch, TestContext.Current.CancellationToken);

        Assert.Equal(30, zoho.Sandbox.Contacts.Count);
        Assert.All(again, o => Assert.False(Assert.IsType<WriteOutcome.Written>(o).Created));
        Assert.Equal(
            first.Cast<WriteOutcome.Written>().OrderBy(w => w.Source.Id).Select(w => w.TargetId),
            again.Cast<WriteOutcome.Written>().OrderBy(w => w.Source.Id).Select(w => w.TargetId));
    }

    [Fact]
    public async Task Write_OneInvalidEmailAmongAHundred_Gives99WrittenAndOneRejectedWithCodeFieldAndMessage()
    {
        await using var zoho = await ZohoTestSystem.StartAsync();
        var batch = Enumerable.Range(0, 100).Select(n => ZohoTestSystem.NewContact(n, email: n == 42 ? "not-an-email" : null)).ToList();

        var outcomes = await zoho.Connector.WriteAsync("Contacts", batch, TestContext.Current.CancellationToken);

        Assert.Equal(207, Assert.Single(zoho.CrmCalls).Status);
        Assert.Equal(99, outcomes.OfType<WriteOutcome.Written>().Count());
        var rejected = Assert.IsType<WriteOutcome.Rejected>(Assert.Single(outcomes, o => o is not WriteOutcome.Written));
        Assert.Equal(new RecordKey("shop.customers", "c42"), rejected.Source);
        Assert.Equal("INVALID_DATA", rejected.VendorCode);
        Assert.Equal("Email", rejected.Field);
        Assert.Equal("invalid data", rejected.Message);
        Assert.Equal(99, zoho.Sandbox.Contacts.Count);
    }

    [Fact]
    public async Task Write_OnlyRecordMissingLastName_IsRejectedWithMandatoryNotFoundNotAnException()
    {
        await using var zoho = await ZohoTestSystem.StartAsync();

        var outcomes = await zoho.Connector.WriteAsync("Contacts", [ZohoTestSystem.NewContact(1, lastName: null)], TestContext.Current.CancellationToken);

        Assert.Equal(400, Assert.Single(zoho.CrmCalls).Status);
        var rejected = Assert.IsType<WriteOutcome.Rejected>(Assert.Single(outcomes));
        Assert.Equal(("MANDATORY_NOT_FOUND", "Last_Name"), (rejected.VendorCode, rejected.Field));
        Assert.Equal(0, zoho.Sandbox.Contacts.Count);
    }

    [Fact]
    public async Task Write_FirstNameLongerThanZohoAllows_IsRejectedWithTheField()
    {
        await using var zoho = await ZohoTestSystem.StartAsync();
        var batch = new[] { ZohoTestSystem.NewContact(1), ZohoTestSystem.NewContact(2, firstName: new string('x', 41)) };

        var outcomes = await zoho.Connector.WriteAsync("Contacts", batch, TestContext.Current.CancellationToken);

        var rejected = Assert.IsType<WriteOutcome.Rejected>(Assert.Single(outcomes, o => o.Source.Id == "c2"));
        Assert.Equal(("INVALID_DATA", "First_Name"), (rejected.VendorCode, rejected.Field));
        Assert.IsType<WriteOutcome.Written>(Assert.Single(outcomes, o => o.Source.Id == "c1"));
    }

    [Fact]
    public async Task Write_LinkedAndUnlinkedRecords_UpdatesByIdAndUpsertsTheRest()
    {
        await using var zoho = await ZohoTestSystem.StartAsync();
        var existing = zoho.Sandbox.Contacts.Insert(new JObject { ["Last_Name"] = "Old", ["Email"] = "old@example.com" });
        var id = existing.Value<string>("id")!;
        var linked = new WriteRequest(new RecordKey("shop.customers", "linked"), id,
            new JObject { ["Last_Name"] = "Renamed", ["Email"] = "old@example.com" }, ["Email"]);

        var outcomes = await zoho.Connector.WriteAsync("Contacts", [linked, ZohoTestSystem.NewContact(1)], TestContext.Current.CancellationToken);

        var update = Assert.Single(zoho.CrmCalls, c => c.Method == "PUT");
        Assert.Equal("/crm/v8/Contacts", update.Path);
        Assert.Equal(id, JObject.Parse(update.Body)["data"]![0]!.Value<string>("id"));
        Assert.Equal(1, UpsertCalls(zoho));
        var written = Assert.IsType<WriteOutcome.Written>(Assert.Single(outcomes, o => o.Source.Id == "linked"));
        Assert.Equal((id, false), (written.TargetId, written.Created));
        Assert.Equal("Renamed", zoho.Sandbox.Contacts.Get(id)!.Value<string>("Last_Name"));
    }

    [Fact]
    public async Task Write_LinkedRecordDeletedInZoho_IsRejectedOnItsId()
    {
        await using var zoho = await ZohoTestSystem.StartAsync();
        var gone = new WriteRequest(new RecordKey("shop.customers", "gone"), "5725767000999999999", new JObject { ["Last_Name"] = "X" }, ["Email"]);

        var outcomes = await zoho.Connector.WriteAsync("Contacts", [gone], TestContext.Current.CancellationToken);

        var rejected = Assert.IsType<WriteOutcome.Rejected>(Assert.Single(outcomes));
        Assert.Equal(("INVALID_DATA", "id"), (rejected.VendorCode, rejected.Field));
    }

    [Fact]
    public async Task MaxBatchSize_IsZohosWriteLimit()
    {
        await using var zoho = await ZohoTestSystem.StartAsync();

        Assert.Equal(100, zoho.Connector.MaxBatchSize("Contacts"));
    }
}
