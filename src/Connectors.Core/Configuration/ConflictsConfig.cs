using Connectors.Core.Conflicts;

namespace Connectors.Core.Configuration;

/// <summary>The <c>conflicts:</c> section of a two-way flow, as written.</summary>
/// <param name="Policy">The record-level policy.</param>
/// <param name="Owners">Field (right-side terms) → the side that owns it: a system's name, or <c>left</c> / <c>right</c>.</param>
/// <param name="Fields">Field (right-side terms) → its own policy.</param>
/// <param name="Skew">The clock-skew tolerance of <c>newest-wins</c>.</param>
/// <param name="Location">Where the section was written.</param>
public sealed record ConflictsConfig(ConflictPolicy Policy, IReadOnlyDictionary<string, string> Owners,
    IReadOnlyDictionary<string, ConflictPolicy> Fields, TimeSpan Skew, SourceLocation Location);
