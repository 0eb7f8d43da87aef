using System.Runtime.CompilerServices;
using System.Text;
using Connectors.Core.Connectors;
using Connectors.Core.Records;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Polly;

namespace Connectors.Shopify;

// Whole streams through bulk operations (README, "Bulk operations"): count, then one bulkOperationRunQuery per
// read, its status polled on the clock with node(id:), and its JSONL result streamed from the signed URL line by
// line, a page of records at a time, in the record shape ReadChangedAsync gives.
public sealed partial class ShopifyConnector : IBulkSource
{
    /// <summary>
    /// Records handed on per page while a bulk operation's result file is streamed: few, so that a caller working a page at a
    /// time holds little at once and the parsed records are collected while young.
    /// </summary>
    public const int BulkReadChunk = 100;

    private const string RunBulkQueryMutation = """
        mutation RunBulkQuery($query: String!, $groupObjects: Boolean!) {
          bulkOperationRunQuery(query: $query, groupObjects: $groupObjects) {
            bulkOperation { id status }
            userErrors { field message code }
          }
        }
        """;

    // node(id:) works in every supported API version; bulkOperation(id:) exists only from 2026-01.
    private const string BulkOperationStatusQuery = """
        query BulkOperationStatus($id: ID!) {
          node(id: $id) {
            ... on BulkOperation { id status errorCode objectCount rootObjectCount url partialDataUrl }
          }
        }
        """;

    private const string ParentIdField = "__parentId";

    /// <inheritdoc />
    /// <remarks><c>customersCount(limit: null)</c> (likewise orders, products): without the null limit Shopify stops counting at 10,000.</remarks>
    public async Task<long> CountAsync(string stream, CancellationToken cancellationToken)
    {
        var source = StreamNamed(stream);
        var data = await QueryAsync(source.CountQuery, [], cancellationToken).ConfigureAwait(false);
        return data["count"]?["count"] is JValue { Type: JTokenType.Integer } count
            ? (long)count
            : throw Unexpected($"the answer has no {source.RootField}Count.");
    }

    /// <inheritdoc />
    /// <remarks>
    /// One bulk query operation for the whole stream (the same fields as <see cref="ReadChangedAsync"/>): run, polled
    /// every <see cref="ShopifyOptions.BulkPollInterval"/> on the clock until it completes, then its JSONL downloaded
    /// without the access token and read line by line into pages of <see cref="BulkReadChunk"/>. An order's line items
    /// come as lines of their own after the order (the query asks for grouped output) and are put back into
    /// <c>lineItems.nodes</c>; <c>lineItems.pageInfo</c> is <c>{ hasNextPage: false, endCursor: null }</c>, as there is no
    /// cursor in a bulk result.
    /// </remarks>
    public async IAsyncEnumerable<RecordPage> ReadAllInBulkAsync(string stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var source = StreamNamed(stream);
        var files = _resultFiles ?? throw new ConnectorException(System, ConnectorErrorCode.InvalidRequest,
            "This connector was built without a client for bulk result files; register it with AddShopifyConnector.");
        var id = await RunBulkQueryAsync(source, cancellationToken).ConfigureAwait(false);
        var operation = await AwaitBulkOperationAsync(source, id, cancellationToken).ConfigureAwait(false);
        _log.LogDebug("{System}: bulk operation {Operation} of {Stream} completed with {Objects} object(s)", System, id, source.Name, operation.ObjectCount);
        // Shopify gives no file when the query found nothing.
        if (operation.Url is not { } url) yield break;
        await foreach (var records in DownloadBulkResultAsync(source, id, files, url, cancellationToken).ConfigureAwait(false))
        {
            yield return new RecordPage(records, Checkpoint: null);
        }
    }

    private async Task<string> RunBulkQueryAsync(ShopifyStream source, CancellationToken cancellationToken)
    {
        // Grouped output keeps an order's line items right after the order, so the file can be read in one pass.
        // A stream without nested connections has nothing to group, and grouping costs Shopify time.
        var variables = new JObject { ["query"] = source.BulkQuery, ["groupObjects"] = source.Nested is not null };
        var data = await QueryAsync(RunBulkQueryMutation, variables, cancellationToken).ConfigureAwait(false);
        var payload = (data["bulkOperationRunQuery"] as JObject)?.ToObject<ShopifyBulkOperationRunQueryPayload>()
            ?? throw Unexpected("the answer has no bulkOperationRunQuery payload.");
        if (payload.UserErrors is [var first, ..])
        {
            var messages = string.Join("; ", payload.UserErrors.Select(e => e.Message));
            throw first.Code switch
            {
                ShopifyBulkUserError.OperationInProgress or "LIMIT_REACHED" => new ConnectorException(System, ConnectorErrorCode.Throttled,
                    $"Shopify refused a bulk query of {source.Name}: {messages} Shopify runs a limited number of bulk queries per app and shop; "
                    + "run again once the other one has finished.", first.Code),
                _ => new ConnectorException(System, ConnectorErrorCode.InvalidRequest, $"Shopify refused the bulk query of {source.Name}: {messages}", first.Code),
            };
        }
        return payload.BulkOperation?.Id is { Length: > 0 } id ? id : throw Unexpected("bulkOperationRunQuery returned neither an operation nor errors.");
    }

