using System.Globalization;
using Newtonsoft.Json.Linq;

namespace Connectors.Sandbox.BusinessCentral;

/// <summary>
/// The fields of one API v2.0 entity as the emulator stores and validates them: names, types, lengths and
/// read-only flags after the api-reference v2.0 resource pages. Errors use Business Central's codes and
/// message shapes (api-reference error codes).
/// </summary>
internal sealed class EntitySchema
{
    private const string EmptyGuid = "00000000-0000-0000-0000-000000000000";
    private readonly Dictionary<string, Field> _fields;

    private EntitySchema(string entityName, string caption, IEnumerable<Field> fields)
    {
        EntityName = entityName;
        Caption = caption;
        _fields = fields.ToDictionary(f => f.Name, StringComparer.Ordinal);
    }

    /// <summary>The entity's OData type name, for example <c>customer</c>.</summary>
    public string EntityName { get; }

    /// <summary>The table's caption in messages, for example <c>Customer</c>.</summary>
    public string Caption { get; }

    public static EntitySchema Customer { get; } = new("customer", "Customer",
    [
        Field.Key("id"), Field.Text("number", 20), Field.Text("displayName", 100), Field.Option("type", "Company", "Person"),
        Field.Text("addressLine1", 100), Field.Text("addressLine2", 50), Field.Text("city", 30), Field.Text("state", 30),
        Field.Text("country", 10), Field.Text("postalCode", 20), Field.Text("phoneNumber", 30), Field.Text("email", 80),
        Field.Text("website", 80), Field.Text("salespersonCode", 20), Field.Decimal("balanceDue", readOnly: true), Field.Decimal("creditLimit"),
        Field.Boolean("taxLiable"), Field.Guid("taxAreaId"), Field.Text("taxAreaDisplayName", 100, readOnly: true),
        Field.Text("taxRegistrationNumber", 20), Field.Guid("currencyId"), Field.Text("currencyCode", 10), Field.Guid("paymentTermsId"),
        Field.Guid("shipmentMethodId"), Field.Guid("paymentMethodId"), Field.Option("blocked", " ", "Ship", "Invoice", "All"),
        Field.Stamp(),
    ]);

    public static EntitySchema SalesOrder { get; } = new("salesOrder", "Sales Header",
    [
        Field.Key("id"), Field.Text("number", 20, readOnly: true), Field.Text("externalDocumentNumber", 35), Field.Date("orderDate"),
        Field.Date("postingDate"), Field.Guid("customerId"), Field.Text("customerNumber", 20), Field.Text("customerName", 100, readOnly: true),
        Field.Text("billToName", 100, readOnly: true), Field.Guid("billToCustomerId"), Field.Text("billToCustomerNumber", 20),
        Field.Text("sellToAddressLine1", 100), Field.Text("sellToAddressLine2", 50), Field.Text("sellToCity", 30),
        Field.Text("sellToCountry", 10), Field.Text("sellToState", 30), Field.Text("sellToPostCode", 20),
        Field.Text("shipToName", 100), Field.Text("shipToContact", 100), Field.Text("shipToAddressLine1", 100),
        Field.Text("shipToAddressLine2", 50), Field.Text("shipToCity", 30), Field.Text("shipToCountry", 10), Field.Text("shipToState", 30),
        Field.Text("shipToPostCode", 20), Field.Guid("currencyId"), Field.Text("currencyCode", 10), Field.Boolean("pricesIncludeTax"),
        Field.Guid("paymentTermsId"), Field.Guid("shipmentMethodId"), Field.Text("salesperson", 20), Field.Decimal("discountAmount"),
        Field.Decimal("totalAmountExcludingTax", readOnly: true), Field.Decimal("totalTaxAmount", readOnly: true),
        Field.Decimal("totalAmountIncludingTax", readOnly: true), Field.Boolean("fullyShipped", readOnly: true),
        Field.Text("status", 20, readOnly: true), Field.Text("phoneNumber", 30), Field.Text("email", 80), Field.Stamp(),
    ]);

    public static EntitySchema SalesOrderLine { get; } = new("salesOrderLine", "Sales Line",
    [
        Field.Key("id"), Field.Guid("documentId", readOnly: true), Field.Decimal("sequence", readOnly: true), Field.Guid("itemId"),
        Field.Option("lineType", "Comment", "Account", "Item", "Resource", "Fixed Asset", "Charge"), Field.Text("lineObjectNumber", 20),
        Field.Text("description", 100), Field.Text("unitOfMeasureCode", 10), Field.Decimal("quantity"), Field.Decimal("unitPrice"),
        Field.Decimal("discountAmount"), Field.Decimal("discountPercent"), Field.Text("taxCode", 20),
        Field.Decimal("amountExcludingTax", readOnly: true), Field.Decimal("amountIncludingTax", readOnly: true), Field.Date("shipmentDate"),
    ]);

    /// <summary>A new entity with every field at its default, as Business Central returns all properties.</summary>
    public JObject Defaults()
    {
        var entity = new JObject();
        foreach (var field in _fields.Values)
        {
            entity[field.Name] = field.Default();
        }
        return entity;
    }

