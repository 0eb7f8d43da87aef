namespace Connectors.Core.Configuration;

/// <summary>One system of a config: a named instance of a connector type with its settings.</summary>
/// <param name="Name">The system's name, used in stream references (<c>crm</c> in <c>crm.Contacts</c>).</param>
/// <param name="Type">The connector type, for example the vendor's short name.</param>
/// <param name="Settings">The connector's settings with every reference resolved; may hold secrets, so never print it.</param>
/// <param name="Location">Where the system was declared.</param>
public sealed record SystemConfig(string Name, string Type, IReadOnlyDictionary<string, string> Settings, SourceLocation Location)
{
    /// <summary>Settings left out of <see cref="Settings"/> because they are wrong (a reference that does not resolve); the loader reported each.</summary>
    public IReadOnlyList<string> UnresolvedSettings { get; init; } = [];
}
