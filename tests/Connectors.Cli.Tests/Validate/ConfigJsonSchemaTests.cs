using System.Globalization;
using System.Text.RegularExpressions;
using Connectors.Functions.Hosting;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using YamlDotNet.RepresentationModel;

namespace Connectors.Cli.Tests.Validate;

/// <summary>
/// The published JSON Schema (<c>schemas/connectors.schema.json</c>) that editors use through the
/// <c>yaml-language-server</c> line: every sample config in the repository passes it, and it is strict
/// enough to flag a misspelt key.
/// </summary>
public sealed partial class ConfigJsonSchemaTests
{
    private static readonly string Root = FindRoot();

    public static TheoryData<string> Samples => [.. Directory.GetFiles(Path.Combine(Root, "samples"), "*.yaml").Select(Path.GetFileName).OfType<string>()];

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task SampleConfig_PassesThePublishedSchema(string sample)
    {
        var schema = await LoadSchemaAsync();
        var config = ToJson(await File.ReadAllTextAsync(Path.Combine(Root, "samples", sample), TestContext.Current.CancellationToken));

        var errors = schema.Validate(config);

        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors.Select(e => $"{e.Path}: {e.Kind}")));
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task SampleConfig_PointsEditorsAtTheSchema(string sample)
    {
        var first = (await File.ReadAllLinesAsync(Path.Combine(Root, "samples", sample), TestContext.Current.CancellationToken))[0];

        Assert.Equal("# yaml-language-server: $schema=../schemas/connectors.schema.json", first);
        Assert.True(File.Exists(Path.Combine(Root, "samples", "../schemas/connectors.schema.json")));
    }

    [Theory]
    [InlineData("    mapping: { Email: email }", true)]
    [InlineData("    mapping: { use: shopify-customers-to-zoho-contacts, fields: { Phone: phone | phone('DE'), Lead_Source: ~ } }", true)]
    [InlineData("    mapings: { Email: email }", false)]
    [InlineData("    mapping: { use: shopify-customers-to-zoho-contact }", false)]
    [InlineData("    mapping: { use: shopify-customers-to-zoho-contacts, First_Name: firstName }", false)]
    [InlineData("    mapping: { Email: { map: { a: b } } }", false)]
    [InlineData("    mapping: { Email: email }\n    validate: { Email: [requird] }", false)]
    [InlineData("    mapping: { Email: email }\n    match: 7", false)]
    [InlineData("    mapping: { Email: email }\n    reconcile: { schedule: '0 0 2 * * *', repair: true, deletes: flag, flagField: Gone }", true)]
    [InlineData("    mapping: { Email: email }\n    reconcile: { schedule: '0 0 2 * * *', repair: sometimes }", false)]
    [InlineData("    mapping: { Email: email }\n    match: [Email]\n    writes: update-only", true)]
    [InlineData("    mapping: { Email: email }\n    writes: update-always", false)]
    public async Task Config_IsJudgedByThePublishedSchema(string flowLines, bool valid)
    {
        var schema = await LoadSchemaAsync();
        var config = ToJson($$"""
            systems:
              shop: { type: shopify }
            flows:
              f:
                from: shop.customers
                to: crm.Contacts
            {{flowLines.Replace("\\n", "\n", StringComparison.Ordinal)}}
            """);

        var errors = schema.Validate(config);

        Assert.True(valid == (errors.Count == 0), string.Join(Environment.NewLine, errors.Select(e => $"{e.Path}: {e.Kind}")));
    }

    [Fact]
    public async Task DefaultMappingNames_AreTheOnesTheSchemaOffers()
    {
        var schema = JObject.Parse(await File.ReadAllTextAsync(Path.Combine(Root, "schemas", "connectors.schema.json"), TestContext.Current.CancellationToken));
        var offered = schema.SelectToken("definitions.flow.properties.mapping.oneOf[0].properties.use.enum")!.Values<string>().ToList();

        Assert.Equal(SystemTypes.DefaultMappings.Names, offered);
    }

    private static async Task<JsonSchema> LoadSchemaAsync() =>
        await JsonSchema.FromFileAsync(Path.Combine(Root, "schemas", "connectors.schema.json"), TestContext.Current.CancellationToken);

    /// <summary>YAML as an editor's language server reads it: plain scalars typed by the YAML core schema, quoted ones text.</summary>
    private static JToken ToJson(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return Convert(stream.Documents[0].RootNode);
    }

    private static JToken Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => new JObject(map.Children.Select(c => new JProperty(((YamlScalarNode)c.Key).Value!, Convert(c.Value)))),
        YamlSequenceNode list => new JArray(list.Children.Select(Convert)),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } plain => Typed(plain.Value ?? ""),
        YamlScalarNode quoted => new JValue(quoted.Value),
        _ => JValue.CreateNull(),
    };

    private static JValue Typed(string text) => text switch
    {
        "" or "~" or "null" or "Null" or "NULL" => JValue.CreateNull(),
        "true" or "True" or "TRUE" => new JValue(true),
        "false" or "False" or "FALSE" => new JValue(false),
        _ when Integer().IsMatch(text) => new JValue(long.Parse(text, CultureInfo.InvariantCulture)),
        _ when Float().IsMatch(text) => new JValue(double.Parse(text, CultureInfo.InvariantCulture)),
        _ => new JValue(text),
    };

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex Integer();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Connectors.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("The repository root (Connectors.sln) was not found above the test's folder.");
    }
}
