using Connectors.Core.Connectors;
using Connectors.Core.Flows;
using Connectors.Core.Mapping;
using Connectors.Core.Records;
using Connectors.Core.State;
using Connectors.Core.Sync;
using Connectors.Core.Tests.Mapping;
using Connectors.Core.Validation;
using Newtonsoft.Json.Linq;
using Record = Connectors.Core.Records.Record;

namespace Connectors.Core.Tests.Sync;

/// <summary>
/// <see cref="SyncPlan"/> foresees what <see cref="SyncRun"/> would do through the same mapping,
/// validation and fingerprints, reads the target's current version for field diffs, and writes nothing.
/// </summary>
public sealed class SyncPlanTests
{
    private static readonly Flow ContactsFlow = new("customers-to-crm", StreamRef.Parse("shop.customers"), StreamRef.Parse("crm.Contacts"),
        MappingCompiler.Compile(new Dictionary<string, string> { ["Email"] = "email | email", ["Last_Name"] = "last_name | trim" }), ["Email"])
    {
        Validation = ValidationCompiler.Compile([new ValidationField("Email", new JArray("required", "email"))]),
    };

    [Fact]
    public async Task PlanAsync_EachKindOfRecord_IsClassifiedAsARunWouldTreatIt_AndNothingIsWritten()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var state = await RecordedStateStore.OpenAsync(ct);
        var unchangedPayload = ContactsFlow.Mapping.Apply(Customer("2", "b@example.com", "Beta").Data);
        await state.SeedAsync([
            new Link(ContactsFlow.Name, "1", "crm-1", Fingerprint.Of(new JObject { ["Email"] = "a@example.com", ["Last_Name"] = "Old" }), DateTimeOffset.UnixEpoch),
            new Link(ContactsFlow.Name, "2", "crm-2", Fingerprint.Of(unchangedPayload), DateTimeOffset.UnixEpoch),
        ], ct);
        var watermark = await state.GetWatermarkAsync(ContactsFlow.Name, ct);
        var source = new PagedSource(new RecordPage([
            Customer("1", "a@example.com", "New"), Customer("2", "b@example.com", "Beta"), Customer("3", "c@example.com", "Gamma"), Customer("4", "nope", "Delta"),
        ], new Watermark(DateTimeOffset.UnixEpoch.AddDays(1))));
        var target = new CrmTarget(new Record(new RecordKey("crm.Contacts", "crm-1"), DateTimeOffset.UnixEpoch,
            new JObject { ["Email"] = "a@example.com", ["Last_Name"] = "Old", ["id"] = "crm-1" }));

        var plan = await new SyncPlan(state).PlanAsync(ContactsFlow, source, target, 10, ct);

        var update = Assert.IsType<PlannedRecord.Update>(plan.Records[0]);
        Assert.Equal("crm-1", update.TargetId);
        var change = Assert.Single(update.Changes);
        Assert.Equal(("Last_Name", "Old", "New"), (change.Field, (string?)change.Before, (string?)change.After));
        Assert.Equal("crm-2", Assert.IsType<PlannedRecord.Unchanged>(plan.Records[1]).TargetId);
        Assert.Equal("Gamma", (string?)Assert.IsType<PlannedRecord.Create>(plan.Records[2]).Payload["Last_Name"]);
        var invalid = Assert.IsType<PlannedRecord.Invalid>(plan.Records[3]);
        Assert.Equal(("VALIDATION_FAILED", "Email", "email"), (invalid.Code, invalid.Field, Assert.Single(invalid.Failures).Rule));
        Assert.Equal((1, 1, 1, 1), (plan.Creates, plan.Updates, plan.Unchanged, plan.Invalid));
        Assert.Equal(["crm-1"], target.ReadIds);
        Assert.Empty(target.Written);
        Assert.Equal(watermark, await state.GetWatermarkAsync(ContactsFlow.Name, ct));
        Assert.Empty(await state.GetRunsAsync(null, 10, ct));
        Assert.Empty(await state.GetDeadLettersAsync(null, ct));
        Assert.Empty(await state.GetLinksAsync(ContactsFlow.Name, ["3", "4"], ct));
    }

    [Fact]
    public async Task PlanAsync_Limit_ReadsNoMoreRecordsThanAsked_AndSaysSo()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var state = await RecordedStateStore.OpenAsync(ct);
        var source = new PagedSource(
            new RecordPage([Customer("1", "a@example.com", "A"), Customer("2", "b@example.com", "B")], null),
            new RecordPage([Customer("3", "c@example.com", "C"), Customer("4", "d@example.com", "D")], null));

        var plan = await new SyncPlan(state).PlanAsync(ContactsFlow, source, new CrmTarget(), 3, ct);

        Assert.Equal(["1", "2", "3"], plan.Records.Select(r => r.Source.Id));
        Assert.True(plan.ReachedLimit);
    }

    private static Record Customer(string id, string email, string lastName) =>
        new(new RecordKey("shop.customers", id), DateTimeOffset.UnixEpoch.AddHours(int.Parse(id, System.Globalization.CultureInfo.InvariantCulture)),
            new JObject { ["id"] = id, ["email"] = email, ["last_name"] = lastName });

    /// <summary>A CRM that can be read by id and records every write (there must be none).</summary>
    private sealed class CrmTarget(params Record[] records) : ISourceConnector, ITargetConnector
    {
        public List<string> ReadIds { get; } = [];

        public List<WriteRequest> Written { get; } = [];

        public IAsyncEnumerable<RecordPage> ReadChangedAsync(string stream, Watermark since, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("A plan never reads the target's changes.");

        public Task<IReadOnlyList<Record>> ReadByIdsAsync(string stream, IReadOnlyList<string> ids, CancellationToken cancellationToken)
        {
            ReadIds.AddRange(ids);
            return Task.FromResult<IReadOnlyList<Record>>([.. records.Where(r => ids.Contains(r.Key.Id))]);
        }

        public int MaxBatchSize(string stream) => 100;

        public Task<IReadOnlyList<WriteOutcome>> WriteAsync(string stream, IReadOnlyList<WriteRequest> batch, CancellationToken cancellationToken)
        {
            Written.AddRange(batch);
            return Task.FromResult<IReadOnlyList<WriteOutcome>>([]);
        }
    }
}
