using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Connectors.Zoho;

/// <summary>Reads Zoho JSON the way the content serializer does: date-times stay the strings Zoho wrote, offset included.</summary>
internal static class ZohoJson
{
    /// <exception cref="JsonException">The text is not a JSON object.</exception>
    public static JObject Parse(string text)
    {
        using var reader = new JsonTextReader(new StringReader(text)) { DateParseHandling = DateParseHandling.None };
        return JObject.Load(reader);
    }
}
