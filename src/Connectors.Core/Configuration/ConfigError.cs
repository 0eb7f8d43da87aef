namespace Connectors.Core.Configuration;

/// <summary>One thing wrong with a config, said where it is and in words an integrator understands.</summary>
/// <param name="Location">Where in the file.</param>
/// <param name="Flow">The flow it concerns, if any.</param>
/// <param name="Field">The field it concerns, if any.</param>
/// <param name="Message">What is wrong and, where we know, how to fix it.</param>
public sealed record ConfigError(SourceLocation Location, string? Flow, string? Field, string Message)
{
    /// <inheritdoc />
    public override string ToString()
    {
        var where = (Flow, Field) switch
        {
            (not null, not null) => $" flow '{Flow}', field '{Field}':",
            (not null, null) => $" flow '{Flow}':",
            (null, not null) => $" '{Field}':",
            _ => "",
        };
        return $"{Location}:{where} {Message}";
    }
}
