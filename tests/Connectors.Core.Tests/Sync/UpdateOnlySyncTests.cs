using Connectors.Core.Connectors;
using Connectors.Core.Flows;
using Connectors.Core.Http;
using Connectors.Core.Mapping;
using Connectors.Core.Records;
using Connectors.Core.State;
using Connectors.Core.Sync;
using Connectors.Core.Tests.Mapping;
using Connectors.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Newtonsoft.Json.Linq;
using Record = Connectors.Core.Records.Record;

namespace Connectors.Core.Tests.Sync;

/// <summary>
/// <see cref="WriteMode.UpdateOnly"/> inside a real sync run: a record not linked yet is looked up in the target by its
/// match fields and updates the record found (by id, linked for next time); one that matches nothing, or has no
/// match value, is dead-lettered <c>NO_MATCH</c> with the reason and never created; a target that cannot be searched
/// fails the run before anything is written.
/// </summary>
public sealed class UpdateOnlySyncTests
{
    private static readonly Flow Scores = new("feedback-to-contacts", StreamRef.Parse("survey.responses"), StreamRef.Parse("crm.Contacts"),
        MappingCompiler.Compile(new Dictionary<string, string> { ["Email"] = "email | email", ["Latest_NPS"] = "score" }), ["Email"])
    {
        Writes = WriteMode.UpdateOnly,
    };

    [Fact]
    public async Task RunAsync_UpdateOnly_UpdatesWhatTheMatchFieldsFind_DeadLettersTheRest_CreatesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var state = await RecordedStateStore.OpenAsync(ct);
        // Two contacts share an e-mail: the oldest is updated, as a two-way flow links the oldest.
        var target = new ContactsTarget(
            Contact("c-1", "ann@example.com", hoursAgo: 5),
            Contact("c-2", "BEN@example.com", hoursAgo: 4),
            Contact("c-3", "ben@example.com", hoursAgo: 9));
        var page = new RecordPage([Response("r1", "Ann@Example.com", 9), Response("r2", "ben@example.com", 3), Response("r3", "stranger@example.org", 10),
            Response("r4", null, 7)], new Watermark(DateTimeOffset.UnixEpoch.AddDays(1)));
        var run = new SyncRun(state, new ApiCallMeter(), new WaitObservingClock(), NullLogger<SyncRun>.Instance);

        var report = await run.RunAsync(Scores, new PagedSource(page), target, null, ct);

