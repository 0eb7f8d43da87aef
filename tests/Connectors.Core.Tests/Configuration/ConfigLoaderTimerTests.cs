using Connectors.Core.Configuration;

namespace Connectors.Core.Tests.Configuration;

public sealed class ConfigLoaderTimerTests
{
    private const string Systems = """
        systems:
          shop:
            type: shopify
          crm:
            type: zoho
        flows:
          f:
            from: shop.customers
            to: crm.Contacts
            mapping:
              Email: email

        """;

    private static ConnectorConfig Parse(string flowKeys) =>
        ConfigLoader.Parse(Systems + Indent(flowKeys), "timers.yaml", new NoSecrets());

    private static string Indent(string lines) => string.Concat(lines.Split('\n').Where(l => l.Length > 0).Select(l => "    " + l + "\n"));

    [Fact]
    public void Parse_ScheduleReconcileAndWebhooks_AreKeptOnTheFlow()
    {
        var flow = Parse("schedule: \"0 */15 * * * *\"\nreconcile: \"0 30 2 * * *\"\nwebhooks: true").Flow("f");

        Assert.Equal("0 */15 * * * *", flow.Schedule);
        Assert.Equal("0 30 2 * * *", flow.Reconcile);
        Assert.True(flow.Webhooks);
    }

    [Fact]
    public void Parse_NoTimerKeys_LeavesTheFlowUnscheduledAndDeaf()
    {
        var flow = Parse("").Flow("f");

        Assert.Null(flow.Schedule);
        Assert.Null(flow.Reconcile);
        Assert.False(flow.Webhooks);
    }

    public static TheoryData<string, int, int, string, string> InvalidTimers => new()
    {
        // flow keys, line, column, field, message part
        { "schedule: \"*/15 * * * *\"", 12, 15, "schedule", "add the seconds in front" },
        { "schedule: \"0 61 * * * *\"", 12, 15, "schedule", "not a 6-field NCRONTAB expression" },
        { "reconcile: \"nightly\"", 12, 16, "reconcile", "not a 6-field NCRONTAB expression" },
        { "reconcile: [0, 0]", 12, 16, "reconcile", "is a 6-field NCRONTAB expression" },
        { "webhooks: sometimes", 12, 15, "webhooks", "is true or false" },
    };

    [Theory]
    [MemberData(nameof(InvalidTimers))]
    public void Parse_InvalidTimer_ReportsTheFlowFieldAndExactLocation(string keys, int line, int column, string field, string message)
    {
        var error = Assert.Throws<ConfigException>(() => Parse(keys));

        var found = Assert.Single(error.Errors);
        Assert.Contains(message, found.Message, StringComparison.Ordinal);
        Assert.Equal(("f", field), (found.Flow, found.Field));
        Assert.Equal(new SourceLocation("timers.yaml", line, column), found.Location);
    }

    private sealed class NoSecrets : ISecretResolver
    {
        public string? Resolve(string kind, string name) => null;
    }
}
