using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Data.Tables.Sas;
using Azure.Storage.Queues;
using Connectors.Azure.Tables;

namespace Connectors.Azure;

/// <summary>
/// How to reach one Azure Storage account (or Azurite): by connection string or by an Entra ID
/// credential. It creates the queue and table clients the connectors use, with the settings they need
/// (base64 queue messages, a service version the emulator accepts). With a connection string, requests
/// are signed with an account SAS made from the key (<see cref="AccountSas"/>), not with the key itself.
/// It never shows its key: not in <see cref="ToString"/>, not in an exception.
/// </summary>
public sealed class AzureStorageAccount
{
    // Azurite 3.37 accepts queue service versions up to 2026-06-06, while Azure.Storage.Queues 12.28
    // sends 2026-10-06 by default and strict Azurite rejects that. Real Azure accepts both.
    private const QueueClientOptions.ServiceVersion EmulatorQueueVersion = QueueClientOptions.ServiceVersion.V2026_06_06;
    private const string EmulatorAccountName = "devstoreaccount1";

    /// <summary>Retries of a failed storage call (timeouts, 5xx, throttling) unless the factory is told otherwise.</summary>
    public const int DefaultMaxRetries = 3;

    private readonly int _maxRetries;
    private readonly string? _connectionString;
    private readonly QueueServiceClient? _keyedQueues;
    private readonly TableServiceClient? _keyedTables;
    private readonly AccountSas? _queueSas;
    private readonly AccountSas? _tableSas;
    private readonly TokenCredential? _credential;
    private readonly Uri? _queueServiceUri;
    private readonly Uri? _tableServiceUri;

