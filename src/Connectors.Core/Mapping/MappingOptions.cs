namespace Connectors.Core.Mapping;

/// <summary>Settings that apply to a whole mapping when it is compiled.</summary>
public sealed record MappingOptions
{
    /// <summary>The settings used when none are given.</summary>
    public static MappingOptions Default { get; } = new();

    /// <summary>The sandbox limits of <c>script</c> rules.</summary>
    public ScriptLimits Scripts { get; init; } = ScriptLimits.Default;
}
