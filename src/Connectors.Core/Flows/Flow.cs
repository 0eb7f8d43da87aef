using Connectors.Core.Mapping;
using Connectors.Core.Validation;

namespace Connectors.Core.Flows;

/// <summary>One-way flow of records from a source stream into a target stream.</summary>
/// <param name="Name">The flow's name, unique in its config; state is kept under it.</param>
/// <param name="From">The source stream.</param>
/// <param name="To">The target stream.</param>
/// <param name="Mapping">The compiled field mapping from source record to target payload.</param>
/// <param name="MatchFields">Target fields that identify a record not linked yet, in order of precedence.</param>
public sealed record Flow(string Name, StreamRef From, StreamRef To, FieldMapping Mapping, IReadOnlyList<string> MatchFields)
{
    /// <summary>The rules a mapped payload must pass before it is sent; a payload that breaks one is dead-lettered.</summary>
    public RecordValidator Validation { get; init; } = RecordValidator.None;

    /// <summary>Whether a record not linked yet may create a target record, or only update the one its match fields find.</summary>
    public WriteMode Writes { get; init; } = WriteMode.CreateOrUpdate;
}
