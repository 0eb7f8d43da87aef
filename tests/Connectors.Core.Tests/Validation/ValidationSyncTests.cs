using Connectors.Core.Flows;
using Connectors.Core.Http;
using Connectors.Core.Mapping;
using Connectors.Core.Records;
using Connectors.Core.Sync;
using Connectors.Core.Tests.Mapping;
using Connectors.Core.Validation;
using Connectors.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Newtonsoft.Json.Linq;
using Record = Connectors.Core.Records.Record;

namespace Connectors.Core.Tests.Validation;

/// <summary>
/// Validation inside a real sync run: a mapped payload that breaks a rule is never sent; it is
/// dead-lettered as <c>VALIDATION_FAILED</c> with the rule, field and value, and counted as failed.
/// </summary>
public sealed class ValidationSyncTests
{
    [Fact]
    public async Task RunAsync_PayloadBreaksARule_DeadLettersItAndSendsTheRest()
    {
        var mapping = MappingCompiler.Compile(new Dictionary<string, string>
        {
            ["Email"] = "email | email",
            ["Last_Name"] = "last_name | title",
            ["Phone"] = "phone | phone('US')",
        });
        var validator = ValidationCompiler.Compile(
        [
            new ValidationField("Email", JToken.Parse("""["required", "email"]""")),
            new ValidationField("Last_Name", JToken.Parse("""{ "required": true, "max_length": 10 }""")),
            new ValidationField("Phone", JToken.Parse("\"phone\"")),
        ], mapping);
        var flow = new Flow("customers-to-crm", StreamRef.Parse("shop.customers"), StreamRef.Parse("crm.Contacts"), mapping, ["Email"])
        {
            Validation = validator,
        };
        var page = new RecordPage(
        [
            Customer("1", " Ann@Example.com ", "smith", "(650) 253-0000"),
            Customer("2", "bob@", "norman", null),
            Customer("3", "cy@example.com", "featherstonehaugh", null),
            Customer("4", "dee@example.com", "jones", "call me"),
        ], null);
        await using var state = await RecordedStateStore.OpenAsync(TestContext.Current.CancellationToken);
        var target = new RecordingTarget();
        var run = new SyncRun(state, new ApiCallMeter(), new WaitObservingClock(), NullLogger<SyncRun>.Instance);

        var report = await run.RunAsync(flow, new PagedSource(page), target, null, TestContext.Current.CancellationToken);

        var sent = Assert.Single(target.Written);
        Assert.Equal("""{"Email":"ann@example.com","Last_Name":"Smith","Phone":"+16502530000"}""", sent.Payload.ToString(Newtonsoft.Json.Formatting.None));
        Assert.Equal((4, 1, 3), (report.Read, report.Created, report.Failed));
        var dead = await state.GetDeadLettersAsync("customers-to-crm", TestContext.Current.CancellationToken);
        Assert.Equal(
        [
            ("2", "VALIDATION_FAILED", "Email", "Email fails email: 'bob@' is not an email address."),
            ("3", "VALIDATION_FAILED", "Last_Name", "Last_Name fails max_length: 'Featherstonehaugh' has 17 characters, more than 10."),
            ("4", "VALIDATION_FAILED", "Phone", "Phone fails phone: 'call me' is not a valid phone number in E.164 form (+491701234567); normalize it with phone('XX')."),
        ], dead.Select(d => (d.Source.Id, d.Code, d.Field!, d.Message)));
    }

    private static Record Customer(string id, string email, string lastName, string? phone) =>
        new(new RecordKey("shop.customers", id), new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero),
            new JObject { ["id"] = id, ["email"] = email, ["last_name"] = lastName, ["phone"] = phone });
}
