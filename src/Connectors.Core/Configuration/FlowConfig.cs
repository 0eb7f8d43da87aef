using Connectors.Core.Flows;
using Connectors.Core.Mapping;
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
    /// <summary>The flow's <c>reconcile:</c> block; <see langword="null"/> when it has none (reconciling it then uses the defaults).</summary>
    public ReconcileConfig? Reconciliation { get; init; }
}
