using Connectors.Core.Configuration;
using Connectors.Core.Reconciliation;

namespace Connectors.Core.Tests.Configuration;

/// <summary>A flow's <c>reconcile:</c> block: read into the flow's reconciliation options, every mistake located.</summary>
public sealed class ConfigLoaderReconcileTests
{
    private const string Head = """
        systems:
          shop:
            type: shopify
          crm:
            type: zoho
        flows:
          customers:
            from: shop.customers
            to: crm.Contacts
            match: Email
            mapping:
              Email: email
        """;

    private static readonly NoSecrets Secrets = new();

    [Fact]
    public void ReconcileBlock_EveryKey_IsReadIntoTheFlowsOptions()
    {
        var config = ConfigLoader.Parse(Head + """

                reconcile:
                  schedule: "0 30 2 * * *"
                  repair: true
                  deletes: flag
                  flagField: Deleted_In_Shop
                  bulkAbove: 50000
                  creditBudget: 20000
                  targetRecordUrl: https://crm.zoho.eu/crm/org1/tab/Contacts/{id}
            """, "c.yaml", Secrets);

        var reconcile = config.Flow("customers").Reconciliation!;
        var options = reconcile.ToOptions(reconcile.Repair, "work", "reports");

        Assert.True(reconcile.Repair);
        Assert.Equal(("0 30 2 * * *", DeletePolicy.Flag, "Deleted_In_Shop"), (reconcile.Schedule, options.Deletes, options.FlagField));
        Assert.Equal((50_000L, 20_000L, true), (options.BulkAbove!.Value, options.CreditBudget!.Value, options.Repair));
        Assert.Equal("https://crm.zoho.eu/crm/org1/tab/Contacts/{id}", options.TargetRecordUrl);
        options.Validate();
    }

    [Fact]
    public void ReconcileBlock_WithoutRepair_OnlyReports()
    {
        var config = ConfigLoader.Parse(Head + "\n    reconcile:\n      schedule: \"0 0 3 * * *\"\n      repair: false\n", "c.yaml", Secrets);
        var unsaid = ConfigLoader.Parse(Head + "\n    reconcile:\n      schedule: \"0 0 3 * * *\"\n", "c.yaml", Secrets);

        Assert.Equal((false, false), (config.Flow("customers").Reconciliation!.Repair, unsaid.Flow("customers").Reconciliation!.Repair));
    }

    [Fact]
    public void ReconcileScalar_IsTheSchedule_AndAFlowWithoutTheBlockHasNone()
    {
        var config = ConfigLoader.Parse(Head + "\n    reconcile: \"0 0 3 * * *\"\n", "c.yaml", Secrets);
        var plain = ConfigLoader.Parse(Head, "c.yaml", Secrets);

        Assert.Equal(("0 0 3 * * *", DeletePolicy.Ignore, false), (config.Flow("customers").Reconciliation!.Schedule,
            config.Flow("customers").Reconciliation!.Deletes, config.Flow("customers").Reconciliation!.Repair));
        Assert.Null(plain.Flow("customers").Reconciliation);
    }

    public static TheoryData<string, int, int, string, string> Mistakes => new()
    {
        // the block, line, column, field, message part
        { "reconcile:\n      deletes: purge\n", 14, 16, "reconcile.deletes", "'purge' is not a delete policy: write ignore, flag or delete" },
        { "reconcile:\n      deletes: flag\n", 14, 16, "reconcile.flagField", "deletes: flag needs 'flagField'" },
        { "reconcile:\n      bulkAbove: lots\n", 14, 18, "reconcile.bulkAbove", "'bulkAbove' is a whole number above zero; it is 'lots'" },
        { "reconcile:\n      creditBudget: -5\n", 14, 21, "reconcile.creditBudget", "'creditBudget' is a whole number above zero" },
        { "reconcile:\n      schedule: \"0 2 * * *\"\n", 14, 17, "reconcile.schedule", "It has 5 fields: add the seconds in front" },
        { "reconcile:\n      targetRecordUrl: https://crm.example/Contacts\n", 14, 24, "reconcile.targetRecordUrl", "with {id} where the record id goes" },
        { "reconcile:\n      repair: sometimes\n", 14, 15, "reconcile.repair", "'repair' is true or false" },
        { "reconcile:\n      delete: flag\n", 14, 7, "delete", "unknown key in the reconcile block of flow 'customers'" },
        { "reconcile: [nightly]\n", 13, 16, "reconcile", "'reconcile' is a schedule, or a mapping" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void ReconcileBlock_Mistake_IsReportedWhereItIsWritten(string block, int line, int column, string field, string message)
    {
        var error = Assert.Single(Assert.Throws<ConfigException>(() => ConfigLoader.Parse(Head + "\n    " + block, "c.yaml", Secrets)).Errors);

        Assert.Equal((line, column, "customers", field), (error.Location.Line, error.Location.Column, error.Flow, error.Field));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    private sealed class NoSecrets : ISecretResolver
    {
        public string? Resolve(string kind, string name) => null;
    }
}
