namespace Connectors.Core.Configuration;

/// <summary>What <see cref="ConfigCheck"/> found: every error, in file order, and what each stream was checked against.</summary>
/// <param name="File">The config file's name as given.</param>
/// <param name="Errors">Every error, ordered by line and column; empty when the config is clean.</param>
/// <param name="Schemas">Which schema each stream of a flow was checked against.</param>
/// <param name="FlowCount">How many flows were read.</param>
public sealed record ConfigCheckReport(string File, IReadOnlyList<ConfigError> Errors, IReadOnlyList<SchemaUse> Schemas, int FlowCount)
{
    /// <summary>Whether the config has no error.</summary>
    public bool IsClean => Errors.Count == 0;
}
