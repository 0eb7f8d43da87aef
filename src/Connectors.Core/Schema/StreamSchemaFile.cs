using System.Reflection;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Schema;

/// <summary>
/// Reads the built-in schemas connectors ship as JSON, one file per stream, so that a vendor folder
/// describes its streams as data rather than code:
/// <code>
/// { "stream": "Contacts", "read": true, "write": true, "customFields": true,
///   "fields": [ { "name": "Last_Name", "kind": "text", "maxLength": 80, "required": true },
///               { "name": "Lead_Source", "kind": "text", "vendorType": "picklist", "allowed": ["Web", "Partner"] },
///               { "name": "Account_Name", "kind": "object", "vendorType": "lookup", "fields": [ { "name": "id", "kind": "text" } ] },
///               { "name": "tags", "kind": "list", "items": "text" } ] }
/// </code>
/// Kinds: <c>text</c>, <c>number</c>, <c>boolean</c>, <c>date</c>, <c>datetime</c>, <c>object</c>, <c>list</c>.
/// <c>customFields: true</c> says the file lists the vendor's standard fields only and an installation may have
/// more (<see cref="StreamSchema.CustomFields"/>); it defaults to <see langword="false"/>, a complete description.
/// </summary>
public static class StreamSchemaFile
{
    /// <summary>Parses one stream's schema.</summary>
    /// <exception cref="FormatException">The text is not a stream schema; names what is wrong.</exception>
    public static StreamSchema Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JObject root;
        try
        {
            root = JObject.Parse(json);
        }
        catch (Newtonsoft.Json.JsonException e)
        {
            throw new FormatException($"A stream schema must be a JSON object: {e.Message}", e);
        }
        var name = root.Value<string>("stream") ?? throw new FormatException("A stream schema needs 'stream'.");
        return new StreamSchema(name, Fields(root["fields"], name))
        {
            CanRead = root.Value<bool?>("read") ?? true,
            CanWrite = root.Value<bool?>("write") ?? true,
            CustomFields = root.Value<bool?>("customFields") ?? false,
        };
    }

    /// <summary>Reads every embedded resource of <paramref name="assembly"/> whose name ends in <c>.schema.json</c> and starts with <paramref name="prefix"/>.</summary>
    public static IReadOnlyList<StreamSchema> FromResources(Assembly assembly, string prefix)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var schemas = new List<StreamSchema>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)
            && n.EndsWith(".schema.json", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            schemas.Add(Parse(reader.ReadToEnd()));
        }
        return schemas;
    }

    private static List<FieldSchema> Fields(JToken? fields, string where)
    {
        if (fields is not JArray list) throw new FormatException($"'{where}' needs 'fields', a list.");
        return [.. list.Select(f => Field(f as JObject ?? throw new FormatException($"A field of '{where}' is not an object."), where))];
    }

    private static FieldSchema Field(JObject field, string where)
    {
        var name = field.Value<string>("name") ?? throw new FormatException($"A field of '{where}' has no 'name'.");
        var path = $"{where}.{name}";
        return new FieldSchema(name, Kind(field.Value<string>("kind"), path))
        {
            VendorType = field.Value<string>("vendorType"),
            MaxLength = field.Value<int?>("maxLength"),
            Required = field.Value<bool?>("required") ?? false,
            ReadOnly = field.Value<bool?>("readOnly") ?? false,
            AllowedValues = field["allowed"] is JArray allowed ? [.. allowed.Select(v => (string)v!)] : null,
            ItemKind = field.Value<string>("items") is { } items ? Kind(items, path) : null,
            Fields = field["fields"] is { } nested ? Fields(nested, path) : null,
        };
    }

    private static FieldKind Kind(string? kind, string path) => kind switch
    {
        "text" => FieldKind.Text,
        "number" => FieldKind.Number,
        "boolean" => FieldKind.Boolean,
        "date" => FieldKind.Date,
        "datetime" => FieldKind.DateTime,
        "object" => FieldKind.Object,
        "list" => FieldKind.List,
        _ => throw new FormatException($"'{path}' has kind '{kind}'; kinds are text, number, boolean, date, datetime, object, list."),
    };
}
