using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Newtonsoft.Json.Linq;

namespace Connectors.Sandbox.Shopify;

/// <summary>
/// Writes a bulk operation's result as Shopify's JSONL: one JSON object per line, a root node with its selected
/// fields (nested connections left out), and each item of a nested connection on a line of its own with
/// <c>__parentId</c>, the root node's GID. Grouped, the items follow their parent; ungrouped, a batch's items
/// follow the whole batch of parents. Written straight to UTF-8 (no intermediate JObject or string per line),
/// so that a million nodes stream fast.
/// </summary>
internal sealed class BulkResultWriter : IDisposable
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ArrayBufferWriter<byte> _buffer = new(1 << 20);
    private readonly Utf8JsonWriter _json;
    private readonly BulkQuery _plan;
    private readonly bool _group;
    private readonly List<(string ParentId, JArray Items, BulkQuery.NestedConnection Connection)> _pending = [];

    public BulkResultWriter(BulkQuery plan, bool group)
    {
        _plan = plan;
        _group = group;
        _json = new Utf8JsonWriter(_buffer, Options);
    }

    /// <summary>The bytes written since the last <see cref="Clear"/>.</summary>
    public ReadOnlyMemory<byte> Written => _buffer.WrittenMemory;

    /// <summary>Writes one root node and (grouped) its nested items.</summary>
    public void WriteNode(JObject node)
    {
        WriteLine(_plan.NodeType, node, _plan.NodeSelections, parentId: null);
        var id = node.Value<string>("id") ?? "";
        foreach (var nested in _plan.Nested)
        {
            if (node[nested.Field] is not JArray items) continue;
            if (_group)
            {
                foreach (var item in items.OfType<JObject>()) WriteLine(nested.ItemType, item, nested.ItemSelections, id);
            }
            else
            {
                _pending.Add((id, items, nested));
            }
        }
    }

    /// <summary>Ends a batch of nodes: ungrouped, their nested items are written now.</summary>
    public void EndBatch()
    {
        foreach (var (parentId, items, nested) in _pending)
        {
            foreach (var item in items.OfType<JObject>()) WriteLine(nested.ItemType, item, nested.ItemSelections, parentId);
        }
        _pending.Clear();
    }

    /// <summary>Forgets what was written, once it has been sent.</summary>
    public void Clear() => _buffer.ResetWrittenCount();

    public void Dispose() => _json.Dispose();

    private void WriteLine(string type, JObject value, IReadOnlyList<GraphQLDocument.Selection> selections, string? parentId)
    {
        _json.Reset();
        _json.WriteStartObject();
        WriteFields(type, value, selections);
        if (parentId is not null) _json.WriteString("__parentId", parentId);
        _json.WriteEndObject();
        _json.Flush();
        _buffer.Write("\n"u8);
    }

    private void WriteFields(string type, JObject value, IReadOnlyList<GraphQLDocument.Selection> selections)
    {
        foreach (var selection in selections)
        {
            switch (selection)
            {
                case GraphQLDocument.InlineFragment fragment when fragment.TypeCondition == type:
                    WriteFields(type, value, fragment.Selections);
                    break;
                case GraphQLDocument.Field { Name: "__typename" } field:
                    _json.WriteString(field.Alias, type);
                    break;
                case GraphQLDocument.Field field:
                    var objectType = AdminSchema.FieldType(type, field.Name);
                    // A nested connection is not part of its parent's line: its items get lines of their own.
                    if (objectType is not null && AdminSchema.IsConnection(objectType)) break;
                    _json.WritePropertyName(field.Alias);
                    WriteValue(objectType, value[field.Name], field.Selections);
                    break;
            }
        }
    }

    private void WriteValue(string? type, JToken? token, IReadOnlyList<GraphQLDocument.Selection> selections)
    {
        switch (token)
        {
            // A JValue made from a null string is typed String but holds null, and is written as null.
            case null or { Type: JTokenType.Null } or JValue { Value: null }:
                _json.WriteNullValue();
                break;
            case JArray list:
                _json.WriteStartArray();
                foreach (var item in list) WriteValue(type, item, selections);
                _json.WriteEndArray();
                break;
            case JObject obj when type is not null:
                _json.WriteStartObject();
                WriteFields(type, obj, selections);
                _json.WriteEndObject();
                break;
            case JValue { Type: JTokenType.Boolean } flag:
                _json.WriteBooleanValue((bool)flag);
                break;
            case JValue { Type: JTokenType.Integer } whole:
                _json.WriteNumberValue((long)whole);
                break;
            case JValue { Type: JTokenType.Float } number:
                _json.WriteNumberValue((double)number);
                break;
            case JValue scalar:
                _json.WriteStringValue(Convert.ToString(scalar.Value, CultureInfo.InvariantCulture));
                break;
            default:
                _json.WriteNullValue();
                break;
        }
    }
}
