using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Storage.Queues;
using Azure.Storage.Sas;
using Connectors.Azure.Queue;
using Connectors.Azure.State;
using Connectors.Azure.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Connectors.Azure.Tests;

public sealed class AzureStorageAccountTests(AzuriteFixture azurite)
{
    private const string Key = "c2VjcmV0LWtleS10aGF0LW11c3Qtbm90LWxlYWs=";

    [Fact]
    public void FromConnectionString_Malformed_FailsWithoutRepeatingTheKey()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            AzureStorageAccount.FromConnectionString($"AccountName=acme;AccountKey={Key};QueueEndpoint=not a uri"));

        Assert.DoesNotContain(Key, error.ToString());
        Assert.Contains("connection string", error.Message);
    }

    [Fact]
    public void Account_ShowsItsNameButNeverItsKey()
    {
        var account = AzureStorageAccount.FromConnectionString($"DefaultEndpointsProtocol=https;AccountName=acme;AccountKey={Key};EndpointSuffix=core.windows.net");

        Assert.Equal("acme", account.Name);
        Assert.False(account.IsEmulator);
        Assert.DoesNotContain(Key, account.ToString());
    }

    [Fact]
    public void Account_Azurite_IsRecognisedAsTheEmulator()
    {
        Assert.True(azurite.Account.IsEmulator);
        Assert.True(AzureStorageAccount.FromConnectionString("UseDevelopmentStorage=true").IsEmulator);
    }

    [Fact]
    public async Task StorageErrors_DoNotCarryTheKey()
    {
        // Nothing listens on port 9: every call fails, and what it throws must not hold the key.
        var account = AzureStorageAccount.FromConnectionString(
            $"DefaultEndpointsProtocol=http;AccountName=acme;AccountKey={Key};QueueEndpoint=http://127.0.0.1:9/acme;TableEndpoint=http://127.0.0.1:9/acme", maxRetries: 0);
        var queue = new AzureStorageWorkQueue(account, new AzureQueueOptions { QueueName = "unreachable", CreateIfMissing = false }, NullLogger<AzureStorageWorkQueue>.Instance);
        var store = new AzureTableSyncStateStore(account, new AzureTableStateOptions { CreateIfMissing = false });
        using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var queueError = await Record.ExceptionAsync(() => queue.ReceiveAsync(1, TimeSpan.FromSeconds(30), quick.Token));
        var storeError = await Record.ExceptionAsync(() => store.GetWatermarkAsync("f", quick.Token));

        Assert.NotNull(queueError);
        Assert.NotNull(storeError);
        Assert.DoesNotContain(Key, queueError.ToString());
        Assert.DoesNotContain(Key, storeError.ToString());
        // Requests are signed with an account SAS made from the key: its signature is a secret too.
        Assert.DoesNotMatch(SignatureShown, queueError.ToString());
        Assert.DoesNotMatch(SignatureShown, storeError.ToString());
    }

    private static readonly Regex SignatureShown = new("sig=(?!REDACTED)[^&\\s]", RegexOptions.IgnoreCase);

    [Fact]
    public async Task AccountSas_RunningOut_IsRenewedBeforeTheRequest_AndTheRequestSucceeds()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var keyed = new QueueServiceClient(azurite.ConnectionString, new QueueClientOptions(QueueClientOptions.ServiceVersion.V2026_06_06));
        var signed = new List<DateTimeOffset>();
        var sas = new AccountSas(expiresOn =>
        {
            signed.Add(expiresOn);
            return keyed.GenerateAccountSasUri(AccountSasPermissions.All, expiresOn, AccountSasResourceTypes.All).Query;
        }, clock);
        var options = new QueueClientOptions(QueueClientOptions.ServiceVersion.V2026_06_06);
        options.AddPolicy(sas, HttpPipelinePosition.PerCall);
        var queue = new QueueClient(keyed.GetQueueClient(TestNames.Queue()).Uri, sas.Credential, options);

        await queue.CreateAsync(cancellationToken: TestContext.Current.CancellationToken);
        clock.Advance(AccountSas.Lifetime - TimeSpan.FromHours(2));
        await queue.SendMessageAsync("still the first signature", TestContext.Current.CancellationToken);
        clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));
        await queue.SendMessageAsync("a renewed signature", TestContext.Current.CancellationToken);
        var properties = await queue.GetPropertiesAsync(TestContext.Current.CancellationToken);
        await queue.DeleteAsync(TestContext.Current.CancellationToken);

        Assert.Equal(2, signed.Count);
        Assert.Equal(clock.GetUtcNow() + AccountSas.Lifetime, signed[1]);
        Assert.Equal(2, properties.Value.ApproximateMessagesCount);
    }
}