        Assert.Equal((4, 0, 2, 2), (report.Read, report.Created, report.Updated, report.Failed));
        Assert.Equal([("r1", "c-1"), ("r2", "c-3")], target.Written.Select(w => (w.Source.Id, w.TargetId!)).Order());
        Assert.Equal([("Email", 3)], target.Lookups.Select(l => (l.Field, l.Values.Count)));
        var links = await state.GetLinksAsync(Scores.Name, ["r1", "r2", "r3", "r4"], ct);
        Assert.Equal([("r1", "c-1"), ("r2", "c-3")], links.Select(l => (l.Key, l.Value.TargetId)).Order());
        var dead = await state.GetDeadLettersAsync(Scores.Name, ct);
        Assert.Equal(
        [
            ("r3", "NO_MATCH", "Email", "crm.Contacts has no record whose Email is 'stranger@example.org'; the flow only updates (writes: update-only), so it was not created."),
            ("r4", "NO_MATCH", "Email", "the mapped record has no value for its match field(s) Email, so no record of crm.Contacts can be found to update; "
                + "the flow only updates (writes: update-only), so it was not created."),
        ], dead.Select(d => (d.Source.Id, d.Code, d.Field!, d.Message)).Order());
        Assert.Equal(DateTimeOffset.UnixEpoch.AddDays(1), (await state.GetWatermarkAsync(Scores.Name, ct)).Modified);
    }

    [Fact]
    public async Task RunAsync_UpdateOnly_LinkedRecordsAreUpdatedWithoutALookup()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var state = await RecordedStateStore.OpenAsync(ct);
        await state.SeedAsync([new Link(Scores.Name, "r1", "c-1", Fingerprint.Of(new JObject { ["Email"] = "ann@example.com", ["Latest_NPS"] = 4 }),
            DateTimeOffset.UnixEpoch)], ct);
        var target = new ContactsTarget(Contact("c-1", "ann@example.com", hoursAgo: 5));
        var run = new SyncRun(state, new ApiCallMeter(), new WaitObservingClock(), NullLogger<SyncRun>.Instance);

        var report = await run.RunAsync(Scores, new PagedSource(new RecordPage([Response("r1", "ann@example.com", 8)], null)), target, null, ct);

        Assert.Equal((1, 0), (report.Updated, report.Created));
        Assert.Equal("c-1", Assert.Single(target.Written).TargetId);
        Assert.Empty(target.Lookups);
    }

    [Fact]
    public async Task RunAsync_UpdateOnly_TargetThatCannotBeSearched_FailsTheRunAndWritesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var state = await RecordedStateStore.OpenAsync(ct);
        var target = new BlindTarget();
        var page = new RecordPage([Response("r1", "ann@example.com", 9)], new Watermark(DateTimeOffset.UnixEpoch.AddDays(1)));
        var run = new SyncRun(state, new ApiCallMeter(), new WaitObservingClock(), NullLogger<SyncRun>.Instance);

        var report = await run.RunAsync(Scores, new PagedSource(page), target, null, ct);

        Assert.Equal(RunStatus.Failed, report.Status);
        Assert.Contains("only updates (writes: update-only), but the connector of crm cannot look records up by a field", report.Message, StringComparison.Ordinal);
        Assert.Equal(0, target.Writes);
        Assert.Null((await state.GetWatermarkAsync(Scores.Name, ct)).Modified);
        Assert.Empty(await state.GetDeadLettersAsync(Scores.Name, ct));
    }

    // A respondent who gave no e-mail has no email key at all.
    private static Record Response(string id, string? email, int score) =>
        new(new RecordKey("survey.responses", id), DateTimeOffset.UnixEpoch.AddHours(1),
            email is null ? new JObject { ["score"] = score } : new JObject { ["email"] = email, ["score"] = score });

    private static Record Contact(string id, string email, int hoursAgo) =>
        new(new RecordKey("crm.Contacts", id), DateTimeOffset.UnixEpoch.AddDays(10).AddHours(-hoursAgo), new JObject { ["id"] = id, ["Email"] = email });

    /// <summary>A CRM's contacts: found by a field case-insensitively, as Zoho compares e-mails; every write recorded, creates refused loudly.</summary>
    private sealed class ContactsTarget(params Record[] contacts) : ITargetConnector, IRecordLookup
    {
        public List<WriteRequest> Written { get; } = [];

        public List<(string Field, IReadOnlyCollection<string> Values)> Lookups { get; } = [];

        public int MaxBatchSize(string stream) => 100;

        public Task<IReadOnlyList<Record>> FindAsync(string stream, string field, IReadOnlyCollection<string> values, CancellationToken cancellationToken)
        {
            Lookups.Add((field, values));
            return Task.FromResult<IReadOnlyList<Record>>([.. contacts.Where(c => values.Contains((string?)c.Data[field] ?? "", StringComparer.OrdinalIgnoreCase))]);
        }

        public Task<IReadOnlyList<WriteOutcome>> WriteAsync(string stream, IReadOnlyList<WriteRequest> batch, CancellationToken cancellationToken)
        {
            Written.AddRange(batch);
            return Task.FromResult<IReadOnlyList<WriteOutcome>>([.. batch.Select(r => r.TargetId is { } id
                ? new WriteOutcome.Written(r.Source, id, Created: false)
                : throw new InvalidOperationException($"An update-only flow asked to create {r.Source}."))]);
        }
    }

    /// <summary>A target with no lookup by field.</summary>
    private sealed class BlindTarget : ITargetConnector
    {
        public int Writes { get; private set; }

        public int MaxBatchSize(string stream) => 100;

        public Task<IReadOnlyList<WriteOutcome>> WriteAsync(string stream, IReadOnlyList<WriteRequest> batch, CancellationToken cancellationToken)
        {
            Writes++;
            return Task.FromResult<IReadOnlyList<WriteOutcome>>([.. batch.Select(r => new WriteOutcome.Written(r.Source, "x", true))]);
        }
    }
}
