using System.Net;
using System.Text;
using Azure;
using Azure.Storage.Queues;
using Connectors.Core.Queue;
using Microsoft.Extensions.Logging;

namespace Connectors.Azure.Queue;

/// <summary>
/// The work queue on Azure Storage Queues. Messages are base64-encoded JSON <see cref="SyncRequest"/>s,
/// which is what an Azure Functions queue trigger with the default <c>messageEncoding</c> reads, so the
/// function app and the standalone <see cref="QueueListener"/> can share one queue.
/// </summary>
public sealed class AzureStorageWorkQueue : IWorkQueue
{
    /// <summary>
    /// The largest JSON request we send, in UTF-8 bytes: base64 makes 4 bytes of 3, and the service
    /// takes 64 KiB per message. A larger request is split by record ids.
    /// </summary>
    public const int MaxRequestBytes = 48 * 1024;

    /// <summary>The most messages one receive returns (a service limit).</summary>
    public const int MaxReceiveCount = 32;

    private static readonly TimeSpan Forever = TimeSpan.FromSeconds(-1);

    private readonly QueueClient _queue;
    private readonly QueueClient _poison;
    private readonly AzureQueueOptions _options;
    private readonly ILogger<AzureStorageWorkQueue> _log;
    private readonly SemaphoreSlim _creating = new(1, 1);
    private volatile bool _queueReady;
    private volatile bool _poisonReady;

    /// <summary>Creates the queue client; the options are validated here, the queue is created on first use.</summary>
    /// <exception cref="System.ComponentModel.DataAnnotations.ValidationException">An option is out of range.</exception>
    public AzureStorageWorkQueue(AzureStorageAccount account, AzureQueueOptions options, ILogger<AzureStorageWorkQueue> log)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        options.Validate();
        _options = options;
        _log = log;
        Name = options.QueueName;
        PoisonQueueName = options.QueueName + "-poison";
        _poison = account.CreateQueueClient(PoisonQueueName);
        // A message that is not base64 (a producer that forgot the encoding) would make every receive
        // throw and so block the queue: move it aside as it is, like any other unreadable message.
        _queue = account.CreateQueueClient(Name, o => o.MessageDecodingFailed += MoveUndecodableAsync);
        _queueReady = !options.CreateIfMissing;
        _poisonReady = !options.CreateIfMissing;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public string PoisonQueueName { get; }

    /// <inheritdoc />
    public Task EnqueueAsync(SyncRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return EnqueueAsync([request], cancellationToken);
    }

