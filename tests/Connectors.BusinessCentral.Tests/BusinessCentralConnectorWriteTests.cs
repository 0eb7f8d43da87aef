using Connectors.Core.Connectors;
using Connectors.Sandbox;
using Connectors.Sandbox.BusinessCentral;
using Newtonsoft.Json.Linq;

namespace Connectors.BusinessCentral.Tests;

public sealed class BusinessCentralConnectorWriteTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Update_WithTheEtagJustRead_IsWrittenAndTheCustomerGetsANewEtag()
    {
        await using var bc = await SandboxedBusinessCentral.StartAsync();
        var id = (string)bc.Sandbox.Seed(3, seed: 1)[1]["id"]!;
        var read = Assert.Single(await bc.Connector.ReadByIdsAsync(BusinessCentralConnector.Customers, [id], Cancel));
        var etag = (string)read.Data[BusinessCentralConnector.EtagField]!;

        var outcome = Assert.Single(await bc.Connector.WriteAsync(BusinessCentralConnector.Customers,
            [SandboxedBusinessCentral.Write("c-1", id, new JObject { ["displayName"] = "Coho Winery" }, etag)], Cancel));

        Assert.Equal(new WriteOutcome.Written(outcome.Source, id, Created: false), outcome);
        var stored = bc.Sandbox.Find(id)!;
        Assert.Equal("Coho Winery", (string)stored["displayName"]!);
        Assert.NotEqual(etag, (string)stored[BusinessCentralConnector.EtagField]!);
    }

    [Theory]
    [InlineData(412)]
    [InlineData(409)]
    public async Task Update_WithAStaleEtagAfterAnErpUserEdited_IsAConflictAndChangesNothing(int staleStatus)
    {
        await using var bc = await SandboxedBusinessCentral.StartAsync(sandboxOptions: new BusinessCentralSandboxOptions { StaleEtagStatus = staleStatus });
        var id = (string)bc.Sandbox.Seed(3, seed: 2)[0]["id"]!;
        var read = Assert.Single(await bc.Connector.ReadByIdsAsync(BusinessCentralConnector.Customers, [id], Cancel));
        var erpUsersVersion = bc.Sandbox.Edit(id, c => c["phoneNumber"] = "+1 555 777 0000");

        var outcome = Assert.Single(await bc.Connector.WriteAsync(BusinessCentralConnector.Customers,
            [SandboxedBusinessCentral.Write("c-2", id, new JObject { ["phoneNumber"] = "+1 555 123 4567", ["city"] = "Oslo" },
                (string)read.Data[BusinessCentralConnector.EtagField]!)], Cancel));

        Assert.Equal(new WriteOutcome.Conflict(outcome.Source, id), outcome);
        Assert.True(JToken.DeepEquals(erpUsersVersion, bc.Sandbox.Find(id)), "the customer must be exactly as the ERP user left it");
        Assert.Equal(1, bc.Sandbox.Log.Count(r => r.Method == "PATCH" && r.Status == staleStatus));
    }

    [Fact]
    public async Task Update_WithoutAnExpectedVersion_ReadsTheEtagItselfAndNeverSendsAWildcard()
    {
        await using var bc = await SandboxedBusinessCentral.StartAsync();
        var id = (string)bc.Sandbox.Seed(2, seed: 4)[0]["id"]!;

        var outcome = Assert.Single(await bc.Connector.WriteAsync(BusinessCentralConnector.Customers,
            [SandboxedBusinessCentral.Write("c-3", id, new JObject { ["city"] = "Lisbon" })], Cancel));

        Assert.IsType<WriteOutcome.Written>(outcome);
        Assert.Equal("Lisbon", (string)bc.Sandbox.Find(id)!["city"]!);
        Assert.Equal(0, bc.Sandbox.WildcardWrites);
        Assert.Equal(["GET", "PATCH"], bc.Sandbox.Log.Entries.Where(r => r.Path.EndsWith($"/customers({id})", StringComparison.Ordinal)).Select(r => r.Method));
    }

    [Fact]
    public async Task Create_ForAnEmailThatAlreadyExists_UpdatesThatCustomerInsteadOfAddingOne()
    {
        await using var bc = await SandboxedBusinessCentral.StartAsync();
        var existing = bc.Sandbox.Seed(5, seed: 6)[3];
        var id = (string)existing["id"]!;
        bc.Sandbox.Edit(id, c => c["email"] = "o'brien@example.com");

        var outcome = Assert.Single(await bc.Connector.WriteAsync(BusinessCentralConnector.Customers,
            [SandboxedBusinessCentral.Write("c-4", null, new JObject { ["email"] = "o'brien@example.com", ["displayName"] = "Siobhan O'Brien" },
                null, "email")], Cancel));

        Assert.Equal(new WriteOutcome.Written(outcome.Source, id, Created: false), outcome);
        Assert.Equal(5, bc.Sandbox.Customers.Count);
        Assert.Equal("Siobhan O'Brien", (string)bc.Sandbox.Find(id)!["displayName"]!);
        Assert.Contains(bc.Sandbox.Log.Entries, r => Uri.UnescapeDataString(r.Query).Contains("email eq 'o''brien@example.com'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Create_SentAgainAfterItSucceeded_FindsTheFirstCustomerAndDoesNotDuplicate()
    {
        await using var bc = await SandboxedBusinessCentral.StartAsync();
        var create = SandboxedBusinessCentral.Write("c-5", null, new JObject { ["email"] = "new@example.com", ["displayName"] = "New" }, null, "email");

        var first = Assert.IsType<WriteOutcome.Written>(Assert.Single(await bc.Connector.WriteAsync(BusinessCentralConnector.Customers, [create], Cancel)));
        var again = Assert.IsType<WriteOutcome.Written>(Assert.Single(await bc.Connector.WriteAsync(BusinessCentralConnector.Customers, [create], Cancel)));

        Assert.True(first.Created);
        Assert.False(again.Created);
        Assert.Equal(first.TargetId, again.TargetId);
        Assert.Single(bc.Sandbox.Customers);
    }

    [Fact]
    public async Task Create_TwoRequestsForOneEmailInOneBatch_MakeOneCustomer()
    {
        await using var bc = await SandboxedBusinessCentral.StartAsync();

        var outcomes = await bc.Connector.WriteAsync(BusinessCentralConnector.Customers,
        [
            SandboxedBusinessCentral.Write("crm-a", null, new JObject { ["email"] = "twin@example.com", ["displayName"] = "Twin A" }, null, "email"),
            SandboxedBusinessCentral.Write("crm-b", null, new JObject { ["email"] = "twin@example.com", ["displayName"] = "Twin B" }, null, "email"),
        ], Cancel);

        var customer = Assert.Single(bc.Sandbox.Customers);
        Assert.All(outcomes, o => Assert.Equal((string)customer["id"]!, Assert.IsType<WriteOutcome.Written>(o).TargetId));
        Assert.Equal("Twin B", (string)customer["displayName"]!);
    }

    [Fact]
    public async Task Create_ForAnEmailTwoCustomersShare_IsRejectedAsAmbiguousAndWritesNothing()
    {
        await using var bc = await SandboxedBusinessCentral.StartAsync();
        var seeded = bc.Sandbox.Seed(2, seed: 12);
        bc.Sandbox.Edit((string)seeded[1]["id"]!, c => c["email"] = seeded[0]["email"]!.DeepClone());

        var outcome = Assert.Single(await bc.Connector.WriteAsync(BusinessCentralConnector.Customers,
            [SandboxedBusinessCentral.Write("c-6", null, new JObject { ["email"] = seeded[0]["email"]!.DeepClone(), ["city"] = "Oslo" }, null, "email")],
            Cancel));

        var rejected = Assert.IsType<WriteOutcome.Rejected>(outcome);
        Assert.Equal("AMBIGUOUS_MATCH", rejected.VendorCode);
        Assert.Equal("email", rejected.Field);
        Assert.Equal(2, bc.Sandbox.Customers.Count);
        Assert.DoesNotContain(bc.Sandbox.Customers, c => (string)c["city"]! == "Oslo");
    }

    [Fact]
    public async Task Batch_WithOneRecordBusinessCentralRefuses_RejectsItWithCodeFieldAndMessageAndWritesTheRest()
    {
        await using var bc = await SandboxedBusinessCentral.StartAsync(o => o.MaxConcurrency = 5);
        var batch = Enumerable.Range(0, 12).Select(i => SandboxedBusinessCentral.Write($"c-{i}", null,
            new JObject { ["email"] = $"person{i}@example.com", ["displayName"] = $"Person {i}" }, null, "email")).ToList();
        batch[3].Payload["favouriteColour"] = "teal";
        batch[7].Payload["displayName"] = new string('x', 101);

        var outcomes = await bc.Connector.WriteAsync(BusinessCentralConnector.Customers, batch, Cancel);

        Assert.Equal(batch.Select(r => r.Source), outcomes.Select(o => o.Source));
        var unknownField = Assert.IsType<WriteOutcome.Rejected>(outcomes[3]);
        Assert.Equal("BadRequest", unknownField.VendorCode);
        Assert.Equal("favouriteColour", unknownField.Field);
        Assert.StartsWith("The property 'favouriteColour' does not exist on type 'Microsoft.NAV.customer'.", unknownField.Message);
        var tooLong = Assert.IsType<WriteOutcome.Rejected>(outcomes[7]);
        Assert.Equal("Application_StringExceededLength", tooLong.VendorCode);
        Assert.StartsWith("The length of the string is 101, but it must be less than or equal to 100 characters.", tooLong.Message);
        Assert.Equal(10, outcomes.OfType<WriteOutcome.Written>().Count(w => w.Created));
        Assert.Equal(
            Enumerable.Range(0, 12).Where(i => i is not (3 or 7)).Select(i => $"person{i}@example.com").Order(),
            bc.Sandbox.Customers.Select(c => (string)c["email"]!).Order());
    }

    [Fact]
    public async Task Update_ThrottledLongerThanTheConnectorWaits_IsRetryLaterWithTheVendorsWait()
    {
        await using var bc = await SandboxedBusinessCentral.StartAsync();
        var id = (string)bc.Sandbox.Seed(1, seed: 9)[0]["id"]!;
        var read = Assert.Single(await bc.Connector.ReadByIdsAsync(BusinessCentralConnector.Customers, [id], Cancel));
        bc.Sandbox.Faults.Add(new Fault(r => r.Method == "PATCH", 1, 429,
            """{"error":{"code":"Application_TooManyRequests","message":"Too many requests."}}""", TimeSpan.FromMinutes(10)));

        var outcome = Assert.Single(await bc.Connector.WriteAsync(BusinessCentralConnector.Customers,
            [SandboxedBusinessCentral.Write("c-9", id, new JObject { ["city"] = "Rome" }, (string)read.Data[BusinessCentralConnector.EtagField]!)], Cancel));

        var later = Assert.IsType<WriteOutcome.RetryLater>(outcome);
        Assert.Equal(TimeSpan.FromMinutes(10), later.After);
        Assert.NotEqual("Rome", (string)bc.Sandbox.Find(id)!["city"]!);
    }
}
