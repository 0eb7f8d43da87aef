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

    [Fact]
    public async Task Check_BuiltInSchemaOfStandardFieldsOnly_AFieldItLacksIsAWarning_WhileLiveItIsAnError()
    {
        var config = Config.Replace("      Tags: labels | lower", "      Tags: labels | first\n      Loyalty_Tier: \"'Gold'\"", StringComparison.Ordinal);
        var standardOnly = new Catalog(live: false, customFields: true);

        var offline = await ConfigCheck.RunAsync(config, "c.yaml", new NoSecrets(), DefaultMappingCatalog.Empty, standardOnly, TestContext.Current.CancellationToken);
        var live = await ConfigCheck.RunAsync(config, "c.yaml", new NoSecrets(), DefaultMappingCatalog.Empty, new Catalog(live: true, customFields: true),
            TestContext.Current.CancellationToken);
        var complete = await ConfigCheck.RunAsync(config, "c.yaml", new NoSecrets(), DefaultMappingCatalog.Empty, new Catalog(live: false),
            TestContext.Current.CancellationToken);

        var warning = Assert.Single(offline.Warnings);
        Assert.Equal(("c.yaml:12:21", "people", "Loyalty_Tier"), (warning.Location.ToString(), warning.Flow, warning.Field));
        Assert.Equal("'Loyalty_Tier' is not a standard field of desk.tickets and could not be checked offline (desk could not be asked for its own fields); "
            + "fine if it is a custom field of the org: validate with desk reachable to check it.", warning.Message);
        // What the built-in schema does know is still an error: the mandatory Requester, the picklist value.
        Assert.Equal(["Requester", "Priority"], offline.Errors.Select(e => e.Field));
        Assert.True(offline.Errors.Count > 0 && !offline.IsClean);
        Assert.Equal("Loyalty_Tier", Assert.Single(live.Errors, e => e.Message.StartsWith("desk.tickets has no field 'Loyalty_Tier'", StringComparison.Ordinal)).Field);
        Assert.Empty(live.Warnings);
        Assert.Contains(complete.Errors, e => e.Field == "Loyalty_Tier");
        Assert.Empty(complete.Warnings);
    }

    [Fact]
    public async Task Check_UpdateOnlyFlow_IsNotAskedForTheTargetsMandatoryFields()
    {
        var config = Config.Replace("    mapping:", "    match: [Title]\n    writes: update-only\n    mapping:", StringComparison.Ordinal)
            .Replace("      Priority: \"'Urgent'\"\n", "", StringComparison.Ordinal)
            .Replace("labels | lower", "labels | first", StringComparison.Ordinal);
        var createOrUpdate = config.Replace("    writes: update-only\n", "", StringComparison.Ordinal);

        var updateOnly = await ConfigCheck.RunAsync(config, "c.yaml", new NoSecrets(), DefaultMappingCatalog.Empty, new Catalog(live: true), TestContext.Current.CancellationToken);
        var creating = await ConfigCheck.RunAsync(createOrUpdate, "c.yaml", new NoSecrets(), DefaultMappingCatalog.Empty, new Catalog(live: true),
            TestContext.Current.CancellationToken);

        Assert.Empty(updateOnly.Errors);
        Assert.Equal("Requester", Assert.Single(creating.Errors).Field);
    }

    [Fact]
    public async Task Check_StreamTheConnectorDoesNotRead_IsAnError()
    {
        var config = Config.Replace("from: store.people", "from: desk.tickets", StringComparison.Ordinal).Replace("to: desk.tickets", "to: store.people", StringComparison.Ordinal);

        var report = await ConfigCheck.RunAsync(config, "c.yaml", new NoSecrets(), DefaultMappingCatalog.Empty, new Catalog(live: true, tickets: Unreadable),
            TestContext.Current.CancellationToken);

        var error = Assert.Single(report.Errors, e => e.Field == "from");
        Assert.Equal("c.yaml:6:11", error.Location.ToString());
        Assert.StartsWith("the desk connector does not read stream 'tickets' (yet)", error.Message, StringComparison.Ordinal);
    }

    private static readonly StreamSchema Unreadable = Tickets with { CanRead = false };

    private sealed class NoSecrets : ISecretResolver
    {
        public string? Resolve(string kind, string name) => null;
    }

    /// <param name="live">Whether the desk answers for its metadata.</param>
    /// <param name="customFields">Whether the desk's built-in schema lists its standard fields only.</param>
    /// <param name="tickets">The desk's tickets as both its built-in schema and its live metadata describe them.</param>
    private sealed class Catalog(bool live, bool customFields = false, StreamSchema? tickets = null) : ISystemCatalog
    {
        private readonly StreamSchema _tickets = (tickets ?? Tickets) with { CustomFields = customFields };

        public IReadOnlyList<StreamSchema>? BuiltInStreams(string systemType) => systemType switch
        {
            "store" => [People],
            "desk" => [_tickets],
            _ => null,
        };

        public SystemConnection Connect(SystemConfig system) =>
            new(system.Type == "desk" ? new Desk(live, _tickets) : null, []);
    }

    private sealed class Desk(bool reachable, StreamSchema tickets) : IDescribeStreams
    {
        public IReadOnlyList<StreamSchema> BuiltInStreams => [tickets];

        public bool DescribesLive => true;

        // Live metadata is complete: it is the system's own word.
        public Task<StreamSchema?> DescribeLiveAsync(string stream, CancellationToken cancellationToken) => reachable
            ? Task.FromResult<StreamSchema?>(stream == "tickets" ? tickets with { CustomFields = false } : null)
            : throw new ConnectorException("desk", ConnectorErrorCode.Unavailable, "desk is down");
    }
}
