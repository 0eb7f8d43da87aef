using Connectors.Core.State;

namespace Connectors.Core.Sync;

/// <summary>What one sync run did, in the numbers a user asks for.</summary>
public sealed record SyncReport
{
    /// <summary>The run's unique id.</summary>
    public required string RunId { get; init; }

    /// <summary>The flow's name.</summary>
    public required string Flow { get; init; }

    /// <summary>What kind of run: <c>sync</c> (from the watermark) or <c>sync-ids</c> (named records).</summary>
    public string Kind { get; init; } = "sync";

    /// <summary>When the run started (our clock).</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>How long it took.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>How it ended.</summary>
    public required RunStatus Status { get; init; }

    /// <summary>Why it did not complete, when it did not.</summary>
    public string? Message { get; init; }

    /// <summary>Records read from the source.</summary>
    public long Read { get; init; }

    /// <summary>Records created in the target.</summary>
    public long Created { get; init; }

    /// <summary>Records updated in the target.</summary>
    public long Updated { get; init; }

    /// <summary>Records whose mapped payload equals what we last wrote: no call made.</summary>
    public long Unchanged { get; init; }

    /// <summary>Records sent to the dead letters.</summary>
    public long Failed { get; init; }

    /// <summary>Records the target asked us to send again later; the watermark stays before them.</summary>
    public long Deferred { get; init; }

    /// <summary>HTTP requests made to the source system, retries included.</summary>
    public long SourceApiCalls { get; init; }

    /// <summary>HTTP requests made to the target system, retries included.</summary>
    public long TargetApiCalls { get; init; }

    /// <summary>Write calls the run made (batches sent), before retries.</summary>
    public long WriteBatches { get; init; }

    /// <summary>The history entry for this report.</summary>
    public RunRecord ToRunRecord() => new(RunId, Flow, Kind, StartedAt, Duration, Status,
        new Dictionary<string, long>
        {
            ["read"] = Read,
            ["created"] = Created,
            ["updated"] = Updated,
            ["unchanged"] = Unchanged,
            ["failed"] = Failed,
            ["deferred"] = Deferred,
            ["sourceApiCalls"] = SourceApiCalls,
            ["targetApiCalls"] = TargetApiCalls,
            ["writeBatches"] = WriteBatches,
        },
        Message);
}
