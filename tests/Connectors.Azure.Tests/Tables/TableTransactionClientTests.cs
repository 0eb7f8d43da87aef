using System.Text.RegularExpressions;
using Azure;
using Azure.Data.Tables;
using Connectors.Azure.Tables;
using Connectors.Azure.Tests.Infrastructure;

namespace Connectors.Azure.Tests.Tables;

public sealed class TableTransactionClientTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly string _name = TestNames.Table();
    private TableClient _table = null!;

    public async ValueTask InitializeAsync()
    {
        _table = new TableClient(azurite.ConnectionString, _name);
        await _table.CreateIfNotExistsAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync() => await _table.DeleteAsync(CancellationToken.None);

    [Fact]
    public async Task Insert_WritesEveryRow_WithItsProperties_EvenKeysAndValuesThatNeedEscaping()
    {
        var client = azurite.Account.CreateTableTransactionClient(_name);
        TableRow[] rows =
        [
            new("p", "plain", [new("Group", "g1"), new("At", "2026-11-23T10:00:00.0000000+00:00")]),
            new("p", "o'brien & co", [new("Group", "quote \" backslash \\ line\nbreak"), new("At", "x")]),
            new("p", "zoë+mötley", [new("Group", "客户"), new("At", "y")]),
        ];

        var outcome = await client.InsertAsync(rows, TestContext.Current.CancellationToken);

        Assert.True(outcome.IsApplied);
        foreach (var row in rows)
        {
            var stored = (await _table.GetEntityAsync<TableEntity>(row.PartitionKey, row.RowKey, cancellationToken: TestContext.Current.CancellationToken)).Value;
            Assert.Equal(row.Properties[0].Value, stored.GetString("Group"));
            Assert.Equal(row.Properties[1].Value, stored.GetString("At"));
        }
    }

    [Fact]
    public async Task Insert_MeetingAnExistingRow_NamesIt_AndWritesNothing()
    {
        var client = azurite.Account.CreateTableTransactionClient(_name);
        await _table.AddEntityAsync(new TableEntity("p", "taken") { ["Group"] = "before" }, TestContext.Current.CancellationToken);

        var outcome = await client.InsertAsync(
            [new("p", "a", [new("Group", "g")]), new("p", "b", [new("Group", "g")]), new("p", "taken", [new("Group", "g")]), new("p", "c", [new("Group", "g")])],
            TestContext.Current.CancellationToken);

        Assert.False(outcome.IsApplied);
        Assert.Equal(409, outcome.Status);
        Assert.Equal(2, outcome.FailedIndex);
        Assert.Equal("EntityAlreadyExists", outcome.ErrorCode);
        var rows = await _table.QueryAsync<TableEntity>(cancellationToken: TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal("taken", Assert.Single(rows).RowKey);
        Assert.Equal("before", rows[0].GetString("Group"));
    }

    [Fact]
    public async Task Upsert_ReplacesExistingRows_AndAddsNewOnes()
    {
        var client = azurite.Account.CreateTableTransactionClient(_name);
        await _table.AddEntityAsync(new TableEntity("p", "o'brien") { ["Group"] = "before", ["Other"] = "dropped" }, TestContext.Current.CancellationToken);

        var outcome = await client.UpsertAsync([new("p", "o'brien", [new("Group", "after")]), new("p", "new", [new("Group", "added")])], TestContext.Current.CancellationToken);

        Assert.True(outcome.IsApplied);
        var replaced = (await _table.GetEntityAsync<TableEntity>("p", "o'brien", cancellationToken: TestContext.Current.CancellationToken)).Value;
        Assert.Equal("after", replaced.GetString("Group"));
        Assert.False(replaced.ContainsKey("Other"));
        Assert.Equal("added", (await _table.GetEntityAsync<TableEntity>("p", "new", cancellationToken: TestContext.Current.CancellationToken)).Value.GetString("Group"));
    }

    [Fact]
    public async Task Transaction_RefusedAsAWhole_ThrowsWithStatusAndCode_ButNoSignature()
    {
        // Signed with a key the emulator does not know: the service refuses the whole request.
        var wrongKey = Convert.ToBase64String("not-the-emulator-key-at-all-0123"u8);
        var account = AzureStorageAccount.FromConnectionString(
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={wrongKey};TableEndpoint={_table.Uri.GetLeftPart(UriPartial.Authority)}/devstoreaccount1;" +
            $"QueueEndpoint={_table.Uri.GetLeftPart(UriPartial.Authority)}/devstoreaccount1", maxRetries: 0);
        var client = account.CreateTableTransactionClient(_name);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => client.InsertAsync([new("p", "r", [])], TestContext.Current.CancellationToken));

        Assert.Equal(403, error.Status);
        Assert.Contains("403", error.Message);
        Assert.DoesNotContain(wrongKey, error.ToString());
        Assert.DoesNotMatch(new Regex("sig=", RegexOptions.IgnoreCase), error.ToString());
    }

    [Fact]
    public async Task Transaction_BeyondTheServiceLimit_IsRefusedBeforeAnyRequest()
    {
        var client = azurite.Account.CreateTableTransactionClient(_name);
        var rows = Enumerable.Range(0, TableTransactionClient.MaxActions + 1).Select(i => new TableRow("p", $"r{i}", [])).ToArray();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.InsertAsync(rows, TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.InsertAsync([], TestContext.Current.CancellationToken));
    }
}
