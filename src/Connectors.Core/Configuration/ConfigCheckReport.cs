namespace Connectors.Core.Configuration;

/// <summary>What <see cref="ConfigCheck"/> found: every error and warning, in file order, and what each stream was checked against.</summary>
/// <param name="File">The config file's name as given.</param>
/// <param name="Errors">Every error, ordered by line and column; empty when the config is clean.</param>
/// <param name="Schemas">Which schema each stream of a flow was checked against.</param>
/// <param name="FlowCount">How many flows were read.</param>
public sealed record ConfigCheckReport(string File, IReadOnlyList<ConfigError> Errors, IReadOnlyList<SchemaUse> Schemas, int FlowCount)
{
    /// <summary>
    /// What could not be confirmed, ordered by line and column: fields a built-in schema does not list while the
    /// system could not be asked. Warnings never make a config unclean.
    /// </summary>
    public IReadOnlyList<ConfigWarning> Warnings { get; init; } = [];

    /// <summary>Whether the config has no error (it may have warnings).</summary>
    public bool IsClean => Errors.Count == 0;
}
