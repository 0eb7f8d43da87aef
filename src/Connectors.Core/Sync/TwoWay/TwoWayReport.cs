using Connectors.Core.State;

namespace Connectors.Core.Sync.TwoWay;

/// <summary>What one run of a two-way flow did, per side, in the numbers a user asks for.</summary>
public sealed record TwoWayReport
{
    /// <summary>The run's unique id.</summary>
    public required string RunId { get; init; }

    /// <summary>The flow's name.</summary>
    public required string Flow { get; init; }

    /// <summary>When the run started (our clock).</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>How long it took.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>How it ended.</summary>
    public required RunStatus Status { get; init; }

    /// <summary>Why it did not complete, when it did not.</summary>
    public string? Message { get; init; }

    /// <summary>Changed records read from the left side.</summary>
    public long ReadLeft { get; init; }

    /// <summary>Changed records read from the right side.</summary>
    public long ReadRight { get; init; }

    /// <summary>Records created on the left side.</summary>
    public long CreatedLeft { get; init; }

    /// <summary>Records created on the right side.</summary>
    public long CreatedRight { get; init; }

    /// <summary>Records updated on the left side.</summary>
    public long UpdatedLeft { get; init; }

    /// <summary>Records updated on the right side.</summary>
    public long UpdatedRight { get; init; }

    /// <summary>Pairs that needed no write: nothing changed since the base (our own writes read back, re-read boundary records).</summary>
    public long Unchanged { get; init; }

    /// <summary>Records matched with their twin on the other side by match key and linked.</summary>
    public long Matched { get; init; }

    /// <summary>Records parked in the conflict queue (or parked again) by this run.</summary>
    public long Conflicts { get; init; }

    /// <summary>Decided conflicts this run applied.</summary>
    public long Resolved { get; init; }

    /// <summary>Records passed over because another record on their side has the same match key.</summary>
    public long Duplicates { get; init; }

    /// <summary>Linked records whose counterpart is gone; not recreated.</summary>
    public long Orphans { get; init; }

    /// <summary>Conditional writes refused because the record changed after it was read; each was read and merged again.</summary>
    public long Remerged { get; init; }

    /// <summary>Records sent to the dead letters.</summary>
    public long Failed { get; init; }

    /// <summary>Records a vendor asked us to send again later, or that kept changing under us; their side's watermark stays before them.</summary>
    public long Deferred { get; init; }

    /// <summary>HTTP requests made to the left system, retries included.</summary>
    public long LeftApiCalls { get; init; }

    /// <summary>HTTP requests made to the right system, retries included.</summary>
    public long RightApiCalls { get; init; }

    /// <summary>The duplicates and orphans, each with its reason.</summary>
    public IReadOnlyList<ReportedRecord> Reported { get; init; } = [];

    /// <summary>Records written, both sides, creates and updates.</summary>
    public long Writes => CreatedLeft + CreatedRight + UpdatedLeft + UpdatedRight;

    /// <summary>The history entry for this report.</summary>
    public RunRecord ToRunRecord() => new(RunId, Flow, "sync-two-way", StartedAt, Duration, Status,
        new Dictionary<string, long>
        {
            ["readLeft"] = ReadLeft,
            ["readRight"] = ReadRight,
            ["createdLeft"] = CreatedLeft,
            ["createdRight"] = CreatedRight,
            ["updatedLeft"] = UpdatedLeft,
            ["updatedRight"] = UpdatedRight,
            ["unchanged"] = Unchanged,
            ["matched"] = Matched,
            ["conflicts"] = Conflicts,
            ["resolved"] = Resolved,
            ["duplicates"] = Duplicates,
            ["orphans"] = Orphans,
            ["remerged"] = Remerged,
            ["failed"] = Failed,
            ["deferred"] = Deferred,
            ["leftApiCalls"] = LeftApiCalls,
            ["rightApiCalls"] = RightApiCalls,
        },
        Message);
}
