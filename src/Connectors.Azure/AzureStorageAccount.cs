using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Queues;

namespace Connectors.Azure;

/// <summary>
/// How to reach one Azure Storage account (or Azurite): by connection string or by an Entra ID
/// credential. It creates the queue and table clients the connectors use, with the settings they need
/// (base64 queue messages, a service version the emulator accepts). It never shows its key: not in
/// <see cref="ToString"/>, not in an exception.
/// </summary>
public sealed class AzureStorageAccount
{
    // Azurite 3.37 accepts queue service versions up to 2026-06-06, while Azure.Storage.Queues 12.28
    // sends 2026-10-06 by default and strict Azurite rejects that. Real Azure accepts both.
    private const QueueClientOptions.ServiceVersion EmulatorQueueVersion = QueueClientOptions.ServiceVersion.V2026_06_06;
    private const string EmulatorAccountName = "devstoreaccount1";

    private readonly string? _connectionString;
    private readonly TokenCredential? _credential;
    private readonly Uri? _queueServiceUri;
    private readonly Uri? _tableServiceUri;

    private AzureStorageAccount(string name, bool isEmulator, string? connectionString, TokenCredential? credential, Uri? queueServiceUri, Uri? tableServiceUri)
    {
        Name = name;
        IsEmulator = isEmulator;
        _connectionString = connectionString;
        _credential = credential;
        _queueServiceUri = queueServiceUri;
        _tableServiceUri = tableServiceUri;
    }

    /// <summary>The account's name (<c>devstoreaccount1</c> for Azurite).</summary>
    public string Name { get; }

    /// <summary>Whether this is the local emulator (Azurite): its account, or a loopback endpoint.</summary>
    public bool IsEmulator { get; }

    /// <summary>
    /// An account reached by connection string (<c>UseDevelopmentStorage=true</c> for Azurite on its
    /// default ports). The string is checked here; a bad one fails without being repeated in the message.
    /// </summary>
    /// <exception cref="ArgumentException">The connection string is empty or malformed.</exception>
    public static AzureStorageAccount FromConnectionString(string connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new ArgumentException("The storage connection string is empty.", nameof(connectionString));
        }
        QueueServiceClient queues;
        try
        {
            queues = new QueueServiceClient(connectionString);
            _ = new TableServiceClient(connectionString);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or UriFormatException)
        {
            // The parser's own message may quote the string, key included: say what is wrong without it.
            throw new ArgumentException(
                "The storage connection string is malformed or lacks the queue and table endpoints; it is not shown here because it holds the account key.",
                nameof(connectionString));
        }
        var isEmulator = queues.AccountName == EmulatorAccountName || queues.Uri.IsLoopback;
        return new AzureStorageAccount(queues.AccountName, isEmulator, connectionString, null, null, null);
    }

    /// <summary>An account reached with an Entra ID credential (a managed identity, say) at the given service endpoints.</summary>
    public static AzureStorageAccount FromCredential(Uri queueServiceUri, Uri tableServiceUri, TokenCredential credential)
    {
        ArgumentNullException.ThrowIfNull(queueServiceUri);
        ArgumentNullException.ThrowIfNull(tableServiceUri);
        ArgumentNullException.ThrowIfNull(credential);
        var queues = new QueueServiceClient(queueServiceUri, credential);
        var isEmulator = queues.AccountName == EmulatorAccountName || queueServiceUri.IsLoopback;
        return new AzureStorageAccount(queues.AccountName, isEmulator, null, credential, queueServiceUri, tableServiceUri);
    }

    /// <summary>A client for one queue; messages are base64 on the wire, as the Azure Functions host expects.</summary>
    internal QueueClient CreateQueueClient(string queueName, Action<QueueClientOptions>? configure = null)
    {
        var options = IsEmulator ? new QueueClientOptions(EmulatorQueueVersion) : new QueueClientOptions();
        options.MessageEncoding = QueueMessageEncoding.Base64;
        configure?.Invoke(options);
        return _connectionString is not null
            ? new QueueClient(_connectionString, queueName, options)
            : new QueueServiceClient(_queueServiceUri!, _credential!, options).GetQueueClient(queueName);
    }

    /// <summary>A client for one table.</summary>
    internal TableClient CreateTableClient(string tableName) => _connectionString is not null
        ? new TableClient(_connectionString, tableName)
        : new TableServiceClient(_tableServiceUri!, _credential!).GetTableClient(tableName);

    /// <inheritdoc />
    public override string ToString() => $"Azure Storage account {Name}";
}
