namespace Connectors.Core.Mapping;

/// <summary>
/// A rule failed, at compile time or on one record. Thrown inside the compiled tree and turned into a
/// <see cref="MappingException"/> at the top, after each enclosing rule has prefixed its own field, so
/// that nested failures name their full place (<c>Ordered_Items[2].Quantity</c>).
/// </summary>
internal sealed class RuleFailure(string reason) : Exception(reason)
{
    /// <summary>The field path below the rule that is handling the failure; empty at the failing rule itself.</summary>
    public string Path { get; private set; } = "";

    /// <summary>Prefixes the path with an enclosing field name or an array index written as <c>[i]</c>.</summary>
    public RuleFailure Within(string parent)
    {
        Path = Path.Length == 0 ? parent : Path[0] == '[' ? parent + Path : parent + "." + Path;
        return this;
    }
}
