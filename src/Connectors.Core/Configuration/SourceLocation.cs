namespace Connectors.Core.Configuration;

/// <summary>Where something was written in a config file, for error messages an integrator can act on.</summary>
/// <param name="File">The config file's path as given.</param>
/// <param name="Line">The 1-based line.</param>
/// <param name="Column">The 1-based column.</param>
public sealed record SourceLocation(string File, int Line, int Column)
{
    /// <inheritdoc />
    public override string ToString() => $"{File}:{Line}:{Column}";
}
