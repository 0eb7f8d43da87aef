namespace Connectors.Core.Reconciliation;

/// <summary>One record that is not in sync, as the report lists it.</summary>
/// <param name="Class">What was found.</param>
/// <param name="SourceId">The source record's id, when there is one.</param>
/// <param name="TargetId">The target record's id, when there is one.</param>
/// <param name="Fields">The target fields that disagree (drift), in the mapping's order; empty otherwise.</param>
/// <param name="Evidence">For a record missing in the source: why it is believed deleted.</param>
/// <param name="Label">Something a person recognises the record by (the match key's value), when known.</param>
public sealed record ReconcileFinding(Classification Class, string? SourceId, string? TargetId, IReadOnlyList<string> Fields,
    DeleteEvidence Evidence, string? Label);
