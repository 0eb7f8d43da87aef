using System.ComponentModel.DataAnnotations;

namespace Connectors.Core.Reconciliation;

/// <summary>How one flow is reconciled: its policies, its limits and where its files go. Validated by <see cref="Validate()"/>.</summary>
public sealed class ReconcileOptions : IValidatableObject
{
    /// <summary>Whether to fix what the policies allow (create missing, rewrite drifted, relink, flag or delete), or only report.</summary>
    public bool Repair { get; set; }

    /// <summary>What to do with target records whose source was deleted, and with duplicates.</summary>
    public DeletePolicy Deletes { get; set; } = DeletePolicy.Ignore;

    /// <summary>The target field set to <see langword="true"/> when <see cref="Deletes"/> is <see cref="DeletePolicy.Flag"/>.</summary>
    public string? FlagField { get; set; }

    /// <summary>
    /// Above this many records a side is read through its bulk read API (and more records than this to
    /// create are written through its bulk write API), where the connector has one; <see langword="null"/> never.
    /// </summary>
    [Range(1, long.MaxValue)]
    public long? BulkAbove { get; set; }

    /// <summary>
    /// The credits this flow's reconciliations may spend in any 24 hours (rolling, as vendors count them);
    /// <see langword="null"/> for no limit. A run that would go past it stops cleanly and the next resumes.
    /// </summary>
    [Range(1, long.MaxValue)]
    public long? CreditBudget { get; set; }

    /// <summary>Where the scratch database (the run's checkpoint) lives. Required.</summary>
    [Required(AllowEmptyStrings = false)]
    public string WorkFolder { get; set; } = "";

    /// <summary>Where the JSON and HTML reports are written. Required.</summary>
    [Required(AllowEmptyStrings = false)]
    public string ReportFolder { get; set; } = "";

    /// <summary>
    /// A link to a target record in the vendor's own UI, with <c>{id}</c> where the record id goes
    /// (for example <c>https://crm.example.com/org123/tab/Contacts/{id}</c>); reports link the worst records when set.
    /// </summary>
    public string? TargetRecordUrl { get; set; }

    /// <summary>A link to a source record in the vendor's own UI, with <c>{id}</c> where the record id goes.</summary>
    public string? SourceRecordUrl { get; set; }

    /// <summary>How many records each kind of finding lists in the report (the counts are always complete).</summary>
    [Range(1, 10_000)]
    public int WorstRecords { get; set; } = 50;

    /// <summary>
    /// How long an interrupted run's checkpoint is resumed; after that a run starts afresh (what it read is too old).
    /// 36 hours: the next nightly run picks it up once the credits it spent have freed up, 24 hours on.
    /// </summary>
    public TimeSpan CheckpointLifetime { get; set; } = TimeSpan.FromHours(36);

    /// <summary>Checks the options and throws <see cref="ValidationException"/> naming the first bad setting.</summary>
    public void Validate() => Validator.ValidateObject(this, new ValidationContext(this), validateAllProperties: true);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Deletes == DeletePolicy.Flag && string.IsNullOrWhiteSpace(FlagField))
        {
            yield return new ValidationResult($"{nameof(FlagField)} is required when {nameof(Deletes)} is flag.", [nameof(FlagField)]);
        }
        foreach (var (name, template) in new[] { (nameof(TargetRecordUrl), TargetRecordUrl), (nameof(SourceRecordUrl), SourceRecordUrl) })
        {
            if (template is not null && (!template.Contains("{id}", StringComparison.Ordinal)
                || !Uri.TryCreate(template.Replace("{id}", "1", StringComparison.Ordinal), UriKind.Absolute, out _)))
            {
                yield return new ValidationResult($"{name} must be an absolute URL with {{id}} where the record id goes.", [name]);
            }
        }
        if (CheckpointLifetime <= TimeSpan.Zero)
        {
            yield return new ValidationResult($"{nameof(CheckpointLifetime)} must be positive.", [nameof(CheckpointLifetime)]);
        }
    }
}
