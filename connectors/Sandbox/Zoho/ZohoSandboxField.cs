namespace Connectors.Sandbox.Zoho;

/// <summary>One field of a sandbox module, as the fields metadata API describes it and the records API enforces it.</summary>
/// <param name="ApiName">The field's API name, for example <c>Last_Name</c>.</param>
/// <param name="DataType"><c>text</c>, <c>email</c>, <c>phone</c>, <c>textarea</c>, <c>picklist</c>, <c>lookup</c> or <c>datetime</c>.</param>
/// <param name="MaxLength">The longest value accepted (<c>INVALID_DATA</c> beyond), or <see langword="null"/> for none.</param>
/// <param name="Mandatory">Whether an insert without it fails with <c>MANDATORY_NOT_FOUND</c>.</param>
/// <param name="Unique">Whether values must be unique ("Do not allow duplicate values"); unique fields may be upsert duplicate-check fields.</param>
/// <param name="ReadOnly">Whether the API ignores values written to it (system stamps).</param>
/// <param name="PickListValues">For a picklist, the values the fields metadata lists (<c>actual_value</c> and <c>display_value</c> alike).</param>
public sealed record ZohoSandboxField(string ApiName, string DataType, int? MaxLength = null, bool Mandatory = false, bool Unique = false,
    bool ReadOnly = false, IReadOnlyList<string>? PickListValues = null);
