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

namespace Connectors.WooCommerce;

/// <summary>
/// Reads a WooCommerce store's customers and orders through the REST API v3: records changed since a watermark, a
/// page at a time, and records by id. Records are keyed by the resource's numeric <c>id</c>, stamped with
/// <c>date_modified_gmt</c> (<c>date_created_gmt</c> for a customer WooCommerce never stamped), and carry the
/// resource exactly as WooCommerce returns it. 429 and 5xx are the resilience pipeline's to retry.
/// </summary>
public sealed class WooCommerceConnector : ISourceConnector, IDescribeStreams, IApiLimits
{
    /// <summary>The most resources WordPress returns per page (<c>per_page</c> is 1 to 100).</summary>
    public const int MaxPageSize = 100;

    /// <summary>The stream of the store's customers (WordPress users with the <c>customer</c> role).</summary>
    public const string CustomersStream = "customers";

    /// <summary>The stream of the store's orders (every status but trash).</summary>
    public const string OrdersStream = "orders";

    /// <summary>The header with the number of resources the query matches.</summary>
    public const string TotalHeader = "X-WP-Total";

    /// <summary>The header with the number of pages of this size the query fills.</summary>
    public const string TotalPagesHeader = "X-WP-TotalPages";

    /// <summary>
    /// How far before the store's clock at the first page of a read the checkpoint is held, at most. Pages are in id
    /// order, so a resource changed while the read goes on may be on a page already read; everything changed since
    /// shortly before the read began is read again next time (and dropped by fingerprint if unchanged). The minute
    /// covers a slow first query.
    /// </summary>
    public static readonly TimeSpan CheckpointLag = TimeSpan.FromMinutes(1);

    private static readonly JsonSerializerSettings EnvelopeSettings = new() { DateParseHandling = DateParseHandling.None };

    private readonly WooCommerceOptions _options;
    private readonly IWooCommerceApi _api;
    private readonly TimeProvider _clock;
    private readonly ILogger<WooCommerceConnector> _log;