    private async Task<ShopifyBulkOperation> AwaitBulkOperationAsync(ShopifyStream source, string id, CancellationToken cancellationToken)
    {
        var deadline = _clock.GetUtcNow() + _options.BulkOperationTimeout;
        while (true)
        {
            var data = await QueryAsync(BulkOperationStatusQuery, new JObject { ["id"] = id }, cancellationToken).ConfigureAwait(false);
            var operation = (data["node"] as JObject)?.ToObject<ShopifyBulkOperation>()
                ?? throw Unexpected($"bulk operation {id} of {source.Name} is unknown to the shop.");
            switch (operation.Status)
            {
                case ShopifyBulkOperation.Completed:
                    return operation;
                case ShopifyBulkOperation.Failed:
                    throw BulkOperationFailed(source, operation);
                case "CANCELING" or "CANCELED" or "EXPIRED":
                    throw new ConnectorException(System, ConnectorErrorCode.Unavailable,
                        $"Bulk operation {id} of {source.Name} is {operation.Status} at Shopify; its result cannot be read.", operation.Status);
            }
            if (_clock.GetUtcNow() + _options.BulkPollInterval > deadline)
            {
                throw new ConnectorException(System, ConnectorErrorCode.Unavailable,
                    $"Bulk operation {id} of {source.Name} did not finish within {_options.BulkOperationTimeout} ({operation.ObjectCount} object(s) so far).");
            }
            await Task.Delay(_options.BulkPollInterval, _clock, cancellationToken).ConfigureAwait(false);
        }
    }

    private ConnectorException BulkOperationFailed(ShopifyStream source, ShopifyBulkOperation operation)
    {
        var (kind, why) = operation.ErrorCode switch
        {
            "ACCESS_DENIED" => (ConnectorErrorCode.AuthenticationFailed,
                "the app lacks an access scope the query needs (read the same stream with a normal query to see which)"),
            "TIMEOUT" => (ConnectorErrorCode.Unavailable, "the query timed out at Shopify"),
            _ => (ConnectorErrorCode.Unavailable, "Shopify had an internal error; the same query may succeed if run again"),
        };
        // Partial data is not handed on: a reconciliation needs the whole stream or nothing.
        return new ConnectorException(System, kind,
            $"Bulk operation {operation.Id} of {source.Name} failed at Shopify ({operation.ErrorCode ?? "no error code"}): {why}; "
            + $"{operation.ObjectCount} object(s) were read before it stopped{(operation.PartialDataUrl is null ? "" : ", and its partial data is not used")}.",
            operation.ErrorCode);
    }

    private async IAsyncEnumerable<List<Record>> DownloadBulkResultAsync(ShopifyStream source, string id, HttpClient files, string url,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var response = await DownloadAsync(files, url, id, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            // The signed URL is a credential for seven days: it goes in no message.
            throw new ConnectorException(System, ConnectorErrorCode.Unavailable,
                $"The result file of bulk operation {id} of {source.Name} could not be downloaded (HTTP {(int)response.StatusCode}).");
        }
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var text = new StreamReader(body, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16);
        // One reader over the whole file, not one per line: a million lines would otherwise cost a million line strings
        // and reader buffers. Dates stay the strings Shopify sent, as in the paged reads' answers.
        using var json = new JsonTextReader(text) { SupportMultipleContent = true, DateParseHandling = DateParseHandling.None };
        var records = new List<Record>(BulkReadChunk);
        // A record is complete when the next root line starts (or the file ends): its nested items come in between.
        JObject? pending = null;
        JArray? items = null;
        while (await ReadLineAsync(json, id, cancellationToken).ConfigureAwait(false) is { } node)
        {
            if (node.Property(ParentIdField) is { } parent)
            {
                if (items is null || pending is null || (string?)parent.Value != pending.Value<string>("id"))
                {
                    throw Unexpected($"line {json.LineNumber} of bulk operation {id} belongs to {(string?)parent.Value}, which is not the node before it.");
                }
                parent.Remove();
                items.Add(node);
                continue;
            }
            if (pending is not null)
            {
                records.Add(ToRecord(source, pending));
                if (records.Count == BulkReadChunk)
                {
                    yield return records;
                    records = new List<Record>(BulkReadChunk);
                }
            }
            pending = node;
            if (source.Nested is { } nested)
            {
                items = [];
                node[nested.Field] = new JObject { ["nodes"] = items, ["pageInfo"] = new JObject { ["hasNextPage"] = false, ["endCursor"] = null } };
            }
        }
        if (pending is not null) records.Add(ToRecord(source, pending));
        if (records.Count > 0) yield return records;
    }

    private async Task<HttpResponseMessage> DownloadAsync(HttpClient files, string url, string id, CancellationToken cancellationToken)
    {
        try
        {
            return await files.GetAsync(new Uri(url, UriKind.Absolute), HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested
            && e is HttpRequestException or ExecutionRejectedException or OperationCanceledException or UriFormatException)
        {
            // HttpClient's exceptions can carry the request URI, which is signed: only the type goes out.
            throw new ConnectorException(System, ConnectorErrorCode.Unavailable,
                $"The result file of bulk operation {id} could not be downloaded ({e.GetType().Name}).");
        }
    }

    // Line positions are not kept on the nodes: the records never point back into the file.
    private static readonly JsonLoadSettings BulkLineSettings = new() { LineInfoHandling = LineInfoHandling.Ignore };

    /// <summary>The next line's object, or <see langword="null"/> at the end of the file.</summary>
    private async Task<JObject?> ReadLineAsync(JsonTextReader json, string id, CancellationToken cancellationToken)
    {
        try
        {
            if (!await json.ReadAsync(cancellationToken).ConfigureAwait(false)) return null;
            if (json.TokenType == JsonToken.StartObject) return await JObject.LoadAsync(json, BulkLineSettings, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonReaderException)
        {
        }
        throw Unexpected($"line {json.LineNumber} of bulk operation {id} is not a JSON object.");
    }
}