    /// <summary>
    /// Checks a request body and, when it is valid, copies its fields onto <paramref name="entity"/>. Returns
    /// Business Central's error (code, message) for the first bad property, or <see langword="null"/>.
    /// </summary>
    /// <param name="body">The request body.</param>
    /// <param name="entity">The stored entity to change.</param>
    /// <param name="navigation">Navigation properties allowed in the body (deep insert); they are not copied.</param>
    public (string Code, string Message)? Apply(JObject body, JObject entity, params string[] navigation)
    {
        foreach (var property in body.Properties())
        {
            if (property.Name.StartsWith("@odata.", StringComparison.Ordinal) || navigation.Contains(property.Name)) continue;
            if (!_fields.TryGetValue(property.Name, out var field))
            {
                return ("BadRequest", $"The property '{property.Name}' does not exist on type 'Microsoft.NAV.{EntityName}'. "
                    + "Make sure to only use property names that are defined by the type.");
            }
            if (field.Kind == Kind.Key || field.Kind == Kind.Stamp) continue;
            if (field.ReadOnly) return ("BadRequest_InvalidOperation", $"Control '{field.Name}' is read-only");
            if (field.Check(property.Value) is { } error) return error;
        }
        foreach (var property in body.Properties())
        {
            if (_fields.TryGetValue(property.Name, out var field) && field.Kind is not (Kind.Key or Kind.Stamp))
            {
                entity[property.Name] = field.Normalize(property.Value);
            }
        }
        return null;
    }

    private enum Kind { Key, Text, Guid, Decimal, Boolean, Date, Option, Stamp }

    private sealed record Field(string Name, Kind Kind, int MaxLength = 0, bool ReadOnly = false, string[]? Values = null)
    {
        public static Field Key(string name) => new(name, Kind.Key, ReadOnly: true);
        public static Field Text(string name, int max, bool readOnly = false) => new(name, Kind.Text, max, readOnly);
        public static Field Guid(string name, bool readOnly = false) => new(name, Kind.Guid, ReadOnly: readOnly);
        public static Field Decimal(string name, bool readOnly = false) => new(name, Kind.Decimal, ReadOnly: readOnly);
        public static Field Boolean(string name, bool readOnly = false) => new(name, Kind.Boolean, ReadOnly: readOnly);
        public static Field Date(string name) => new(name, Kind.Date);
        public static Field Option(string name, params string[] values) => new(name, Kind.Option, Values: values);
        public static Field Stamp() => new("lastModifiedDateTime", Kind.Stamp, ReadOnly: true);

        public JToken Default() => Kind switch
        {
            Kind.Key or Kind.Guid => EmptyGuid,
            Kind.Decimal => 0m,
            Kind.Boolean => false,
            Kind.Date => "0001-01-01",
            Kind.Option => Values![0],
            Kind.Stamp => "0001-01-01T00:00:00Z",
            _ => "",
        };

        public (string Code, string Message)? Check(JToken value)
        {
            if (value.Type == JTokenType.Null) return null;
            switch (Kind)
            {
                case Kind.Text when value.Type != JTokenType.String:
                    return Unconvertible(value, "Edm.String");
                case Kind.Text when ((string)value!).Length > MaxLength:
                    var text = (string)value!;
                    return ("Application_StringExceededLength",
                        $"The length of the string is {text.Length}, but it must be less than or equal to {MaxLength} characters. Value: {text}");
                case Kind.Guid when value.Type != JTokenType.String || !System.Guid.TryParse((string)value!, out _):
                    return ("Application_Invalid_GUID", "Invalid format of GUID string. The correct format of the GUID string is: "
                        + "CDEF7890-ABCD-0123-1234-567890ABCDEF where 0-9, A-F symbolizes hexadecimal digits.");
                case Kind.Decimal when value.Type is not (JTokenType.Integer or JTokenType.Float):
                    return Unconvertible(value, "Edm.Decimal");
                case Kind.Boolean when value.Type != JTokenType.Boolean:
                    return Unconvertible(value, "Edm.Boolean");
                case Kind.Date when value.Type != JTokenType.String
                    || !DateOnly.TryParseExact((string)value!, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _):
                    return Unconvertible(value, "Edm.Date");
                case Kind.Option when value.Type != JTokenType.String || !Values!.Contains((string)value!, StringComparer.OrdinalIgnoreCase):
                    return ("Application_EvaluateException", $"The value \"{value}\" can't be evaluated into type Option.");
                default:
                    return null;
            }
        }

        public JToken Normalize(JToken value) => value.Type == JTokenType.Null
            ? Default()
            : Kind == Kind.Option ? Values!.First(v => string.Equals(v, (string)value!, StringComparison.OrdinalIgnoreCase)) : value.DeepClone();

        private static (string, string) Unconvertible(JToken value, string type) =>
            ("BadRequest", $"Cannot convert the literal '{value.ToString(Newtonsoft.Json.Formatting.None)}' to the expected type '{type}'.");
    }
}
