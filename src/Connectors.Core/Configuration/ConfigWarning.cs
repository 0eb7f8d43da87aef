namespace Connectors.Core.Configuration;

/// <summary>
/// Something <see cref="ConfigCheck"/> could not confirm, located like an error but not one: the config may
/// well be right (a custom field the built-in schema cannot know while the system could not be asked), so it
/// does not make the check fail. Said so that the integrator can confirm it, or validate again when the
/// system can be reached.
/// </summary>
/// <param name="Location">Where in the file.</param>
/// <param name="Flow">The flow it concerns, if any.</param>
/// <param name="Field">The field it concerns, if any.</param>
/// <param name="Message">What could not be checked, and why.</param>
public sealed record ConfigWarning(SourceLocation Location, string? Flow, string? Field, string Message)
{
    /// <summary>The line <c>validate</c> prints: <c>file:line:column: warning: flow 'f', field 'x': message</c>.</summary>
    public override string ToString() => ConfigError.Format(Location, Flow, Field, Message, "warning");
}
