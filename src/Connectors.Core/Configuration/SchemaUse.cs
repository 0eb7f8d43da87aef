namespace Connectors.Core.Configuration;

/// <summary>Which schema <see cref="ConfigCheck"/> used for one stream, and why.</summary>
/// <param name="System">The system's name in the config.</param>
/// <param name="Type">The system's type.</param>
/// <param name="Stream">The stream.</param>
/// <param name="Origin">What the stream was checked against.</param>
/// <param name="Why">Why not live, when it was not (the system could not be reached, has no metadata API, …).</param>
public sealed record SchemaUse(string System, string Type, string Stream, SchemaOrigin Origin, string? Why)
{
    /// <summary>The line <c>validate</c> prints for it.</summary>
    public override string ToString() => Origin switch
    {
        SchemaOrigin.Live => $"{System}.{Stream} ({Type}): checked against the system's live field metadata.",
        SchemaOrigin.BuiltIn => $"{System}.{Stream} ({Type}): checked against the connector's built-in schema{(Why is null ? "" : $" ({Why})")}.",
        _ => $"{System}.{Stream} ({Type}): fields not checked{(Why is null ? "" : $" ({Why})")}.",
    };
}