    /// <inheritdoc />
    public async Task EnqueueAsync(IReadOnlyCollection<SyncRequest> requests, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var bodies = requests.SelectMany(Fit).ToArray();
        if (bodies.Length == 0) return;
        await EnsureQueueAsync(cancellationToken).ConfigureAwait(false);
        await Parallel.ForEachAsync(bodies,
            new ParallelOptions { MaxDegreeOfParallelism = _options.SendConcurrency, CancellationToken = cancellationToken },
            async (body, ct) => await _queue.SendMessageAsync(body, visibilityTimeout: null, timeToLive: _options.MessageTimeToLive ?? Forever, ct).ConfigureAwait(false))
            .ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxMessages, MaxReceiveCount);
        await EnsureQueueAsync(cancellationToken).ConfigureAwait(false);
        var response = await _queue.ReceiveMessagesAsync(maxMessages, visibilityTimeout, cancellationToken).ConfigureAwait(false);
        return response.Value
            .Select(m => new ReceivedMessage(m.MessageId, m.PopReceipt, m.Body.ToString(), m.DequeueCount, m.InsertedOn, m.NextVisibleOn))
            .ToArray();
    }

    /// <inheritdoc />
    public async Task<bool> CompleteAsync(ReceivedMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        try
        {
            await _queue.DeleteMessageAsync(message.Id, message.Receipt, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (IsLostReceipt(e))
        {
            return false;
        }
    }

    /// <inheritdoc />
    public Task<ReceivedMessage?> ReturnAsync(ReceivedMessage message, TimeSpan visibleAfter, CancellationToken cancellationToken) =>
        HideAsync(message, visibleAfter, cancellationToken);

    /// <inheritdoc />
    public Task<ReceivedMessage?> ExtendAsync(ReceivedMessage message, TimeSpan visibilityTimeout, CancellationToken cancellationToken) =>
        HideAsync(message, visibilityTimeout, cancellationToken);

    /// <inheritdoc />
    public async Task<bool> MoveToPoisonAsync(ReceivedMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        await EnsurePoisonAsync(cancellationToken).ConfigureAwait(false);
        await _poison.SendMessageAsync(message.Body, visibilityTimeout: null, timeToLive: Forever, cancellationToken).ConfigureAwait(false);
        return await CompleteAsync(message, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes the queue and its poison queue (tests and teardown).</summary>
    public async Task DeleteAsync(CancellationToken cancellationToken)
    {
        await _queue.DeleteIfExistsAsync(cancellationToken).ConfigureAwait(false);
        await _poison.DeleteIfExistsAsync(cancellationToken).ConfigureAwait(false);
        _queueReady = _poisonReady = !_options.CreateIfMissing;
    }

    private async Task<ReceivedMessage?> HideAsync(ReceivedMessage message, TimeSpan visibility, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentOutOfRangeException.ThrowIfLessThan(visibility, TimeSpan.Zero);
        try
        {
            // No new body: the service then changes the visibility only.
            var receipt = await _queue.UpdateMessageAsync(message.Id, message.Receipt, (string?)null, visibility, cancellationToken).ConfigureAwait(false);
            return message with { Receipt = receipt.Value.PopReceipt, NextVisibleAt = receipt.Value.NextVisibleOn };
        }
        catch (RequestFailedException e) when (IsLostReceipt(e))
        {
            return null;
        }
    }

    /// <summary>The bodies to send for one request: its JSON, split by ids until each fits a message.</summary>
    private static IEnumerable<string> Fit(SyncRequest request)
    {
        var json = request.ToJson();
        if (Encoding.UTF8.GetByteCount(json) <= MaxRequestBytes) return [json];
        if (request.RecordIds.Count < 2)
        {
            throw new ArgumentException($"A sync request of flow {request.Flow} is larger than a queue message can carry, even with a single record id.", nameof(request));
        }
        return request.Split((request.RecordIds.Count + 1) / 2).SelectMany(Fit);
    }

    // 404: the message is gone (completed, or expired). 400 PopReceiptMismatch: it came back and was
    // received again, so our receipt is outdated. Either way this delivery is over.
    private static bool IsLostReceipt(RequestFailedException e) =>
        e.Status == (int)HttpStatusCode.NotFound || e.ErrorCode == "PopReceiptMismatch";

    private async Task MoveUndecodableAsync(QueueMessageDecodingFailedEventArgs args)
    {
        if (args.ReceivedMessage is not { } raw) return;
        try
        {
            await EnsurePoisonAsync(args.CancellationToken).ConfigureAwait(false);
            // The raw text is kept as it came, so that whoever looks at the poison queue sees what was sent.
            await _poison.SendMessageAsync(raw.Body.ToString(), visibilityTimeout: null, timeToLive: Forever, args.CancellationToken).ConfigureAwait(false);
            await _queue.DeleteMessageAsync(raw.MessageId, raw.PopReceipt, args.CancellationToken).ConfigureAwait(false);
            _log.LogError("Message {MessageId} on queue {Queue} is not base64 and was moved to {PoisonQueue}", raw.MessageId, Name, PoisonQueueName);
        }
        catch (RequestFailedException e)
        {
            _log.LogWarning(e, "Moving undecodable message {MessageId} to {PoisonQueue} failed; it comes back later", raw.MessageId, PoisonQueueName);
        }
    }

    private Task EnsureQueueAsync(CancellationToken cancellationToken) =>
        _queueReady ? Task.CompletedTask : CreateAsync(poison: false, cancellationToken);

    private Task EnsurePoisonAsync(CancellationToken cancellationToken) =>
        _poisonReady ? Task.CompletedTask : CreateAsync(poison: true, cancellationToken);

    private async Task CreateAsync(bool poison, CancellationToken cancellationToken)
    {
        await _creating.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (poison && !_poisonReady)
            {
                await _poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                _poisonReady = true;
            }
            else if (!poison && !_queueReady)
            {
                await _queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                _queueReady = true;
            }
        }
        finally
        {
            _creating.Release();
        }
    }
}
