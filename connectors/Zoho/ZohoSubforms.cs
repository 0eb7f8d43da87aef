using Newtonsoft.Json.Linq;

namespace Connectors.Zoho;

/// <summary>
/// Zoho's rules for writing subform rows (line items such as <c>Ordered_Items</c>), from its "Update Subform
/// Data" page: on an update a row sent without an id is <b>added</b> to the record's rows, a row sent with an
/// id changes that row, a row sent with <c>"_delete": null</c> is removed, and rows not sent stay. A sync
/// writes the source's rows as the whole truth, so the connector turns that into a replacement that keeps
/// their order: the unchanged leading rows are kept (by id), the existing rows after them deleted, and the
/// wanted rows from there on added.
/// </summary>
internal static class ZohoSubforms
{
    /// <summary>The payload's subform fields: properties whose value is a list of objects (rows).</summary>
    public static IReadOnlyList<string> FieldsIn(JObject payload) =>
        [.. payload.Properties().Where(p => p.Value is JArray { Count: > 0 } rows && rows.All(r => r is JObject)).Select(p => p.Name)];

    /// <summary>
    /// The rows to send so that the record's <paramref name="existing"/> rows become <paramref name="wanted"/>, in the
    /// wanted order: <c>{"id"}</c> for each existing row that equals the wanted row at its position, up to the first
    /// that differs; <c>{"id", "_delete": null}</c> for every existing row from there on; then the remaining wanted rows,
    /// as sent (Zoho adds rows at the end, so rows after a change are written again to keep the order).
    /// </summary>
    public static JArray Replacement(JArray existing, JArray wanted)
    {
        var wantedRows = wanted.OfType<JObject>().ToList();
        var rows = new JArray();
        var kept = 0;
        foreach (var row in existing.OfType<JObject>())
        {
            if (row.Value<string>("id") is not { } id) continue;
            if (kept == rows.Count && kept < wantedRows.Count && Matches(wantedRows[kept], row))
            {
                rows.Add(new JObject { ["id"] = id });
                kept++;
            }
            else
            {
                rows.Add(new JObject { ["id"] = id, ["_delete"] = null });
            }
        }
        foreach (var row in wantedRows.Skip(kept)) rows.Add(row.DeepClone());
        return rows;
    }

    /// <summary>
    /// After an upsert updated an existing record, Zoho has added the <paramref name="sent"/> rows after the rows it
    /// already had: the rows to delete are the ones before them.
    /// </summary>
    public static JArray Superseded(JArray rows, int sent) =>
        new(rows.OfType<JObject>().Take(Math.Max(0, rows.Count - sent)).Select(r => r.Value<string>("id")).OfType<string>()
            .Select(id => new JObject { ["id"] = id, ["_delete"] = null }));

    // A wanted row equals an existing one when every field it sends has the same value there; a lookup is
    // compared by id (Zoho reads it back as {"name", "id"}), numbers by value (2 equals 2.0).
    private static bool Matches(JObject wanted, JObject existing) =>
        wanted.Properties().All(p => Same(p.Value, existing[p.Name]));

    private static bool Same(JToken wanted, JToken? existing) => wanted switch
    {
        JObject lookup when lookup["id"] is { } id => existing is JObject other && JToken.DeepEquals(id, other["id"]),
        JValue { Type: JTokenType.Integer or JTokenType.Float } number => existing is JValue { Type: JTokenType.Integer or JTokenType.Float } value
            && number.Value<decimal>() == value.Value<decimal>(),
        JValue { Type: JTokenType.Null } => existing is null or { Type: JTokenType.Null },
        _ => existing is not null && JToken.DeepEquals(wanted, existing),
    };
}
