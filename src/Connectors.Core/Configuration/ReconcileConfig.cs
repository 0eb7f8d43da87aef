using Connectors.Core.Reconciliation;

namespace Connectors.Core.Configuration;

/// <summary>A flow's <c>reconcile:</c> block, as written: when it runs and what its repairs may do.</summary>
/// <param name="Location">Where the block was written.</param>
public sealed record ReconcileConfig(SourceLocation Location)
{
    /// <summary>When the reconcile timer runs: a 6-field NCRONTAB expression in UTC, checked when the config loads; <see langword="null"/> when not scheduled.</summary>
    public string? Schedule { get; init; }

    /// <summary>
    /// Whether the scheduled reconciliation (the <c>reconcile</c> timer) repairs what the policies allow, or only
    /// reports; <see langword="false"/> unless written. The CLI's <c>reconcile</c> repairs only when told <c>--repair</c>.
    /// </summary>
    public bool Repair { get; init; }

    /// <summary>What happens to target records whose source was deleted (and to duplicates).</summary>
    public DeletePolicy Deletes { get; init; } = DeletePolicy.Ignore;

    /// <summary>The target field set when <see cref="Deletes"/> is <see cref="DeletePolicy.Flag"/>.</summary>
    public string? FlagField { get; init; }

    /// <summary>Above this many records, bulk read (and bulk write for creates), where the vendor has them.</summary>
    public long? BulkAbove { get; init; }

    /// <summary>The API credits the flow's reconciliations may spend in any 24 hours.</summary>
    public long? CreditBudget { get; init; }

    /// <summary>A link to a target record in the vendor's UI, with <c>{id}</c>.</summary>
    public string? TargetRecordUrl { get; init; }

    /// <summary>A link to a source record in the vendor's UI, with <c>{id}</c>.</summary>
    public string? SourceRecordUrl { get; init; }

    /// <summary>Options for a run of this flow's reconciliation; the folders and <paramref name="repair"/> come from the caller.</summary>
    public ReconcileOptions ToOptions(bool repair, string workFolder, string reportFolder) => new()
    {
        Repair = repair,
        Deletes = Deletes,
        FlagField = FlagField,
        BulkAbove = BulkAbove,
        CreditBudget = CreditBudget,
        TargetRecordUrl = TargetRecordUrl,
        SourceRecordUrl = SourceRecordUrl,
        WorkFolder = workFolder,
        ReportFolder = reportFolder,
    };
}
