namespace Connectors.Sandbox.Zoho;

/// <summary>One field of a sandbox module, as the fields metadata API describes it and the records API enforces it.</summary>
/// <param name="ApiName">The field's API name, for example <c>Last_Name</c>.</param>
/// <param name="DataType">
/// <c>text</c>, <c>email</c>, <c>phone</c>, <c>textarea</c>, <c>picklist</c> (text), <c>lookup</c> (<c>{"id"}</c>),
/// <c>integer</c> (a JSON integer), <c>double</c> and <c>currency</c> (JSON numbers), <c>boolean</c>, <c>date</c>
/// (<c>yyyy-MM-dd</c>), <c>datetime</c> (ISO 8601 with offset) or <c>subform</c> (rows of <paramref name="Rows"/>).
/// </param>
/// <param name="MaxLength">The longest value accepted (<c>INVALID_DATA</c> beyond), or <see langword="null"/> for none.</param>
/// <param name="Mandatory">Whether an insert without it fails with <c>MANDATORY_NOT_FOUND</c> (a subform: without a row).</param>
/// <param name="Unique">Whether values must be unique ("Do not allow duplicate values", external ids); unique fields may be upsert duplicate-check fields.</param>
/// <param name="ReadOnly">Whether the API ignores values written to it (system stamps, computed totals).</param>
/// <param name="LookupModule">For a lookup, the module whose record id it must name (an unknown id is <c>INVALID_DATA</c>); <see langword="null"/> to accept any id.</param>
/// <param name="Rows">For a subform, the fields of one row.</param>
/// <param name="PickListValues">For a picklist, the values the fields metadata lists (<c>actual_value</c> and <c>display_value</c> alike).</param>
public sealed record ZohoSandboxField(string ApiName, string DataType, int? MaxLength = null, bool Mandatory = false, bool Unique = false,
    bool ReadOnly = false, string? LookupModule = null, IReadOnlyList<ZohoSandboxField>? Rows = null, IReadOnlyList<string>? PickListValues = null);
