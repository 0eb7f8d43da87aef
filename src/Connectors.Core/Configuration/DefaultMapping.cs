using Connectors.Core.Flows;
using Connectors.Core.Mapping;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Connectors.Core.Configuration;

/// <summary>
/// A mapping shipped with the connectors for a common pair of streams (shop customers → CRM contacts),
/// chosen in a flow with <c>mapping: { use: NAME, fields: { …overrides… } }</c>. Connectors ship them as
/// YAML files:
/// <code>
/// name: shopify-customers-to-zoho-contacts
/// from: shopify.customers        # connector type . stream
/// to: zoho.Contacts
/// note: what an integrator should know before using it
/// mapping:
///   Email: defaultEmailAddress.emailAddress | email
/// </code>
/// </summary>
/// <param name="Name">The name flows use it by.</param>
/// <param name="From">The source: connector type and stream (<c>shopify.customers</c>).</param>
/// <param name="To">The target: connector type and stream (<c>zoho.Contacts</c>).</param>
/// <param name="Fields">The mapped fields, in order, located in the file they were read from.</param>
public sealed record DefaultMapping(string Name, StreamRef From, StreamRef To, IReadOnlyList<MappingField> Fields)
{
    /// <summary>What an integrator should know before using it (fields the source does not read yet, say).</summary>
    public string? Note { get; init; }

    /// <summary>Parses a default mapping file; <paramref name="origin"/> names it in locations.</summary>
    /// <exception cref="FormatException">The text is not a default mapping; says what is wrong and where.</exception>
    public static DefaultMapping Parse(string yaml, string origin)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new FormatException($"{origin}:{e.Start.Line}:{e.Start.Column}: not valid YAML: {e.Message}", e);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new FormatException($"{origin}: a default mapping is a YAML mapping with name, from, to and mapping.");
        }
        string Text(string key) => root.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode { Value: { Length: > 0 } value }
            ? value
            : throw new FormatException($"{origin}: the default mapping needs '{key}'.");
        if (!root.Children.TryGetValue(new YamlScalarNode("mapping"), out var mapping) || mapping is not YamlMappingNode fields)
        {
            throw new FormatException($"{origin}: the default mapping needs 'mapping', the target fields and their rules.");
        }
        return new DefaultMapping(Text("name"), StreamRef.Parse(Text("from")), StreamRef.Parse(Text("to")),
            [.. fields.Children.Select(f => new MappingField(YamlJson.Scalar(f.Key), YamlJson.ToJson(f.Value), YamlJson.At(origin, f.Value)))])
        {
            Note = root.Children.TryGetValue(new YamlScalarNode("note"), out var note) ? YamlJson.Scalar(note) : null,
        };
    }
}