    /// <summary>Creates the connector for one configured system. Prefer <see cref="WooCommerceServiceCollectionExtensions.AddWooCommerceConnector"/>.</summary>
    /// <param name="system">The system's name in the config, for example <c>shop</c>; records are keyed <c>{system}.{stream}</c>.</param>
    /// <param name="options">The store's options, already validated.</param>
    /// <param name="api">The typed client, with auth, resilience and metering handlers.</param>
    /// <param name="clock">The clock that stands in for the store's when an answer has no <c>Date</c> header.</param>
    /// <param name="log">Where reads are reported (never the key or secret).</param>
    public WooCommerceConnector(string system, WooCommerceOptions options, IWooCommerceApi api, TimeProvider clock, ILogger<WooCommerceConnector> log)
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
    }

    /// <summary>The system's name in the config.</summary>
    public string System { get; }

    /// <summary>The streams this connector reads.</summary>
    public static IReadOnlyCollection<string> Streams => [.. WooCommerceStream.All.Keys];

    /// <inheritdoc />
    public IReadOnlyList<StreamSchema> BuiltInStreams => WooCommerceSchemas.BuiltIn;

    /// <inheritdoc />
    /// <remarks>False: WooCommerce's REST schema is fixed by its version; the built-in schema describes v3.</remarks>
    public bool DescribesLive => false;

    /// <inheritdoc />
    public Task<StreamSchema?> DescribeLiveAsync(string stream, CancellationToken cancellationToken) =>
        Task.FromResult(WooCommerceSchemas.BuiltIn.FirstOrDefault(s => s.Name == stream));

    /// <inheritdoc />
    /// <remarks>
    /// Pages are asked for in id order (<c>orderby=id&amp;order=asc</c>), <see cref="WooCommerceOptions.PageSize"/> at
    /// a time, until <see cref="TotalPagesHeader"/> says the last was read. Orders are filtered by the store:
    /// <c>modified_after</c> one second before the watermark's second (the filter is exclusive and the stamps are
    /// whole seconds, so the watermark's own second is read again) with <c>dates_are_gmt=true</c>. The customers
    /// endpoint has no date filter, so every customer is read and those modified before the watermark's second are
    /// dropped here. Id order, not <c>orderby=modified</c>: with page numbers, a resource modified while the read goes
    /// on would move to the end and push another one back onto a page already read, which would then never be read;
    /// in id order nothing moves. So the pages carry no checkpoint; a last, empty page carries it: the latest stamp
    /// read, held back to <see cref="CheckpointLag"/> before the store's clock (the <c>Date</c> header) at the first
    /// page.
    /// </remarks>
    public async IAsyncEnumerable<RecordPage> ReadChangedAsync(string stream, Watermark since, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(since);
        var source = StreamNamed(stream);
        var from = since.Modified is { } modified ? WholeSecond(modified) : (DateTimeOffset?)null;
        var query = new WooCommerceListQuery { PerPage = _options.PageSize, OrderBy = "id", Order = "asc" };
        if (source.FiltersByModified && from is { } after)
        {
            query.ModifiedAfter = ModifiedAfterFilter(after);
            query.DatesAreGmt = "true";
        }
        DateTimeOffset? latest = null;
        DateTimeOffset? hold = null;
        for (var page = 1; ; page++)
        {
            query.Page = page;
            var answer = await ListAsync(source.Name, query, cancellationToken).ConfigureAwait(false);
            hold ??= (answer.StoreTime ?? _clock.GetUtcNow()) - CheckpointLag;
            var records = answer.Items.Select(item => ToRecord(source, item)).Where(r => from is null || r.Modified >= from).ToList();
            _log.LogDebug("{System}: page {Page} of {Stream}: {Read} read, {Changed} changed", System, page, source.Name, answer.Items.Count, records.Count);
            if (records.Count > 0)
            {
                var newest = records.Max(r => r.Modified);
                latest = latest is { } seen && seen > newest ? seen : newest;
                yield return new RecordPage(records, Checkpoint: null);
            }
            var more = answer.TotalPages is { } total ? page < total : answer.Items.Count == query.PerPage;
            if (!more || answer.Items.Count == 0) break;
        }
        if (latest is { } last)
        {
            var checkpoint = last < hold!.Value ? last : hold.Value;
            yield return new RecordPage([], new Watermark(checkpoint).Max(since));
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// <c>include=…</c> with up to <see cref="MaxPageSize"/> ids a call; ids that are not positive whole numbers cannot
    /// exist at WooCommerce and are left out without a call, unknown ones (and, for customers, users without the
    /// customer role, and trashed orders) are left out by WooCommerce.
    /// </remarks>
    public async Task<IReadOnlyList<Record>> ReadByIdsAsync(string stream, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var source = StreamNamed(stream);
        var numeric = ids.Where(id => long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var records = new List<Record>(numeric.Count);
        foreach (var chunk in numeric.Chunk(MaxPageSize))
        {
            var answer = await ListAsync(source.Name, new WooCommerceListQuery { Page = 1, PerPage = chunk.Length, Include = string.Join(',', chunk) },
                cancellationToken).ConfigureAwait(false);
            records.AddRange(answer.Items.Select(item => ToRecord(source, item)));
        }
        return records;
    }

    /// <inheritdoc />
    /// <remarks>WooCommerce keeps no credit count, so every call costs 0 credits here.</remarks>
    public int RecordsPerCall(ApiOperation operation, string stream)
    {
        _ = StreamNamed(stream);
        return operation switch
        {
            ApiOperation.List => _options.PageSize,
            ApiOperation.ReadByIds => MaxPageSize,
            _ => 1,
        };
    }

    /// <inheritdoc />
    public int CreditsPerCall(ApiOperation operation, int records) => 0;

    /// <summary>
    /// The <c>modified_after</c> value for resources modified at or after <paramref name="second"/>: one second earlier,
    /// since WordPress's date query is exclusive, UTC without a zone designator (WordPress would convert a zoned value
    /// to the site's time zone before comparing it with the GMT column).
    /// </summary>
    internal static string ModifiedAfterFilter(DateTimeOffset second) =>
        second.AddSeconds(-1).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>A WooCommerce GMT stamp (<c>2026-11-23T09:15:30</c>, no zone designator) as an instant.</summary>
    internal static DateTimeOffset? ParseGmt(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : null;

    private static DateTimeOffset WholeSecond(DateTimeOffset value)
    {
        // Truncating to the second can only widen the window; the overlap is dropped downstream by fingerprint.
        var utc = value.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - utc.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
    }

    private Record ToRecord(WooCommerceStream source, JObject item)
    {
        var id = item["id"] is JValue { Type: JTokenType.Integer } value
            ? Convert.ToString(value.Value, CultureInfo.InvariantCulture)!
            : throw Unexpected($"a resource of {source.Name} came without a numeric id.");
        // A customer whose last_update user meta WooCommerce never wrote has no date_modified: its creation is its last change.
        var modified = ParseGmt(item.Value<string>("date_modified_gmt")) ?? ParseGmt(item.Value<string>("date_created_gmt"))
            ?? throw Unexpected($"{source.Name} {id} has neither date_modified_gmt nor date_created_gmt.");
        return new Record(new RecordKey($"{System}.{source.Name}", id), modified, item);
    }

    private WooCommerceStream StreamNamed(string stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return WooCommerceStream.All.TryGetValue(stream, out var source)
            ? source
            : throw new ConnectorException(System, ConnectorErrorCode.InvalidRequest,
                $"Stream '{stream}' is not one this connector reads ({string.Join(", ", WooCommerceStream.All.Keys)}).");
    }

    private async Task<ListAnswer> ListAsync(string collection, WooCommerceListQuery query, CancellationToken cancellationToken)
    {
        IApiResponse<List<JObject>> response;
        try
        {
            response = await _api.ListAsync(collection, query, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested
            && e is HttpRequestException or ExecutionRejectedException or ApiRequestException or OperationCanceledException)
        {
            // Refit and HttpClient exceptions carry the request, Authorization header included: only the type goes out.
            throw new ConnectorException(System, ConnectorErrorCode.Unavailable, $"WooCommerce could not be reached ({e.GetType().Name}).");
        }
        using (response)
        {
            if (response.HasRequestError(out var requestError))
            {
                throw new ConnectorException(System, ConnectorErrorCode.Unavailable,
                    $"WooCommerce could not be reached ({requestError.InnerException?.GetType().Name ?? requestError.GetType().Name}).");
            }
            if (response.StatusCode is not { } status)
            {
                throw new ConnectorException(System, ConnectorErrorCode.Unavailable, "WooCommerce sent no response.");
            }
            if (response.IsSuccessStatusCode)
            {
                // A store with "Plain" permalinks or a caching page in front answers HTML with 200; that is not a list.
                if (response.HasResponseError(out _) || response.Content is not { } items)
                {
                    throw Unexpected($"HTTP {(int)status} with a body that is not a JSON list of {collection}.");
                }
                return new ListAnswer(items, HeaderNumber(response, TotalPagesHeader), response.Headers?.Date);
            }
            var error = ErrorOf(response.HasResponseError(out var responseError) ? responseError.Content : null);
            var detail = error?.Code is { } code ? $"{code}: {Shorten(error.Message)}" : $"HTTP {(int)status}";
            throw status switch
            {
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new ConnectorException(System, ConnectorErrorCode.AuthenticationFailed,
                    $"WooCommerce refused the REST API key (HTTP {(int)status}, {error?.Code ?? "no code"}); it needs Read access, over HTTPS.", error?.Code),
                HttpStatusCode.TooManyRequests => new ConnectorException(System, ConnectorErrorCode.Throttled,
                    "WooCommerce (or a proxy in front of it) answered HTTP 429 after all retries.", error?.Code ?? "429", RetryAfterHeader.Of(response.Headers)),
                >= HttpStatusCode.InternalServerError => new ConnectorException(System, ConnectorErrorCode.Unavailable,
                    $"WooCommerce kept failing ({detail}).", error?.Code),
                _ => new ConnectorException(System, ConnectorErrorCode.InvalidRequest,
                    $"WooCommerce refused the request for {collection} ({detail}).", error?.Code),
            };
        }
    }

    private static int? HeaderNumber(IApiResponse response, string name) =>
        response.Headers?.TryGetValues(name, out var values) == true
        && int.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : null;

    private static WooCommerceError? ErrorOf(string? body)
    {
        if (string.IsNullOrWhiteSpace(body)) return null;
        try
        {
            return JsonConvert.DeserializeObject<WooCommerceError>(body, EnvelopeSettings);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private ConnectorException Unexpected(string what) =>
        new(System, ConnectorErrorCode.UnexpectedResponse, $"WooCommerce answered something unexpected: {what}");

    private static string Shorten(string? text)
    {
        const int Limit = 300;
        if (string.IsNullOrEmpty(text)) return "(no details)";
        return text.Length <= Limit ? text : string.Concat(text.AsSpan(0, Limit), "…");
    }

    /// <summary>One page: its resources, the pages the query fills, and the store's clock when it answered.</summary>
    private sealed record ListAnswer(List<JObject> Items, int? TotalPages, DateTimeOffset? StoreTime);
}
