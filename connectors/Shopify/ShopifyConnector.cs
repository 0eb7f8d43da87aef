using Connectors.Core.Http;
using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using Connectors.Core.Connectors;
using Connectors.Core.Records;
using Connectors.Core.Schema;
using Connectors.Core.Sync;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Polly;
using Refit;

namespace Connectors.Shopify;

/// <summary>
/// Reads a Shopify store through the GraphQL Admin API: records changed since a watermark, oldest change
/// first, a page at a time, records by id, and whole streams through bulk operations (ShopifyConnector.Bulk.cs).
/// Paces itself by the cost bucket Shopify reports on every answer and waits out THROTTLED answers on the
/// injected clock; 429 and 5xx are the resilience pipeline's to retry.
/// </summary>
public sealed partial class ShopifyConnector : ISourceConnector, IDescribeStreams, IApiLimits
{
    /// <summary>The most nodes a Shopify connection returns per page.</summary>
    public const int MaxPageSize = 250;

    /// <summary>The most items Shopify accepts in one array argument (the ids of <c>nodes(ids:)</c>).</summary>
    public const int MaxIdsPerRequest = 250;

    /// <summary>The highest requested cost Shopify accepts for a single query.</summary>
    public const int MaxQueryCost = 1000;

    private static readonly JsonSerializerSettings EnvelopeSettings = new() { DateParseHandling = DateParseHandling.None };

    private readonly ShopifyOptions _options;
    private readonly IShopifyAdminApi _api;
    private readonly TimeProvider _clock;
    private readonly ILogger<ShopifyConnector> _log;
    private readonly ShopifyCostBudget _budget;
    private readonly HttpClient? _resultFiles;

    /// <summary>Creates the connector for one configured system. Prefer <see cref="ShopifyServiceCollectionExtensions.AddShopifyConnector"/>.</summary>
    /// <param name="system">The system's name in the config, for example <c>shop</c>; record streams are <c>system.stream</c>.</param>
    /// <param name="options">The store's options, already validated.</param>
    /// <param name="api">The typed client, with auth, resilience and metering handlers.</param>
    /// <param name="clock">The clock waits are measured on.</param>
    /// <param name="log">Where throttling is reported (never the token).</param>
    /// <param name="resultFiles">
    /// The client bulk operation results are downloaded with: resilience and metering, but no access token, because
    /// the file is on Shopify's storage host behind a signed URL. Without it, <see cref="ReadAllInBulkAsync"/> fails.
    /// </param>
    public ShopifyConnector(string system, ShopifyOptions options, IShopifyAdminApi api, TimeProvider clock, ILogger<ShopifyConnector> log,
        HttpClient? resultFiles = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(system);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(log);
        System = system;
        _options = options;
        _api = api;
        _clock = clock;
        _log = log;
        _budget = new ShopifyCostBudget(clock);
        _resultFiles = resultFiles;
    }

    /// <summary>The system's name in the config.</summary>
    public string System { get; }

    /// <summary>The streams this connector reads.</summary>
    public static IReadOnlyCollection<string> Streams => [.. ShopifyStream.All.Keys];

    /// <inheritdoc />
    public IReadOnlyList<StreamSchema> BuiltInStreams => ShopifySchemas.BuiltIn;

    /// <inheritdoc />
    /// <remarks>False: a record holds exactly the connector's GraphQL selection, which the built-in schema describes.</remarks>
    public bool DescribesLive => false;

    /// <inheritdoc />
    public Task<StreamSchema?> DescribeLiveAsync(string stream, CancellationToken cancellationToken) =>
        Task.FromResult(ShopifySchemas.BuiltIn.FirstOrDefault(s => s.Name == stream));

