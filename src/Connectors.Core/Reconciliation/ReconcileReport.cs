using Connectors.Core.State;

namespace Connectors.Core.Reconciliation;

/// <summary>What one reconciliation of a flow found and did, in the numbers a business reader asks for.</summary>
public sealed record ReconcileReport
{
    /// <summary>The run's unique id.</summary>
    public required string RunId { get; init; }

    /// <summary>The flow's name.</summary>
    public required string Flow { get; init; }

    /// <summary>The source stream, <c>system.stream</c>.</summary>
    public required string Source { get; init; }

    /// <summary>The target stream, <c>system.stream</c>.</summary>
    public required string Target { get; init; }

    /// <summary>When the run started (our clock).</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>How long it took.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>How it ended: <see cref="RunStatus.Incomplete"/> when it stopped at the credit budget or a passing outage (the next run resumes).</summary>
    public RunStatus Status { get; init; }

    /// <summary>Why it stopped early, in words, when it did.</summary>
    public string? Message { get; init; }

    /// <summary>Whether this run picked up an interrupted run's checkpoint.</summary>
    public bool Resumed { get; init; }

    /// <summary>Whether repairs were asked for.</summary>
    public bool Repair { get; init; }

    /// <summary>The flow's delete policy.</summary>
    public DeletePolicy Deletes { get; init; }

    /// <summary>How the source was read: <c>paged</c> or <c>bulk</c>.</summary>
    public string SourceReadMode { get; init; } = "paged";

    /// <summary>How the target was read: <c>paged</c> or <c>bulk</c>.</summary>
    public string TargetReadMode { get; init; } = "paged";

    /// <summary>Records read from the source.</summary>
    public long SourceRecords { get; init; }

    /// <summary>Records read from the target.</summary>
    public long TargetRecords { get; init; }

    /// <summary>Links the flow had when the run started.</summary>
    public long Links { get; init; }

    /// <summary>Source records whose mapping or validation failed, so they could not be compared.</summary>
    public long Unmapped { get; init; }

    /// <summary>How many records (or links) fell in each class. Every record read is counted once.</summary>
    public IReadOnlyDictionary<Classification, long> Counts { get; init; } = new Dictionary<Classification, long>();

    /// <summary>Of <see cref="Classification.MissingInSource"/>: target records that were linked, so their source was deleted.</summary>
    public long DeletedInSource { get; init; }

    /// <summary>Target records the flow's policy already settled: flagged by an earlier repair (deleted in source or duplicate).</summary>
    public long AlreadyFlagged { get; init; }

    /// <summary>
    /// Records that are not in sync and that this flow answers for: everything but in sync, target records
    /// this flow never wrote, and records already flagged. Zero means the systems agree.
    /// </summary>
    public long Drift { get; init; }

    /// <summary>Drifted records by target field: how many records disagree on each field.</summary>
    public IReadOnlyDictionary<string, long> DriftByField { get; init; } = new Dictionary<string, long>();

    /// <summary>The worst records of each kind (at most <see cref="ReconcileOptions.WorstRecords"/> each; most drifted fields first).</summary>
    public IReadOnlyList<ReconcileFinding> Findings { get; init; } = [];

    /// <summary>What the repair did (all zero when no repair was asked for).</summary>
    public RepairTotals Repairs { get; init; } = new();

    /// <summary>Calls made to each system against the fewest the work needed.</summary>
    public IReadOnlyList<ApiCallAccount> Calls { get; init; } = [];

    /// <summary>The flow's credit budget for any 24 hours, when it has one.</summary>
    public long? CreditBudget { get; init; }

    /// <summary>Credits left in the budget when the run ended.</summary>
    public long? CreditsLeft { get; init; }

    /// <summary>The target record link template the HTML report uses.</summary>
    public string? TargetRecordUrl { get; init; }

    /// <summary>The source record link template the HTML report uses.</summary>
    public string? SourceRecordUrl { get; init; }

    /// <summary>Where the JSON report was written.</summary>
    public string? JsonPath { get; init; }

    /// <summary>Where the HTML report was written.</summary>
    public string? HtmlPath { get; init; }

    /// <summary>The count of one class (0 when none).</summary>
    public long Count(Classification classification) => Counts.TryGetValue(classification, out var count) ? count : 0;

    /// <summary>The history entry for this report: the counts by name, and the report's path in the message.</summary>
    public RunRecord ToRunRecord()
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal)
        {
            ["sourceRecords"] = SourceRecords,
            ["targetRecords"] = TargetRecords,
            ["drift"] = Drift,
            ["unmapped"] = Unmapped,
            ["deletedInSource"] = DeletedInSource,
            ["alreadyFlagged"] = AlreadyFlagged,
            ["created"] = Repairs.Created,
            ["updated"] = Repairs.Updated,
            ["relinked"] = Repairs.Relinked,
            ["flagged"] = Repairs.Flagged,
            ["deleted"] = Repairs.Deleted,
            ["repairFailed"] = Repairs.Failed,
            ["credits"] = Calls.Sum(c => c.Credits),
            ["apiCalls"] = Calls.Sum(c => c.Calls),
            ["minimumApiCalls"] = Calls.Sum(c => c.Minimum),
        };
        foreach (var classification in Enum.GetValues<Classification>())
        {
            var name = classification.ToString();
            counts[char.ToLowerInvariant(name[0]) + name[1..]] = Count(classification);
        }
        var report = HtmlPath is null ? null : $"Report: {HtmlPath}";
        var message = Message is null ? report : report is null ? Message : $"{Message} {report}";
        return new RunRecord(RunId, Flow, "reconcile", StartedAt, Duration, Status, counts, message);
    }
}
