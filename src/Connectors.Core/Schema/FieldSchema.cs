namespace Connectors.Core.Schema;

/// <summary>
/// One field of a stream as its system describes it: what <c>connectors validate</c> checks a mapping
/// against (names, types, lengths, mandatory fields, picklist values).
/// </summary>
/// <param name="Name">The field's name as records carry it (<c>Last_Name</c>, <c>defaultAddress</c>).</param>
/// <param name="Kind">The shape of its value.</param>
public sealed record FieldSchema(string Name, FieldKind Kind)
{
    /// <summary>The vendor's own type name, for messages (<c>picklist</c>, <c>lookup</c>, <c>subform</c>); <see langword="null"/> when it adds nothing.</summary>
    public string? VendorType { get; init; }

    /// <summary>The longest text the system accepts, or <see langword="null"/> when unbounded or not text.</summary>
    public int? MaxLength { get; init; }

    /// <summary>Whether every record written must have a value (mandatory in the vendor's metadata).</summary>
    public bool Required { get; init; }

    /// <summary>Whether the system ignores or refuses values written to it (stamps, formulas, totals).</summary>
    public bool ReadOnly { get; init; }

    /// <summary>The only values allowed (a picklist; for a list, each item), or <see langword="null"/> when any value is.</summary>
    public IReadOnlyList<string>? AllowedValues { get; init; }

    /// <summary>For a <see cref="FieldKind.List"/> of scalars, the kind of each item; <see langword="null"/> when unknown or the items are objects.</summary>
    public FieldKind? ItemKind { get; init; }

    /// <summary>
    /// The fields of an <see cref="FieldKind.Object"/>, or of each item of a <see cref="FieldKind.List"/> of
    /// objects (a subform's row); <see langword="null"/> when they are not described, and then not checked.
    /// </summary>
    public IReadOnlyList<FieldSchema>? Fields { get; init; }

    /// <summary>The nested field named <paramref name="name"/>, or <see langword="null"/>.</summary>
    public FieldSchema? Field(string name) => Fields?.FirstOrDefault(f => f.Name == name);
}