    /// <inheritdoc />
    /// <remarks>
    /// Asks for <c>updated_at:&gt;='…'</c> sorted by <c>UPDATED_AT</c> (ties by id), so records at exactly the
    /// watermark's second are read again: Shopify stamps whole seconds and several records share one.
    /// Each page's checkpoint is its last record's <c>updatedAt</c>.
    /// </remarks>
    public async IAsyncEnumerable<RecordPage> ReadChangedAsync(string stream, Watermark since,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(since);
        var source = StreamNamed(stream);
        var variables = new JObject
        {
            ["first"] = source.PageSizeFor(_options.PageSize),
            ["after"] = null,
            ["query"] = since.Modified is { } modified ? ChangedSinceFilter(modified) : null,
        };
        while (true)
        {
            var data = await QueryAsync(source.ChangedQuery, variables, cancellationToken).ConfigureAwait(false);
            var connection = data[source.RootField] is JObject page
                ? page.ToObject<ShopifyConnection>() ?? throw Unexpected($"'{source.RootField}' is not a connection.")
                : throw Unexpected($"the answer has no '{source.RootField}' connection.");
            var nodes = connection.Nodes.OfType<JObject>().ToList();
            await CompleteNestedAsync(source, nodes, cancellationToken).ConfigureAwait(false);
            var records = nodes.Select(node => ToRecord(source, node)).ToList();
            if (records.Count > 0)
            {
                yield return new RecordPage(records, new Watermark(records[^1].Modified));
            }
            if (!connection.PageInfo.HasNextPage) yield break;
            variables["after"] = connection.PageInfo.EndCursor ?? throw Unexpected("hasNextPage is true but endCursor is missing.");
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Ids are the numeric ids the records are keyed by (GIDs are accepted too); at most <see cref="MaxIdsPerRequest"/> go
    /// in one call, fewer when a node is expensive (orders: 19), so that the call stays within the single-query cost limit.
    /// </remarks>
    public async Task<IReadOnlyList<Record>> ReadByIdsAsync(string stream, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var source = StreamNamed(stream);
        // An id that is not a valid id of this type cannot exist at Shopify, and one bad GID would fail the whole call.
        var gids = ids.Select(source.GidOf).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var records = new List<Record>(gids.Count);
        foreach (var chunk in gids.Chunk(source.IdsPerRequest))
        {
            var data = await QueryAsync(source.ByIdsQuery, new JObject { ["ids"] = new JArray(chunk) }, cancellationToken).ConfigureAwait(false);
            var list = data["nodes"] as JArray ?? throw Unexpected("the answer has no 'nodes' list.");
            // Unknown ids come back as null, ids of another type as an empty object.
            var nodes = list.OfType<JObject>().Where(node => node.ContainsKey("id")).ToList();
            await CompleteNestedAsync(source, nodes, cancellationToken).ConfigureAwait(false);
            records.AddRange(nodes.Select(node => ToRecord(source, node)));
        }
        return records;
    }

    /// <summary>
    /// Reads the rest of each node's nested connection (an order's line items beyond the first
    /// <see cref="ShopifyStream.LineItemsPerOrder"/>) and appends it, so that a record always holds all of them and
    /// its <c>pageInfo.hasNextPage</c> is false. One query per further page of one node.
    /// </summary>
    private async Task CompleteNestedAsync(ShopifyStream source, IReadOnlyList<JObject> nodes, CancellationToken cancellationToken)
    {
        if (source.Nested is not { } nested) return;
        foreach (var node in nodes)
        {
            if (node[nested.Field] is not JObject connection || connection["nodes"] is not JArray items) continue;
            while (connection["pageInfo"]?["hasNextPage"]?.Value<bool>() == true)
            {
                var variables = new JObject
                {
                    ["id"] = node["id"],
                    ["first"] = nested.RestPageSize,
                    ["after"] = connection["pageInfo"]?["endCursor"] ?? throw Unexpected($"{nested.Field}: hasNextPage is true but endCursor is missing."),
                };
                var data = await QueryAsync(source.RestQuery!, variables, cancellationToken).ConfigureAwait(false);
                var more = data["node"]?[nested.Field] as JObject
                    ?? throw Unexpected($"the rest of {nested.Field} of {node.Value<string>("id")} did not come back.");
                foreach (var item in (more["nodes"] as JArray ?? [])) items.Add(item.DeepClone());
                connection["pageInfo"] = more["pageInfo"]?.DeepClone() ?? throw Unexpected($"{nested.Field} came back without pageInfo.");
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Shopify meters by query cost, not by credits, so every call costs 0 credits here. One bulk operation reads a
    /// whole stream, however large: its three calls (run, status, download) are one job.
    /// </remarks>
    public int RecordsPerCall(ApiOperation operation, string stream) => operation switch
    {
        ApiOperation.List => StreamNamed(stream).PageSizeFor(_options.PageSize),
        ApiOperation.ReadByIds => StreamNamed(stream).IdsPerRequest,
        ApiOperation.BulkReadJob => int.MaxValue,
        _ => 1,
    };

    /// <inheritdoc />
    public int CreditsPerCall(ApiOperation operation, int records) => 0;

    /// <summary>The search filter for records changed at or after <paramref name="since"/>, whole seconds, UTC, quoted as Shopify requires for dates.</summary>
    internal static string ChangedSinceFilter(DateTimeOffset since)
    {
        // Truncating to the second can only widen the window; the overlap is dropped downstream by fingerprint.
        var utc = since.ToUniversalTime();
        var second = new DateTimeOffset(utc.Ticks - utc.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
        return $"updated_at:>='{second.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}'";
    }

    private Record ToRecord(ShopifyStream source, JObject node)
    {
        var gid = node.Value<string>("id") ?? throw Unexpected($"a {source.GidType} has no id.");
        var id = ShopifyStream.NumericIdOf(gid) ?? throw Unexpected($"'{gid}' is not a {source.GidType} GID.");
        var updatedAt = node.Value<string>("updatedAt");
        if (!DateTimeOffset.TryParse(updatedAt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var modified))
        {
            throw Unexpected($"{source.GidType} {id} has no valid updatedAt.");
        }
        return new Record(new RecordKey($"{System}.{source.Name}", id), modified, node);
    }

    private ShopifyStream StreamNamed(string stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return ShopifyStream.All.TryGetValue(stream, out var source)
            ? source
            : throw new ConnectorException(System, ConnectorErrorCode.InvalidRequest,
                $"Stream '{stream}' is not one this connector reads ({string.Join(", ", ShopifyStream.All.Keys)}).");
    }

    /// <summary>Runs a query: paces by the bucket, waits out THROTTLED answers, and turns errors into <see cref="ConnectorException"/>.</summary>
    private async Task<JObject> QueryAsync(string query, JObject variables, CancellationToken cancellationToken)
    {
        var request = new ShopifyGraphQLRequest { Query = query, Variables = variables };
        for (var throttled = 0; ; throttled++)
        {
            var pace = _budget.WaitFor(_budget.ExpectedCost(query));
            if (pace > TimeSpan.Zero)
            {
                _log.LogDebug("{System}: pacing {Wait} for the cost bucket to refill", System, pace);
                await Task.Delay(pace, _clock, cancellationToken).ConfigureAwait(false);
            }

            var answer = await SendAsync(request, cancellationToken).ConfigureAwait(false);
            var cost = answer.Extensions?.Cost;
            _budget.Observe(query, cost);
            if (answer.Errors?.Any(e => e.IsThrottled) == true)
            {
                var wait = ShopifyCostBudget.WaitAfterThrottled(cost);
                if (throttled >= _options.MaxThrottleRetries || wait > _options.MaxThrottleWait)
                {
                    throw new ConnectorException(System, ConnectorErrorCode.Throttled,
                        $"Shopify throttled the query {throttled + 1} time(s) in a row; the bucket needs {wait} more.",
                        ShopifyGraphQLError.ThrottledCode, wait);
                }
                _log.LogInformation("{System}: throttled (requested {Requested}, available {Available}, restore {Rate}/s); waiting {Wait}",
                    System, cost?.RequestedQueryCost, cost?.ThrottleStatus?.CurrentlyAvailable, cost?.ThrottleStatus?.RestoreRate, wait);
                await Task.Delay(wait, _clock, cancellationToken).ConfigureAwait(false);
                continue;
            }
            if (answer.Errors is { Count: > 0 } errors) throw Rejected(errors);
            return answer.Data ?? throw Unexpected("the answer has neither data nor errors.");
        }
    }

    private async Task<ShopifyGraphQLResponse> SendAsync(ShopifyGraphQLRequest request, CancellationToken cancellationToken)
    {
        IApiResponse<ShopifyGraphQLResponse> response;
        try
        {
            response = await _api.QueryAsync(_options.ApiVersion, request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested
            && e is HttpRequestException or ExecutionRejectedException or ApiRequestException or OperationCanceledException)
        {
            // Refit and HttpClient exceptions carry the request, token header included: only the type goes out.
            throw new ConnectorException(System, ConnectorErrorCode.Unavailable, $"Shopify could not be reached ({e.GetType().Name}).");
        }
        using (response)
        {
            if (response.HasRequestError(out var requestError))
            {
                throw new ConnectorException(System, ConnectorErrorCode.Unavailable,
                    $"Shopify could not be reached ({requestError.InnerException?.GetType().Name ?? requestError.GetType().Name}).");
            }
            if (response.StatusCode is not { } status)
            {
                throw new ConnectorException(System, ConnectorErrorCode.Unavailable, "Shopify sent no response.");
            }
            var errorBody = response.HasResponseError(out var responseError) ? responseError.Content : null;
            if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                throw new ConnectorException(System, ConnectorErrorCode.AuthenticationFailed,
                    $"Shopify refused the access token (HTTP {(int)status}); the app must be re-authorised or its scopes granted.");
            }
            if (response.IsSuccessStatusCode)
            {
                return response.Content ?? throw Unexpected($"HTTP {(int)status} with a body that is not a GraphQL answer.");
            }
            if (status == HttpStatusCode.TooManyRequests)
            {
                // A 429 the pipeline gave up on. If its body says THROTTLED, the cost bucket logic waits it out.
                if (ParseEnvelope(errorBody) is { } throttledBody
                    && throttledBody.Errors?.Any(e => e.IsThrottled) == true)
                {
                    return throttledBody;
                }
                throw new ConnectorException(System, ConnectorErrorCode.Throttled, "Shopify answered HTTP 429 after all retries.",
                    "429", RetryAfterHeader.Of(response.Headers));
            }
            if ((int)status >= 500)
            {
                throw new ConnectorException(System, ConnectorErrorCode.Unavailable, $"Shopify kept failing (HTTP {(int)status}).");
            }
            throw new ConnectorException(System, ConnectorErrorCode.InvalidRequest,
                $"Shopify refused the request (HTTP {(int)status}): {Shorten(errorBody)}");
        }
    }

    private static ShopifyGraphQLResponse? ParseEnvelope(string? body)
    {
        if (string.IsNullOrWhiteSpace(body)) return null;
        try
        {
            return JsonConvert.DeserializeObject<ShopifyGraphQLResponse>(body, EnvelopeSettings);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private ConnectorException Rejected(IReadOnlyList<ShopifyGraphQLError> errors)
    {
        var code = errors.Select(e => e.Extensions?.Code).FirstOrDefault(c => c is not null);
        var kind = code switch
        {
            "ACCESS_DENIED" => ConnectorErrorCode.AuthenticationFailed,
            "INTERNAL_SERVER_ERROR" => ConnectorErrorCode.Unavailable,
            _ => ConnectorErrorCode.InvalidRequest,
        };
        return new ConnectorException(System, kind, $"Shopify rejected the query: {Shorten(string.Join("; ", errors.Select(e => e.Message)))}", code);
    }

    private ConnectorException Unexpected(string what) =>
        new(System, ConnectorErrorCode.UnexpectedResponse, $"Shopify answered something unexpected: {what}");

    private static string Shorten(string? text)
    {
        const int Limit = 500;
        if (string.IsNullOrEmpty(text)) return "(no details)";
        return text.Length <= Limit ? text : string.Concat(text.AsSpan(0, Limit), "…");
    }
}
