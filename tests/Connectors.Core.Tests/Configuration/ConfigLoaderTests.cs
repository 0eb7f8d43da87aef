using Connectors.Core.Configuration;
using Connectors.Core.Flows;

namespace Connectors.Core.Tests.Configuration;

public sealed class ConfigLoaderTests
{
    private const string ValidSystems = """
        systems:
          shop:
            type: shopify
            settings:
              shopUrl: ${env:SHOP_URL}
              accessToken: ${secret:SHOP_TOKEN}
          crm:
            type: zoho
            settings:
              apiDomain: http://127.0.0.1:1
        """;

    private static readonly DictionarySecrets Secrets = new(new Dictionary<string, string>
    {
        ["SHOP_URL"] = "http://127.0.0.1:2",
        ["SHOP_TOKEN"] = "shpat-test-value",
    });

    [Fact]
    public void Parse_ValidConfig_ResolvesReferencesAndKeepsFlowsInOrder()
    {
        var config = ConfigLoader.Parse(ValidSystems + """

            flows:
              b-flow:
                from: shop.customers
                to: crm.Contacts
                match: [Email, Phone]
                mapping:
                  Email: email | lower
              a-flow:
                from: crm.Contacts
                to: shop.customers
                match: email
                mapping:
                  email: Email
            """, "installation.yaml", Secrets);

        Assert.Equal("http://127.0.0.1:2", config.Systems["shop"].Settings["shopUrl"]);
        Assert.Equal("shpat-test-value", config.Systems["shop"].Settings["accessToken"]);
        Assert.Equal(["b-flow", "a-flow"], config.Flows.Select(f => f.Name));
        Assert.Equal(["Email", "Phone"], config.Flow("b-flow").Match);
        Assert.Equal(["email"], config.Flow("a-flow").Match);
        Assert.Equal("Contacts", config.Flow("b-flow").To.Stream);
        Assert.Equal(new SourceLocation("installation.yaml", 12, 3), config.Flow("b-flow").Location);
    }

    public static TheoryData<string, string, int, int, string?, string?, string> InvalidConfigs => new()
    {
        // name, yaml after the systems block (or whole file when it starts with '!'), line, column, flow, field, message part
        { "unknown top-level key", "flow:\n  x: {}\n", 11, 1, null, "flow", "unknown key in top level" },
        { "no flows", "", 1, 1, null, null, "has no 'flows'" },
        { "flows not a map", "flows: [a, b]\n", 11, 8, null, null, "'flows' must map flow names" },
        { "flow not a map", "flows:\n  f: shop.customers\n", 12, 6, "f", null, "a flow needs 'from', 'to' and 'mapping'" },
        { "missing from", "flows:\n  f:\n    to: crm.Contacts\n    mapping:\n      Email: email\n", 13, 5, "f", "from", "no 'from' stream" },
        { "missing to", "flows:\n  f:\n    from: shop.customers\n    mapping:\n      Email: email\n", 13, 5, "f", "to", "no 'to' stream" },
        { "stream without a dot", "flows:\n  f:\n    from: customers\n    to: crm.Contacts\n    mapping:\n      Email: email\n", 13, 11, "f", "from", "write it as system.stream" },
        { "stream with empty name", "flows:\n  f:\n    from: shop.\n    to: crm.Contacts\n    mapping:\n      Email: email\n", 13, 11, "f", "from", "write it as system.stream" },
        { "unknown source system", "flows:\n  f:\n    from: erp.customers\n    to: crm.Contacts\n    mapping:\n      Email: email\n", 13, 11, "f", "from", "unknown system 'erp'" },
        { "unknown target system", "flows:\n  f:\n    from: shop.customers\n    to: cmr.Contacts\n    mapping:\n      Email: email\n", 14, 9, "f", "to", "unknown system 'cmr'" },
        { "unknown flow key", "flows:\n  f:\n    from: shop.customers\n    to: crm.Contacts\n    mappings:\n      Email: email\n", 15, 5, "f", "mappings", "unknown key in flow 'f'" },
        { "no mapping", "flows:\n  f:\n    from: shop.customers\n    to: crm.Contacts\n", 13, 5, "f", null, "has no 'mapping'" },
        { "mapping is a list", "flows:\n  f:\n    from: shop.customers\n    to: crm.Contacts\n    mapping: [Email]\n", 15, 14, "f", null, "'mapping' maps target fields" },
        { "match is a map", "flows:\n  f:\n    from: shop.customers\n    to: crm.Contacts\n    match: {a: b}\n    mapping:\n      Email: email\n", 15, 12, "f", "match", "'match' is a field name" },
        { "unknown write mode", "flows:\n  f:\n    from: shop.customers\n    to: crm.Contacts\n    match: [Email]\n    writes: never\n    mapping:\n      Email: email\n", 16, 13, "f", "writes", "'writes' is create-or-update (the default) or update-only" },
        { "update-only without match", "flows:\n  f:\n    from: shop.customers\n    to: crm.Contacts\n    writes: update-only\n    mapping:\n      Email: email\n", 15, 13, "f", "writes", "'writes: update-only' needs 'match'" },
        { "writes on a two-way flow", "flows:\n  f:\n    from: crm.Contacts\n    to: shop.customers\n    direction: two-way\n    match: [email]\n    writes: update-only\n    mapping:\n      email: Email\n    reverse:\n      Email: email\n", 17, 13, "f", "writes", "'writes' belongs to one-way flows" },
        { "unresolved env reference", "!systems:\n  shop:\n    type: shopify\n    settings:\n      shopUrl: ${env:NOT_SET_ANYWHERE}\nflows: {}\n", 5, 16, null, "shop.shopUrl", "${env:NOT_SET_ANYWHERE} does not resolve" },
        { "unresolved secret reference", "!systems:\n  shop:\n    type: shopify\n    settings:\n      accessToken: ${secret:MISSING_TOKEN}\nflows: {}\n", 5, 20, null, "shop.accessToken", "${secret:MISSING_TOKEN} does not resolve" },
        { "setting is a list", "!systems:\n  shop:\n    type: shopify\n    settings:\n      scopes: [a, b]\nflows: {}\n", 5, 15, null, "shop.scopes", "a setting must be a single value" },
        { "system without type", "!systems:\n  shop:\n    settings:\n      shopUrl: x\nflows: {}\n", 3, 5, null, "shop", "has no 'type'" },
        { "unknown system key", "!systems:\n  shop:\n    type: shopify\n    setings:\n      shopUrl: x\nflows: {}\n", 4, 5, null, "setings", "unknown key in system 'shop'" },
        { "system not a map", "!systems:\n  shop: shopify\nflows: {}\n", 2, 9, null, "shop", "needs 'type' and 'settings'" },
        { "systems missing", "!flows: {}\n", 1, 1, null, null, "has no 'systems'" },
        { "not YAML", "!systems:\n  shop: [unclosed\n", 3, 1, null, null, "not valid YAML" },
        { "root is a list", "!- a\n- b\n", 1, 1, null, null, "must be a mapping" },
    };

