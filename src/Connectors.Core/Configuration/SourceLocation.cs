namespace Connectors.Core.Configuration;

/// <summary>Where something was written in a config file, so that an error can point at it.</summary>
/// <param name="File">The file's path as the user gave it.</param>
/// <param name="Line">The 1-based line.</param>
/// <param name="Column">The 1-based column.</param>
public sealed record SourceLocation(string File, int Line, int Column)
{
    /// <summary>The location as editors and compilers print it: <c>file:line:column</c>.</summary>
    public override string ToString() => $"{File}:{Line}:{Column}";
}
