using Connectors.Core.Connectors;
using Connectors.Core.Sync;
using Connectors.Sandbox.Zoho;

namespace Connectors.Zoho.Tests;

public sealed class ZohoReadTests
{
    [Fact]
    public async Task ReadChanged_FiveThousandContacts_ReadsPastTheDiscreteLimitWithPageTokens()
    {
        await using var zoho = await ZohoTestSystem.StartAsync(new ZohoSandboxOptions { SeedContacts = 5000 });

        var pages = await zoho.ReadAllAsync("Contacts", Watermark.Start);

        var records = pages.SelectMany(p => p.Records).ToList();
        Assert.Equal(5000, records.Count);
        Assert.Equal(5000, records.Select(r => r.Key.Id).Distinct().Count());
        Assert.Equal(records.OrderBy(r => r.Modified).Select(r => r.Key.Id), records.Select(r => r.Key.Id));
        var lists = zoho.CrmCalls.Where(c => c.Method == "GET" && c.Path == "/crm/v8/Contacts").ToList();
        Assert.Equal(25, lists.Count);
        Assert.All(lists, c => Assert.Equal(200, c.Status));
        Assert.All(lists, c => Assert.Contains("per_page=200", c.Query, StringComparison.Ordinal));
        Assert.All(lists, c => Assert.Contains("sort_by=Modified_Time", c.Query, StringComparison.Ordinal));
        Assert.All(lists, c => Assert.Contains("sort_order=asc", c.Query, StringComparison.Ordinal));
        Assert.Equal(Enumerable.Range(1, 10).Select(p => $"page={p}"),
            lists.Take(10).Select(c => c.Query.TrimStart('?').Split('&').Single(p => p.StartsWith("page=", StringComparison.Ordinal))));
        Assert.All(lists.Skip(10), c => Assert.Contains("page_token=", c.Query, StringComparison.Ordinal));
        Assert.All(lists.Skip(10), c => Assert.DoesNotContain("&page=", c.Query, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadChanged_EachPage_CheckpointsAtItsLatestModifiedTime()
    {
        await using var zoho = await ZohoTestSystem.StartAsync(new ZohoSandboxOptions { SeedContacts = 450 });

        var pages = await zoho.ReadAllAsync("Contacts", Watermark.Start);

        Assert.Equal([200, 200, 50], pages.Select(p => p.Records.Count));
        Assert.All(pages, p => Assert.Equal(p.Records[^1].Modified, p.Checkpoint!.Modified));
        Assert.Equal(zoho.Sandbox.Contacts.All()[^1].Value<string>("Modified_Time"),
            pages[^1].Checkpoint!.Modified!.Value.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task ReadChanged_Records_KeepZohoFieldsKeyAndTimeZoneOffset()
    {
        await using var zoho = await ZohoTestSystem.StartAsync(new ZohoSandboxOptions { SeedContacts = 3, TimeZone = new TimeSpan(5, 30, 0) });

        var record = (await zoho.ReadAllAsync("Contacts", Watermark.Start)).SelectMany(p => p.Records).First();

        var stored = zoho.Sandbox.Contacts.Get(record.Key.Id)!;
        Assert.Equal("crm.Contacts", record.Key.Stream);
        Assert.Equal(new TimeSpan(5, 30, 0), record.Modified.Offset);
        Assert.Equal(stored.Value<string>("Email"), record.Data.Value<string>("Email"));
        Assert.Equal(stored.Value<string>("Last_Name"), record.Data.Value<string>("Last_Name"));
        Assert.Equal(stored.Value<string>("Modified_Time"), record.Data.Value<string>("Modified_Time"));
    }

    [Fact]
    public async Task ReadChanged_FromWatermark_ReadsOnlyRecordsModifiedAtOrAfterIt()
    {
        await using var zoho = await ZohoTestSystem.StartAsync(new ZohoSandboxOptions { SeedContacts = 600 });
        var all = (await zoho.ReadAllAsync("Contacts", Watermark.Start)).SelectMany(p => p.Records).ToList();
        var watermark = all[400].Modified;

        var changed = (await zoho.ReadAllAsync("Contacts", new Watermark(watermark))).SelectMany(p => p.Records).ToList();

        Assert.Equal(all.Where(r => r.Modified >= watermark).Select(r => r.Key.Id).Order(), changed.Select(r => r.Key.Id).Order());
        Assert.True(changed.Count < all.Count);
    }

    [Fact]
    public async Task ReadChanged_AnEditAfterTheWatermark_IsTheOnlyRecordRead()
    {
        await using var zoho = await ZohoTestSystem.StartAsync(new ZohoSandboxOptions { SeedContacts = 50 });
        var pages = await zoho.ReadAllAsync("Contacts", Watermark.Start);
        var watermark = pages[^1].Checkpoint!;
        var edited = zoho.Sandbox.Contacts.All()[10];
        zoho.Clock.Advance(TimeSpan.FromMinutes(5));
        zoho.Sandbox.Contacts.Edit(edited.Value<string>("id")!, new() { ["Title"] = "Buyer" });

        var changed = (await zoho.ReadAllAsync("Contacts", watermark)).SelectMany(p => p.Records).ToList();

        var record = Assert.Single(changed, r => r.Modified > watermark.Modified);
        Assert.Equal(edited.Value<string>("id"), record.Key.Id);
        Assert.Equal("Buyer", record.Data.Value<string>("Title"));
    }

    [Fact]
    public async Task ReadChanged_NothingChangedSinceWatermark_YieldsNoRecordsOn304()
    {
        await using var zoho = await ZohoTestSystem.StartAsync(new ZohoSandboxOptions { SeedContacts = 20 });
        var later = new Watermark(zoho.Clock.GetUtcNow().AddHours(1));

        var pages = await zoho.ReadAllAsync("Contacts", later);

        Assert.Empty(pages);
        Assert.Equal(304, Assert.Single(zoho.CrmCalls).Status);
    }

    [Fact]
    public async Task ReadChanged_EmptyModule_YieldsNoRecordsOn204()
    {
        await using var zoho = await ZohoTestSystem.StartAsync();

        var pages = await zoho.ReadAllAsync("Contacts", Watermark.Start);

        Assert.Empty(pages);
        Assert.Equal(204, Assert.Single(zoho.CrmCalls).Status);
    }

    [Fact]
    public async Task ReadChanged_ConfiguredFields_AreTheFieldsRequested()
    {
        await using var zoho = await ZohoTestSystem.StartAsync(new ZohoSandboxOptions { SeedContacts = 5 },
            options => options.Fields["Contacts"] = ["Email", "Last_Name"]);

        var record = (await zoho.ReadAllAsync("Contacts", Watermark.Start)).SelectMany(p => p.Records).First();

        Assert.Contains("fields=Email%2CLast_Name%2CModified_Time", Assert.Single(zoho.CrmCalls).Query, StringComparison.Ordinal);
        Assert.Equal(["id", "Email", "Last_Name", "Modified_Time"], record.Data.Properties().Select(p => p.Name));
    }

    [Fact]
    public async Task ReadChanged_ModuleWithoutConfiguredFields_FailsAsInvalidRequestBeforeAnyCall()
    {
        await using var zoho = await ZohoTestSystem.StartAsync();

        var error = await Assert.ThrowsAsync<ConnectorException>(() => zoho.ReadAllAsync("Deals", Watermark.Start));

        Assert.Equal(ConnectorErrorCode.InvalidRequest, error.Code);
        Assert.Contains("Fields:Deals", error.Message, StringComparison.Ordinal);
        Assert.Empty(zoho.CrmCalls);
    }

    [Fact]
    public async Task ReadByIds_ReturnsTheNamedRecordsAndLeavesOutUnknownIds()
    {
        await using var zoho = await ZohoTestSystem.StartAsync(new ZohoSandboxOptions { SeedContacts = 250 });
        var ids = zoho.Sandbox.Contacts.All().Select(r => r.Value<string>("id")!).Where((_, i) => i % 2 == 0).ToList();

        var records = await zoho.Connector.ReadByIdsAsync("Contacts", [.. ids, "999"], TestContext.Current.CancellationToken);

        Assert.Equal(ids.Order(), records.Select(r => r.Key.Id).Order());
        Assert.Equal(2, zoho.CrmCalls.Count);
        Assert.All(zoho.CrmCalls, c => Assert.Contains("ids=", c.Query, StringComparison.Ordinal));
    }

    [Fact]
    public async Task DescribeFields_ReturnsTheModulesFieldsWithLengthsAndMandatoryFlags()
    {
        await using var zoho = await ZohoTestSystem.StartAsync();

        var fields = await zoho.Connector.DescribeFieldsAsync("Contacts", TestContext.Current.CancellationToken);

        var lastName = Assert.Single(fields, f => f.ApiName == "Last_Name");
        Assert.Equal((true, 40, "text"), (lastName.SystemMandatory, lastName.Length, lastName.DataType));
        Assert.Equal("email", Assert.Single(fields, f => f.ApiName == "Email").DataType);
        Assert.Equal("/crm/v8/settings/fields", Assert.Single(zoho.CrmCalls).Path);
    }
}
