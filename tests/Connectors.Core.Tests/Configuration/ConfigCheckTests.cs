using Connectors.Core.Configuration;
using Connectors.Core.Connectors;
using Connectors.Core.Schema;

namespace Connectors.Core.Tests.Configuration;

/// <summary>
/// <see cref="ConfigCheck"/> without the CLI or any vendor: a catalog of two made-up system types whose
/// streams are described in code, one of which can be asked live.
/// </summary>
public sealed class ConfigCheckTests
{
    private const string Config = """
        systems:
          store: { type: store }
          desk: { type: desk }
        flows:
          people:
            from: store.people
            to: desk.tickets
            mapping:
              Title: name | upper
              Priority: "'Urgent'"
              Tags: labels | lower
        """;

    private static readonly StreamSchema People = new("people", [
        new FieldSchema("name", FieldKind.Text), new FieldSchema("labels", FieldKind.List) { ItemKind = FieldKind.Text },
    ]) { CanWrite = false };

    private static readonly StreamSchema Tickets = new("tickets", [
        new FieldSchema("Title", FieldKind.Text) { MaxLength = 100 },
        new FieldSchema("Priority", FieldKind.Text) { VendorType = "picklist", AllowedValues = ["Low", "High"] },
        new FieldSchema("Tags", FieldKind.Text),
        new FieldSchema("Requester", FieldKind.Text) { Required = true },
    ]);

    [Fact]
    public async Task Check_WithLiveSchema_ReportsEveryFieldProblemLocated()
    {
        var report = await ConfigCheck.RunAsync(Config, "c.yaml", new NoSecrets(), DefaultMappingCatalog.Empty, new Catalog(live: true), TestContext.Current.CancellationToken);

        Assert.Collection(report.Errors,
            e => Assert.Equal(("c.yaml:9:7", "Requester"), (e.Location.ToString(), e.Field)),
            e => Assert.Equal(("c.yaml:10:17", "Priority", true), (e.Location.ToString(), e.Field, e.Message.EndsWith("is not a value desk.tickets allows for Priority, a picklist field; allowed: 'Low', 'High'.", StringComparison.Ordinal))),
            e => Assert.Equal(("c.yaml:11:13", "Tags", "lower expects text but 'labels' is a list; take one item with labels | first, or join them with | join(', ')."),
                (e.Location.ToString(), e.Field, e.Message)));
        Assert.All(report.Errors, e => Assert.Equal("people", e.Flow));
        Assert.Equal(SchemaOrigin.Live, Assert.Single(report.Schemas, s => s.System == "desk").Origin);
    }

    [Fact]
    public async Task Check_LiveSystemUnreachable_UsesTheBuiltInSchemaAndSaysWhy()
    {
        var report = await ConfigCheck.RunAsync(Config, "c.yaml", new NoSecrets(), DefaultMappingCatalog.Empty, new Catalog(live: false), TestContext.Current.CancellationToken);

        var desk = Assert.Single(report.Schemas, s => s.System == "desk");
        Assert.Equal(SchemaOrigin.BuiltIn, desk.Origin);
        Assert.Equal("the system could not be asked: desk: desk is down", desk.Why);
        Assert.Equal(3, report.Errors.Count);
    }

    private sealed class NoSecrets : ISecretResolver
    {
        public string? Resolve(string kind, string name) => null;
    }

    private sealed class Catalog(bool live) : ISystemCatalog
    {
        public IReadOnlyList<StreamSchema>? BuiltInStreams(string systemType) => systemType switch
        {
            "store" => [People],
            "desk" => [Tickets],
            _ => null,
        };

        public SystemConnection Connect(SystemConfig system) =>
            new(system.Type == "desk" ? new Desk(live) : null, []);
    }

    private sealed class Desk(bool reachable) : IDescribeStreams
    {
        public IReadOnlyList<StreamSchema> BuiltInStreams => [Tickets];

        public bool DescribesLive => true;

        public Task<StreamSchema?> DescribeLiveAsync(string stream, CancellationToken cancellationToken) => reachable
            ? Task.FromResult<StreamSchema?>(stream == "tickets" ? Tickets : null)
            : throw new ConnectorException("desk", ConnectorErrorCode.Unavailable, "desk is down");
    }
}
