using System.Security.Cryptography;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Records;

/// <summary>
/// A stable hash of a payload: equal payloads give equal fingerprints whatever the order of their
/// properties, so a record whose mapped payload has not changed since we last wrote it costs nothing.
/// </summary>
public readonly record struct Fingerprint(string Value)
{
    /// <summary>Computes the fingerprint of a JSON payload (properties sorted, nulls kept).</summary>
    public static Fingerprint Of(JToken payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        using var buffer = new MemoryStream();
        using (var text = new StreamWriter(buffer, new UTF8Encoding(false), leaveOpen: true))
        using (var writer = new JsonTextWriter(text) { Formatting = Formatting.None, DateFormatString = "o" })
        {
            WriteCanonical(writer, payload);
        }
        var hash = SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        return new Fingerprint(Convert.ToHexStringLower(hash.AsSpan(0, 16)));
    }

    /// <inheritdoc />
    public override string ToString() => Value;

    private static void WriteCanonical(JsonWriter writer, JToken token)
    {
        switch (token)
        {
            case JObject obj:
                writer.WriteStartObject();
                foreach (var property in obj.Properties().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    WriteCanonical(writer, property.Value);
                }
                writer.WriteEndObject();
                break;
            case JArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                {
                    WriteCanonical(writer, item);
                }
                writer.WriteEndArray();
                break;
            default:
                token.WriteTo(writer);
                break;
        }
    }
}
