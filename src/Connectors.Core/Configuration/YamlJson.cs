using Newtonsoft.Json.Linq;
using YamlDotNet.RepresentationModel;

namespace Connectors.Core.Configuration;

/// <summary>How config YAML becomes the JSON that mapping and validation rules are compiled from.</summary>
internal static class YamlJson
{
    /// <summary>The node as JSON; scalars stay text, as rules read them.</summary>
    public static JToken ToJson(YamlNode node) => node switch
    {
        YamlScalarNode scalar => new JValue(scalar.Value),
        YamlSequenceNode sequence => new JArray(sequence.Children.Select(ToJson)),
        YamlMappingNode mapping => new JObject(mapping.Children.Select(c => new JProperty(Scalar(c.Key), ToJson(c.Value)))),
        _ => JValue.CreateNull(),
    };

    /// <summary>A scalar's text, or the node as text.</summary>
    public static string Scalar(YamlNode node) => node is YamlScalarNode s ? s.Value ?? "" : node.ToString();

    /// <summary>Whether the node is YAML's null (<c>~</c>, <c>null</c> or nothing, unquoted).</summary>
    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain or YamlDotNet.Core.ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    /// <summary>Where the node starts.</summary>
    public static SourceLocation At(string file, YamlNode node) => new(file, (int)node.Start.Line, (int)node.Start.Column);
}
