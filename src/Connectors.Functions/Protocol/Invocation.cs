using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Connectors.Functions.Protocol;

/// <summary>
/// An invocation the Azure Functions host forwards to the custom handler: <c>{"Data":{…},"Metadata":{…}}</c>.
/// The host writes PascalCase, but nothing guarantees the case, so every name is looked up case-insensitively.
/// </summary>
internal sealed class Invocation
{
    private static readonly JsonSerializerSettings ReadSettings = new() { DateParseHandling = DateParseHandling.None, MaxDepth = 32 };

    private Invocation(JObject data, JObject metadata)
    {
        Data = data;
        Metadata = metadata;
    }

    /// <summary>One entry per trigger or input binding, by binding name.</summary>
    public JObject Data { get; }

    /// <summary>The trigger's metadata, plus <c>sys</c>.</summary>
    public JObject Metadata { get; }

    /// <summary>Reads an invocation body.</summary>
    /// <exception cref="FormatException">The body is not an invocation.</exception>
    public static Invocation Parse(ReadOnlySpan<byte> body)
    {
        JObject root;
        try
        {
            root = JsonConvert.DeserializeObject<JObject>(System.Text.Encoding.UTF8.GetString(body), ReadSettings)
                ?? throw new FormatException("The invocation body is empty.");
        }
        catch (JsonException e)
        {
            throw new FormatException($"The invocation body is not JSON: {e.Message}");
        }
        return new Invocation(
            root.GetValue("Data", StringComparison.OrdinalIgnoreCase) as JObject ?? [],
            root.GetValue("Metadata", StringComparison.OrdinalIgnoreCase) as JObject ?? []);
    }

    /// <summary>The trigger's binding: the one named <paramref name="binding"/>, or the only one there is.</summary>
    public JToken? Trigger(string binding) =>
        Data.GetValue(binding, StringComparison.OrdinalIgnoreCase) ?? (Data.Count == 1 ? Data.Properties().First().Value : null);

    /// <summary>A metadata value as text (numbers and strings alike), or <see langword="null"/>.</summary>
    public string? MetadataText(string name) =>
        Metadata.GetValue(name, StringComparison.OrdinalIgnoreCase) is JValue { Value: { } value } ? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) : null;

    /// <summary>A property of <paramref name="token"/>, case-insensitively.</summary>
    public static JToken? Property(JToken? token, string name) =>
        token is JObject obj ? obj.GetValue(name, StringComparison.OrdinalIgnoreCase) : null;

    /// <summary>A value that the host sends either as a string or as JSON: the string, or the JSON text.</summary>
    public static string? Text(JToken? token) => token switch
    {
        null or { Type: JTokenType.Null } => null,
        JValue { Type: JTokenType.String } value => (string?)value,
        var other => other.ToString(Formatting.None),
    };
}
