using Connectors.Core.Conflicts;
using Connectors.Core.Configuration;
using Connectors.Core.Flows;
using Connectors.Core.Sync.TwoWay;

namespace Connectors.Core.Tests.Configuration;

public sealed class TwoWayConfigTests
{
    private const string Systems = """
        systems:
          crm: { type: zoho }
          erp: { type: businesscentral }
        flows:
          contacts-erp:
            from: crm.Contacts
            to: erp.customers
        """;

    private static ConnectorConfig Parse(string flowBody) => ConfigLoader.Parse(Systems + "\n" + flowBody, "two-way.yaml", new NoSecrets());

    [Fact]
    public void Parse_TwoWayFlow_ReadsDirectionReverseConflictsAndDuplicates()
    {
        var config = Parse("""
                direction: two-way
                match: [email]
                mapping: { email: Email | trim | lower, displayName: "{First_Name} {Last_Name}", phoneNumber: Phone }
                reverse: { Email: email, Phone: phoneNumber }
                conflicts:
                  policy: merge
                  owners: { phoneNumber: erp }
                  fields: { displayName: target-wins }
                  skew: 00:00:05
                duplicates: link-oldest
            """);

        var flow = config.Flow("contacts-erp");
        var compiled = config.CompileTwoWay(flow);

        Assert.Equal(FlowDirection.TwoWay, flow.Direction);
        Assert.Equal(["Email", "Phone"], flow.Reverse.Select(r => r.Target));
        Assert.Equal(ConflictPolicy.Merge, compiled.Conflicts.Policy);
        Assert.Equal(FlowSide.Right, compiled.Conflicts.Owners["phoneNumber"]);
        Assert.Equal(ConflictPolicy.TargetWins, compiled.Conflicts.FieldPolicies["displayName"]);
        Assert.Equal(TimeSpan.FromSeconds(5), compiled.Conflicts.Skew);
        Assert.Equal(["email", "displayName", "phoneNumber"], compiled.Fields);
        // displayName is mapped one way only: the CRM owns it. The reverse mapping fills Email from email.
        Assert.Equal(["displayName"], compiled.LeftOwned);
        Assert.Equal("Email", compiled.LeftMatchFields["email"]);
    }

    [Fact]
    public void Parse_TwoWayFlowWithoutConflicts_MergesByDefault_AndSkewTakesSeconds()
    {
        var config = Parse("""
                direction: two-way
                mapping: { email: Email }
                reverse: { Email: email }
                conflicts: { policy: newest-wins, skew: 2.5s, owners: { email: crm } }
            """);

        var compiled = config.CompileTwoWay(config.Flow("contacts-erp"));

        Assert.Equal(TimeSpan.FromSeconds(2.5), compiled.Conflicts.Skew);
        Assert.Equal(FlowSide.Left, compiled.Conflicts.Owners["email"]);
        Assert.Equal(ConflictPolicy.Merge, ConflictRules.Default.Policy);
    }

    public static TheoryData<string, int, int, string?, string> InvalidFlows => new()
    {
        // flow body, line, column, field, message part
        { "    direction: two-way\n    mapping: { email: Email }\n", 6, 5, "reverse", "needs a 'reverse' mapping" },
        { "    direction: sideways\n    mapping: { email: Email }\n", 8, 16, "direction", "one-way or two-way" },
        { "    mapping: { email: Email }\n    reverse: { Email: email }\n", 9, 14, "reverse", "belongs to two-way flows" },
        { "    direction: two-way\n    mapping: { email: Email }\n    reverse: { Email: email }\n    conflicts: { policy: loudest-wins }\n", 11, 26, "conflicts.policy", "source-wins, target-wins" },
        { "    direction: two-way\n    mapping: { email: Email }\n    reverse: { Email: email }\n    conflicts: { owners: { phone: erp } }\n", 11, 28, "phone", "owners name fields of the mapping" },
        { "    direction: two-way\n    mapping: { email: Email }\n    reverse: { Email: email }\n    conflicts: { owners: { email: shop } }\n", 11, 35, "email", "one of this flow's systems" },
        { "    direction: two-way\n    mapping: { email: Email }\n    reverse: { Email: email }\n    conflicts: { fields: { email: merge } }\n", 11, 35, "email", "a field's policy is one of" },
        { "    direction: two-way\n    mapping: { email: Email }\n    reverse: { Email: email }\n    conflicts: { skew: soon }\n", 11, 24, "conflicts.skew", "a duration" },
        { "    direction: two-way\n    mapping: { email: Email }\n    reverse: { Email: email }\n    conflicts: { strategy: merge }\n", 11, 18, "strategy", "unknown key in conflicts" },
        { "    direction: two-way\n    mapping: { email: Email }\n    reverse: { Email: email }\n    duplicates: keep-all\n", 11, 17, "duplicates", "link-oldest" },
    };

    [Theory]
    [MemberData(nameof(InvalidFlows))]
    public void Parse_InvalidTwoWayFlow_ReportsTheErrorWhereItIs(string body, int line, int column, string? field, string message)
    {
        var error = Assert.Throws<ConfigException>(() => Parse(body)).Errors.Single(e => e.Message.Contains(message, StringComparison.Ordinal));

        Assert.Equal(new SourceLocation("two-way.yaml", line, column), error.Location);
        Assert.Equal("contacts-erp", error.Flow);
        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void CompileTwoWay_ReverseRuleThatDoesNotCompile_NamesTheFieldAndItsLine()
    {
        var config = Parse("""
                direction: two-way
                mapping: { email: Email }
                reverse: { Email: email | shout }
            """);

        var error = Assert.Single(Assert.Throws<ConfigException>(() => config.CompileTwoWay(config.Flow("contacts-erp"))).Errors);

        Assert.Equal(("Email", 10), (error.Field, error.Location.Line));
        Assert.Contains("shout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CompileTwoWay_OfAOneWayFlow_IsRefused()
    {
        var config = Parse("    mapping: { email: Email }\n");

        var error = Assert.Single(Assert.Throws<ConfigException>(() => config.CompileTwoWay(config.Flow("contacts-erp"))).Errors);

        Assert.Contains("one-way", error.Message, StringComparison.Ordinal);
    }

    private sealed class NoSecrets : ISecretResolver
    {
        public string? Resolve(string kind, string name) => null;
    }
}