    [Theory]
    [MemberData(nameof(InvalidConfigs))]
    public void Parse_InvalidConfig_ReportsTheExactLocation(string name, string yaml, int line, int column, string? flow, string? field, string message)
    {
        var text = yaml.StartsWith('!') ? yaml[1..] : ValidSystems + "\n" + yaml;

        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(text, "bad.yaml", Secrets));

        var match = error.Errors.FirstOrDefault(e => e.Message.Contains(message, StringComparison.Ordinal));
        Assert.True(match is not null, $"{name}: expected an error containing '{message}', got: {error.Message}");
        Assert.Equal(new SourceLocation("bad.yaml", line, column), match.Location);
        Assert.Equal(flow, match.Flow);
        Assert.Equal(field, match.Field);
    }

    [Fact]
    public void Parse_Writes_DefaultsToCreateOrUpdate_UpdateOnlyReachesTheCompiledFlow()
    {
        var config = ConfigLoader.Parse(ValidSystems + """

            flows:
              customers:
                from: shop.customers
                to: crm.Contacts
                match: [Email]
                mapping:
                  Email: email
              scores:
                from: shop.customers
                to: crm.Contacts
                match: [Email]
                writes: update-only
                mapping:
                  Email: email
              explicit:
                from: shop.customers
                to: crm.Contacts
                writes: create-or-update
                mapping:
                  Email: email
            """, "installation.yaml", Secrets);

        Assert.Equal([WriteMode.CreateOrUpdate, WriteMode.UpdateOnly, WriteMode.CreateOrUpdate], config.Flows.Select(f => f.Writes));
        Assert.Equal(WriteMode.UpdateOnly, config.Compile(config.Flow("scores")).Writes);
        Assert.Equal(WriteMode.CreateOrUpdate, config.Compile(config.Flow("customers")).Writes);
    }

    [Fact]
    public void Parse_SeveralMistakes_ReportsThemAllAtOnce()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(ValidSystems + """

            flows:
              f:
                from: erp.customers
                to: crm.Contact
                colour: blue
                mapping:
                  Email: email
            """, "bad.yaml", Secrets));

        Assert.Equal(2, error.Errors.Count);
        Assert.Contains("bad.yaml:13:11: flow 'f', field 'from': unknown system 'erp'", error.Message, StringComparison.Ordinal);
        Assert.Contains("bad.yaml:15:5: flow 'f', field 'colour': unknown key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnresolvedSecret_NeverPrintsOtherSecretValues()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("""
            systems:
              shop:
                type: shopify
                settings:
                  accessToken: ${secret:SHOP_TOKEN}
                  other: ${secret:MISSING}
            flows: {}
            """, "bad.yaml", Secrets));

        Assert.DoesNotContain("shpat-test-value", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_UnknownTransform_NamesTheFieldAndWhereItIsWritten()
    {
        var config = ConfigLoader.Parse(ValidSystems + """

            flows:
              f:
                from: shop.customers
                to: crm.Contacts
                mapping:
                  Email: email | lower
                  Last_Name: lastName | shout
            """, "c.yaml", Secrets);

        var error = Assert.Throws<ConfigException>(() => config.Compile(config.Flow("f")));

        var only = Assert.Single(error.Errors);
        Assert.Equal(("f", "Last_Name"), (only.Flow, only.Field));
        Assert.Equal(new SourceLocation("c.yaml", 17, 18), only.Location);
        Assert.Contains("shout", only.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Flow_UnknownName_ListsTheFlowsThereAre()
    {
        var config = ConfigLoader.Parse(ValidSystems + "\nflows:\n  one:\n    from: shop.customers\n    to: crm.Contacts\n    mapping:\n      Email: email\n", "c.yaml", Secrets);

        var error = Assert.Throws<ConfigException>(() => config.Flow("two"));

        Assert.Contains("the config has: one", error.Message, StringComparison.Ordinal);
    }

    private sealed class DictionarySecrets(Dictionary<string, string> values) : ISecretResolver
    {
        public string? Resolve(string kind, string name) => values.GetValueOrDefault(name);
    }
}
