using Connectors.Core.Schema;

namespace Connectors.Zoho;

/// <summary>
/// The fields of Zoho CRM modules: the built-in schema shipped with the connector (the standard fields of
/// Contacts, Products, Sales_Orders and Cases, in <c>Schemas/*.schema.json</c>) and the reading of the live
/// fields metadata. The built-in schema lists standard fields only (<see cref="StreamSchema.CustomFields"/>):
/// an org's custom fields are known from its live metadata alone.
/// </summary>
public static class ZohoSchemas
{
    private static readonly Lazy<IReadOnlyList<StreamSchema>> Shipped =
        new(() => StreamSchemaFile.FromResources(typeof(ZohoSchemas).Assembly, "Connectors.Zoho.Schemas."));

    /// <summary>The modules described without asking Zoho: Contacts, Products, Sales_Orders and Cases with their standard fields.</summary>
    public static IReadOnlyList<StreamSchema> BuiltIn => Shipped.Value;

    /// <summary>A module's schema from its fields metadata (<c>GET /crm/v8/settings/fields?module=</c>).</summary>
    public static StreamSchema FromMetadata(string module, IReadOnlyList<ZohoField> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return new StreamSchema(module, [.. fields.Where(f => !string.IsNullOrEmpty(f.ApiName)).Select(Field)]);
    }

    private static FieldSchema Field(ZohoField field)
    {
        var type = field.DataType ?? "text";
        var kind = KindOf(type);
        var allowed = field.PickListValues.Select(v => v.ActualValue).OfType<string>().ToList();
        return new FieldSchema(field.ApiName!, kind)
        {
            VendorType = type,
            MaxLength = kind == FieldKind.Text ? field.Length : null,
            Required = field.SystemMandatory,
            ReadOnly = field.ReadOnly,
            AllowedValues = allowed.Count > 0 ? allowed : null,
            ItemKind = type == "multiselectpicklist" ? FieldKind.Text : null,
            // A lookup is written as {"id": …} and read back with its name.
            Fields = kind == FieldKind.Object ? [new FieldSchema("id", FieldKind.Text), new FieldSchema("name", FieldKind.Text) { ReadOnly = true }] : null,
        };
    }

    /// <summary>
    /// How a Zoho data type travels in JSON. Types not listed (text, textarea, email, phone, website,
    /// picklist, autonumber, formula, …) are strings.
    /// </summary>
    private static FieldKind KindOf(string dataType) => dataType switch
    {
        "integer" or "bigint" or "double" or "decimal" or "currency" or "percent" => FieldKind.Number,
        "boolean" => FieldKind.Boolean,
        "date" => FieldKind.Date,
        "datetime" => FieldKind.DateTime,
        "lookup" or "ownerlookup" or "userlookup" => FieldKind.Object,
        "multiselectpicklist" or "subform" or "multiselectlookup" or "multiuserlookup" => FieldKind.List,
        _ => FieldKind.Text,
    };
}
