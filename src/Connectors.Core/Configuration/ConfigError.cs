namespace Connectors.Core.Configuration;

/// <summary>One thing wrong with a config, said where it is and in words an integrator understands.</summary>
/// <param name="Location">Where in the file.</param>
/// <param name="Flow">The flow it concerns, if any.</param>
/// <param name="Field">The field it concerns, if any.</param>
/// <param name="Message">What is wrong and, where we know, how to fix it.</param>
public sealed record ConfigError(SourceLocation Location, string? Flow, string? Field, string Message)
{
    /// <inheritdoc />
    public override string ToString() => Format(Location, Flow, Field, Message);

    /// <summary>
    /// The one-line form errors and warnings share, <c>file:line:column: flow 'f', field 'x': message</c>, with
    /// <paramref name="severity"/> after the location when given (<c>file:line:column: warning: …</c>).
    /// </summary>
    internal static string Format(SourceLocation location, string? flow, string? field, string message, string? severity = null)
    {
        var where = (flow, field) switch
        {
            (not null, not null) => $" flow '{flow}', field '{field}':",
            (not null, null) => $" flow '{flow}':",
            (null, not null) => $" '{field}':",
            _ => "",
        };
        return severity is null ? $"{location}:{where} {message}" : $"{location}: {severity}:{where} {message}";
    }
}
