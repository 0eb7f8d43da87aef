using Newtonsoft.Json.Linq;

namespace Connectors.Sandbox.Shopify;

/// <summary>
/// The slice of the Admin GraphQL schema (2025-10) the emulator serves: field names per type, checked
/// before a query is charged, so a misspelt or invented field fails here as it would at Shopify, and
/// answers carry exactly the selected fields. Deprecated fields Shopify still serves in 2025-10
/// (<c>email</c>, <c>phone</c>, <c>emailMarketingConsent</c>) are served too.
/// </summary>
internal static class AdminSchema
{
    /// <summary>The Node interface <c>nodes(ids:)</c> returns.</summary>
    public const string Node = "Node";

    // Field name → the object type it returns, or null for scalars and enums. Lists are told apart by the value.
    private static readonly Dictionary<string, Dictionary<string, string?>> Types = new(StringComparer.Ordinal)
    {
        ["Customer"] = Fields(
            "id firstName lastName displayName email phone createdAt updatedAt note state tags verifiedEmail",
            ("defaultAddress", "MailingAddress"),
            ("defaultEmailAddress", "CustomerEmailAddress"),
            ("defaultPhoneNumber", "CustomerPhoneNumber"),
            ("emailMarketingConsent", "CustomerEmailMarketingConsentState")),
        ["MailingAddress"] = Fields("id address1 address2 city province provinceCode zip country countryCodeV2 company phone firstName lastName name"),
        ["CustomerEmailAddress"] = Fields("emailAddress marketingState marketingOptInLevel marketingUpdatedAt"),
        ["CustomerPhoneNumber"] = Fields("phoneNumber"),
        ["CustomerEmailMarketingConsentState"] = Fields("marketingState marketingOptInLevel consentUpdatedAt"),
        ["CustomerConnection"] = Fields("", ("nodes", "Customer"), ("edges", "CustomerEdge"), ("pageInfo", "PageInfo")),
        ["CustomerEdge"] = Fields("cursor", ("node", "Customer")),
        ["PageInfo"] = Fields("hasNextPage hasPreviousPage startCursor endCursor"),
        [Node] = Fields("id"),
    };

    /// <summary>Checks <paramref name="selections"/> against <paramref name="type"/>; throws <see cref="GraphQLException"/> on the first problem.</summary>
    public static void Validate(string type, IReadOnlyList<GraphQLDocument.Selection> selections, string owner)
    {
        if (selections.Count == 0)
        {
            throw new GraphQLException($"Field must have selections (field '{owner}' returns {type} but has no selections. Did you mean '{owner} {{ ... }}'?)",
                "selectionMismatch");
        }
        var fields = Types[type];
        foreach (var selection in selections)
        {
            switch (selection)
            {
                case GraphQLDocument.InlineFragment fragment when fragment.TypeCondition == type:
                    Validate(type, fragment.Selections, owner);
                    break;
                case GraphQLDocument.InlineFragment fragment when type == Node:
                    // Any Node type may be spread; the emulator only holds customers, others simply never match.
                    if (Types.ContainsKey(fragment.TypeCondition)) Validate(fragment.TypeCondition, fragment.Selections, owner);
                    break;
                case GraphQLDocument.InlineFragment fragment:
                    throw new GraphQLException($"Fragment on {fragment.TypeCondition} can't be spread inside {type}", "fragmentSpreadTypeMismatch");
                case GraphQLDocument.Field { Name: "__typename" }:
                    break;
                case GraphQLDocument.Field field when !fields.TryGetValue(field.Name, out _):
                    throw new GraphQLException($"Field '{field.Name}' doesn't exist on type '{type}'", "undefinedField");
                case GraphQLDocument.Field field when fields[field.Name] is { } objectType:
                    Validate(objectType, field.Selections, field.Name);
                    break;
                case GraphQLDocument.Field { Selections.Count: > 0 } field:
                    throw new GraphQLException($"Selections can't be made on scalars (field '{field.Name}' returns a scalar but has selections)",
                        "selectionMismatch");
            }
        }
    }

    /// <summary>The selected fields of <paramref name="value"/>, a <paramref name="type"/> (already validated).</summary>
    public static JObject Project(string type, JObject value, IReadOnlyList<GraphQLDocument.Selection> selections)
    {
        var result = new JObject();
        var fields = Types[type];
        foreach (var selection in selections)
        {
            switch (selection)
            {
                case GraphQLDocument.InlineFragment fragment when fragment.TypeCondition == type:
                    result.Merge(Project(type, value, fragment.Selections));
                    break;
                case GraphQLDocument.Field { Name: "__typename" } field:
                    result[field.Alias] = type;
                    break;
                case GraphQLDocument.Field field when fields.TryGetValue(field.Name, out var objectType):
                    result[field.Alias] = ProjectValue(objectType, value[field.Name], field.Selections);
                    break;
            }
        }
        return result;
    }

    private static JToken ProjectValue(string? type, JToken? value, IReadOnlyList<GraphQLDocument.Selection> selections) => value switch
    {
        null or { Type: JTokenType.Null } => JValue.CreateNull(),
        JArray list => new JArray(list.Select(item => ProjectValue(type, item, selections))),
        JObject obj when type is not null => Project(type, obj, selections),
        _ => value.DeepClone(),
    };

    private static Dictionary<string, string?> Fields(string scalars, params (string Name, string Type)[] objects)
    {
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var name in scalars.Split(' ', StringSplitOptions.RemoveEmptyEntries)) fields[name] = null;
        foreach (var (name, type) in objects) fields[name] = type;
        return fields;
    }
}