    private AzureStorageAccount(string name, bool isEmulator, int maxRetries, string? connectionString, TokenCredential? credential, Uri? queueServiceUri, Uri? tableServiceUri)
    {
        _maxRetries = maxRetries;
        if (connectionString is not null)
        {
            _keyedQueues = new QueueServiceClient(connectionString, isEmulator ? new QueueClientOptions(EmulatorQueueVersion) : new QueueClientOptions());
            _keyedTables = new TableServiceClient(connectionString);
            if (_keyedQueues.CanGenerateAccountSasUri)
            {
                // The service checks a signature against its own clock, so these are made on the real one.
                _queueSas = new AccountSas(expiresOn => _keyedQueues.GenerateAccountSasUri(
                    global::Azure.Storage.Sas.AccountSasPermissions.All, expiresOn, global::Azure.Storage.Sas.AccountSasResourceTypes.All).Query, TimeProvider.System);
                _tableSas = new AccountSas(expiresOn => _keyedTables.GenerateSasUri(
                    TableAccountSasPermissions.All, TableAccountSasResourceTypes.All, expiresOn).Query, TimeProvider.System);
            }
        }
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
    /// <param name="connectionString">The account's connection string.</param>
    /// <param name="maxRetries">Retries of a failed call, 0 to 10, with the SDK's exponential backoff.</param>
    /// <exception cref="ArgumentException">The connection string is empty or malformed.</exception>
    public static AzureStorageAccount FromConnectionString(string connectionString, int maxRetries = DefaultMaxRetries)
    {
        CheckRetries(maxRetries);
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
        return new AzureStorageAccount(queues.AccountName, isEmulator, maxRetries, connectionString, null, null, null);
    }

    /// <summary>An account reached with an Entra ID credential (a managed identity, say) at the given service endpoints.</summary>
    /// <param name="queueServiceUri">The queue endpoint, <c>https://&lt;account&gt;.queue.core.windows.net</c>.</param>
    /// <param name="tableServiceUri">The table endpoint, <c>https://&lt;account&gt;.table.core.windows.net</c>.</param>
    /// <param name="credential">The identity to call with; it needs the Storage Queue Data Contributor and Storage Table Data Contributor roles.</param>
    /// <param name="maxRetries">Retries of a failed call, 0 to 10, with the SDK's exponential backoff.</param>
    public static AzureStorageAccount FromCredential(Uri queueServiceUri, Uri tableServiceUri, TokenCredential credential, int maxRetries = DefaultMaxRetries)
    {
        CheckRetries(maxRetries);
        ArgumentNullException.ThrowIfNull(queueServiceUri);
        ArgumentNullException.ThrowIfNull(tableServiceUri);
        ArgumentNullException.ThrowIfNull(credential);
        var queues = new QueueServiceClient(queueServiceUri, credential);
        var isEmulator = queues.AccountName == EmulatorAccountName || queueServiceUri.IsLoopback;
        return new AzureStorageAccount(queues.AccountName, isEmulator, maxRetries, null, credential, queueServiceUri, tableServiceUri);
    }

    /// <summary>A client for one queue; messages are base64 on the wire, as the Azure Functions host expects.</summary>
    internal QueueClient CreateQueueClient(string queueName, Action<QueueClientOptions>? configure = null)
    {
        var options = IsEmulator ? new QueueClientOptions(EmulatorQueueVersion) : new QueueClientOptions();
        options.MessageEncoding = QueueMessageEncoding.Base64;
        options.Retry.MaxRetries = _maxRetries;
        configure?.Invoke(options);
        if (_queueSas is not null)
        {
            options.AddPolicy(_queueSas, HttpPipelinePosition.PerCall);
            return new QueueClient(_keyedQueues!.GetQueueClient(queueName).Uri, _queueSas.Credential, options);
        }
        return _connectionString is not null
            ? new QueueClient(_connectionString, queueName, options)
            : new QueueServiceClient(_queueServiceUri!, _credential!, options).GetQueueClient(queueName);
    }

    /// <summary>A client for one table.</summary>
    internal TableClient CreateTableClient(string tableName)
    {
        var options = TableOptions();
        if (_tableSas is not null)
        {
            return new TableServiceClient(_keyedTables!.Uri, _tableSas.Credential, options).GetTableClient(tableName);
        }
        return _connectionString is not null
            ? new TableClient(_connectionString, tableName, options)
            : new TableServiceClient(_tableServiceUri!, _credential!, options).GetTableClient(tableName);
    }

    /// <summary>A client for the entity-group transactions of one table, signed and retried as <see cref="CreateTableClient"/>'s are.</summary>
    internal TableTransactionClient CreateTableTransactionClient(string tableName)
    {
        var options = TableOptions();
        if (_tableSas is not null)
        {
            // Put in the query after its renewal, once per call rather than per retry, or a retry would sign twice.
            options.AddPolicy(new SasQuery(_tableSas.Credential), HttpPipelinePosition.PerCall);
            return new TableTransactionClient(HttpPipelineBuilder.Build(options), _keyedTables!.Uri, tableName);
        }
        if (_connectionString is not null)
        {
            // A connection string without a key carries a signature of its own.
            options.AddPolicy(new SasQuery(new AzureSasCredential(SignatureOf(_connectionString))), HttpPipelinePosition.PerCall);
            return new TableTransactionClient(HttpPipelineBuilder.Build(options), _keyedTables!.Uri, tableName);
        }
        return new TableTransactionClient(
            HttpPipelineBuilder.Build(options, new BearerTokenAuthenticationPolicy(_credential!, "https://storage.azure.com/.default")), _tableServiceUri!, tableName);
    }

    /// <summary>The table clients' options: the retries, and the renewal of the account SAS when there is one.</summary>
    private TableClientOptions TableOptions()
    {
        var options = new TableClientOptions();
        options.Retry.MaxRetries = _maxRetries;
        if (_tableSas is not null) options.AddPolicy(_tableSas, HttpPipelinePosition.PerCall);
        return options;
    }

    private static string SignatureOf(string connectionString)
    {
        const string Name = "SharedAccessSignature=";
        foreach (var part in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (part.StartsWith(Name, StringComparison.OrdinalIgnoreCase)) return part[Name.Length..];
        }
        throw new ArgumentException("The storage connection string has neither an account key nor a shared access signature; it is not shown here because it may hold secrets.");
    }

    private static void CheckRetries(int maxRetries)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxRetries);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxRetries, 10);
    }

    /// <inheritdoc />
    public override string ToString() => $"Azure Storage account {Name}";
}
