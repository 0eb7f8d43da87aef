namespace Connectors.Core.Mapping;

/// <summary>
/// What one run of a mapping script may use before it is stopped. A script that hits a limit fails
/// its record (dead-lettered with the reason), never the run.
/// </summary>
public sealed record ScriptLimits
{
    /// <summary>The limits used unless a config says otherwise: generous for field arithmetic, tight for a runaway loop.</summary>
    public static ScriptLimits Default { get; } = new();

    /// <summary>
    /// Wall-clock time one run may take: the backstop for what the statement limit cannot see (a slow
    /// built-in over a huge string). Generous, because a busy machine must not fail a sound script.
    /// </summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Bytes one run may allocate.</summary>
    public long MemoryBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Statements one run may execute.</summary>
    public int MaxStatements { get; init; } = 10_000;

    /// <summary>How deep function calls may nest.</summary>
    public int MaxRecursion { get; init; } = 64;
}
