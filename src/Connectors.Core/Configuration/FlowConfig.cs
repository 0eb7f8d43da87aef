using Connectors.Core.Flows;
using Connectors.Core.Mapping;
using Connectors.Core.Sync.TwoWay;
using Connectors.Core.Validation;

namespace Connectors.Core.Configuration;

/// <summary>One flow of a config, as written.</summary>
/// <param name="Name">The flow's name.</param>
/// <param name="From">The source stream.</param>
/// <param name="To">The target stream.</param>
/// <param name="Match">Target fields that identify a record not linked yet.</param>
/// <param name="Fields">The field mapping rules, in the order written.</param>
/// <param name="Location">Where the flow was declared.</param>
/// <param name="Validate">Rules the mapped payload must keep before it is sent (required, email, phone, max_length, allowed).</param>
public sealed record FlowConfig(string Name, StreamRef From, StreamRef To, IReadOnlyList<string> Match,
    IReadOnlyList<MappingField> Fields, SourceLocation Location, IReadOnlyList<ValidationField> Validate)
{
    /// <summary>
    /// When the flow's incremental sync runs on its own: a 6-field NCRONTAB expression in UTC
    /// (<c>{second} {minute} {hour} {day} {month} {day-of-week}</c>), checked when the config loads;
    /// <see langword="null"/> when the flow is not scheduled.
    /// </summary>
    public string? Schedule { get; init; }

    /// <summary>When the flow's reconciliation runs: a 6-field NCRONTAB expression in UTC (the schedule of <see cref="Reconciliation"/>), or <see langword="null"/>.</summary>
    public string? Reconcile { get; init; }

    /// <summary>Whether webhook deliveries of the source system about the source stream trigger this flow.</summary>
    public bool Webhooks { get; init; }

    /// <summary>Where the source stream was written; the flow's location when not known.</summary>
    public SourceLocation? FromLocation { get; init; }

    /// <summary>Where the target stream was written; the flow's location when not known.</summary>
    public SourceLocation? ToLocation { get; init; }

    /// <summary>Where the mapping was written; the flow's location when not known.</summary>
    public SourceLocation? MappingLocation { get; init; }

    /// <summary>The default mapping the flow starts from (<c>mapping: { use: … }</c>), or <see langword="null"/>.</summary>
    public string? DefaultMapping { get; init; }

    /// <summary>One-way flows: whether records not linked yet may be created (<c>writes: create-or-update</c>, the default) or only update what their match fields find (<c>writes: update-only</c>).</summary>
    public WriteMode Writes { get; init; } = WriteMode.CreateOrUpdate;

    /// <summary>Which way records go; <see cref="FlowDirection.OneWay"/> unless the config says <c>direction: two-way</c>.</summary>
    public FlowDirection Direction { get; init; } = FlowDirection.OneWay;

    /// <summary>Two-way flows: the right-to-left mapping rules (<c>reverse:</c>), left field → rule over right fields.</summary>
    public IReadOnlyList<MappingField> Reverse { get; init; } = [];

    /// <summary>Two-way flows: the conflict rules as written, or <see langword="null"/> for the defaults (<c>merge</c>).</summary>
    public ConflictsConfig? Conflicts { get; init; }

    /// <summary>Two-way flows: what to do with two records on one side that share a match key.</summary>
    public DuplicateRule Duplicates { get; init; } = DuplicateRule.LinkOldest;

    /// <summary>The flow's <c>reconcile:</c> block; <see langword="null"/> when it has none (reconciling it then uses the defaults).</summary>
    public ReconcileConfig? Reconciliation { get; init; }
}
