using System.Text;
using System.Text.Json;

namespace Connectors.Core.Webhooks;

/// <summary>
/// Reads the few top-level members a webhook's JSON body is read for (the record's id and change stamp)
/// straight from its bytes. A vendor sends the whole resource, often kilobytes of it, and the rest is
/// only skipped: building a document of it for two members cost more than verifying its signature.
/// </summary>
public static class WebhookBody
{
    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>
    /// The top-level string or number members named by <paramref name="names"/>, in their order; an entry is
    /// <see langword="null"/> when that member is absent, of another kind (object, array, boolean, null), or when
    /// the body is not one well-formed JSON object. Of a member given twice, the last counts.
    /// </summary>
    /// <param name="body">The body exactly as received.</param>
    /// <param name="names">The members to read, matched exactly (JSON names are case-sensitive).</param>
    public static WebhookBodyValue?[] TopLevel(ReadOnlySpan<byte> body, params ReadOnlySpan<string> names)
    {
        var values = new WebhookBodyValue?[names.Length];
        try
        {
            // A byte order mark is not JSON, but some senders' frameworks write one.
            var reader = new Utf8JsonReader(body.StartsWith(Utf8Bom) ? body[Utf8Bom.Length..] : body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return values;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var index = IndexOf(ref reader, names);
                reader.Read();
                var value = reader.TokenType switch
                {
                    JsonTokenType.String => new WebhookBodyValue(JsonValueKind.String, reader.GetString()!),
                    JsonTokenType.Number => new WebhookBodyValue(JsonValueKind.Number, Encoding.UTF8.GetString(reader.ValueSpan)),
                    _ => (WebhookBodyValue?)null,
                };
                // Skipped, not only stepped over: a body that is not well-formed to its end names no record.
                reader.Skip();
                if (index >= 0) values[index] = value;
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read()) return new WebhookBodyValue?[names.Length];
        }
        catch (JsonException)
        {
            return new WebhookBodyValue?[names.Length];
        }
        return values;
    }

    private static int IndexOf(ref Utf8JsonReader reader, scoped ReadOnlySpan<string> names)
    {
        for (var i = 0; i < names.Length; i++)
        {
            if (reader.ValueTextEquals(names[i])) return i;
        }
        return -1;
    }
}
