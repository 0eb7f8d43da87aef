namespace Connectors.Core.Schema;

/// <summary>The fields of one stream of a system, and whether the connector reads and writes it.</summary>
/// <param name="Name">The stream's name within its system (<c>customers</c>, <c>Contacts</c>).</param>
/// <param name="Fields">Its top-level fields.</param>
public sealed record StreamSchema(string Name, IReadOnlyList<FieldSchema> Fields)
{
    /// <summary>Whether the connector reads this stream (a flow may start from it).</summary>
    public bool CanRead { get; init; } = true;

    /// <summary>Whether the connector writes this stream (a flow may end in it).</summary>
    public bool CanWrite { get; init; } = true;

    /// <summary>
    /// Whether the system may have fields this schema does not list: a built-in schema of a vendor whose
    /// customers add custom fields (a CRM module) lists only the vendor's standard fields, so a field missing
    /// from it may still exist in a given org. <see langword="false"/> when the schema is complete (a
    /// connector's own selection, or a system's live metadata).
    /// </summary>
    public bool CustomFields { get; init; }

    /// <summary>The top-level field named <paramref name="name"/>, or <see langword="null"/>.</summary>
    public FieldSchema? Field(string name) => Fields.FirstOrDefault(f => f.Name == name);
}
