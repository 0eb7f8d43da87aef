using Connectors.Core.Http;
using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Text.RegularExpressions;
using Connectors.Core.Connectors;
using Connectors.Core.Records;
using Connectors.Core.Schema;
using Connectors.Core.Sync;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Newtonsoft.Json.Linq;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;
using Refit;

namespace Connectors.Zoho;

/// <summary>
/// Reads and writes the records of one Zoho CRM system. A stream is a module's API name
/// (<c>Contacts</c>, <c>Leads</c>, a custom module's <c>api_name</c>); records are keyed
/// <c>{system}.{module}</c> and carry Zoho's own fields, <c>id</c> and <c>Modified_Time</c> included.
/// Get one from the container with <see cref="ZohoServiceCollectionExtensions.GetZohoConnector"/>.
/// </summary>
public sealed partial class ZohoConnector : ISourceConnector, ITargetConnector, IDescribeStreams, IRecordLookup
{
    /// <summary>Zoho takes at most this many records in one insert, update or upsert call.</summary>
    public const int MaxRecordsPerWrite = 100;

    /// <summary>Zoho returns at most this many records a page.</summary>
    public const int MaxPageSize = 200;

    /// <summary>
    /// Pages reachable by number at <see cref="MaxPageSize"/> records a page (records 1 to 2,000); past
    /// them only <c>page_token</c> works (Zoho answers <c>DISCRETE_PAGINATION_LIMIT_EXCEEDED</c>).
    /// </summary>
    public const int MaxDiscretePages = 10;

    /// <summary>Ids asked for in one read-by-ids call.</summary>
    public const int MaxIdsPerRead = 100;

    /// <summary>The system field incremental reads sort and filter on.</summary>
    public const string ModifiedTimeField = "Modified_Time";

    /// <summary>COQL takes at most this many values in one <c>in (…)</c>.</summary>
    public const int MaxValuesPerQuery = 50;

    /// <summary>COQL returns at most this many rows a call.</summary>
    public const int MaxRowsPerQuery = 2000;

    /// <summary>How long a record Zoho could not take now (<c>TOO_MANY_REQUESTS</c>, <c>INTERNAL_ERROR</c>) is deferred.</summary>
    public static readonly TimeSpan PerRecordRetryAfter = TimeSpan.FromMinutes(1);

    // Per-record codes that say "not now" rather than "never": the record is deferred, not dead-lettered.
    private static readonly HashSet<string> RetryableRecordCodes = new(StringComparer.Ordinal)
    {
        "TOO_MANY_REQUESTS", "INTERNAL_ERROR", "INTERNAL_SERVER_ERROR", "SERVICE_UNAVAILABLE",
    };

    private readonly IZohoCrmApi _api;
    private readonly ZohoOptions _options;
    private readonly ILogger _log;
    private readonly IZohoUploadApi? _upload;
    private readonly TimeProvider _clock;

    /// <summary>Creates the connector of <paramref name="system"/> over a client built by <see cref="ZohoServiceCollectionExtensions.AddZohoSystem"/>.</summary>
    /// <param name="system">The system's name in the config; records are keyed <c>{system}.{module}</c>.</param>
    /// <param name="api">The system's CRM client (resilience, concurrency limit, auth and metering included).</param>
    /// <param name="options">The system's options.</param>
    /// <param name="log">Where to log, if anywhere.</param>
    /// <param name="upload">The system's upload client, for bulk writes; without it bulk writes fail.</param>
    /// <param name="clock">The clock bulk jobs are polled on; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    public ZohoConnector(string system, IZohoCrmApi api, ZohoOptions options, ILogger<ZohoConnector>? log = null, IZohoUploadApi? upload = null,
        TimeProvider? clock = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(system);
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(options);
        System = system;
        _api = api;
        _options = options;
        _log = log ?? (ILogger)NullLogger.Instance;
        _upload = upload;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>The system's name in the config.</summary>
    public string System { get; }

    /// <inheritdoc />
    /// <remarks>
    /// Sorted by <c>Modified_Time</c> ascending, 200 a page, by page number up to record 2,000 and by
    /// <c>page_token</c> after that. Each page's checkpoint is its latest <c>Modified_Time</c>, which is
    /// safe because pages arrive in modification order.
    /// </remarks>
    public async IAsyncEnumerable<RecordPage> ReadChangedAsync(string stream, Watermark since,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream);
        ArgumentNullException.ThrowIfNull(since);
        var fields = FieldList(stream);
        // Zoho returns records modified strictly after If-Modified-Since, to the second, and many records
        // share a second: asking from one second earlier returns everything at or after the watermark, as
        // the contract wants, and the engine's fingerprints drop the few records read twice.
        var modifiedSince = since.Modified is { } watermark ? FormatInstant(watermark.AddSeconds(-1)) : null;
        var page = 1;
        string? pageToken = null;
        while (true)
        {
            var response = await CallAsync(() => _api.ListRecordsAsync(stream, fields, MaxPageSize, pageToken is null ? page : null,
                pageToken, ModifiedTimeField, "asc", modifiedSince, cancellationToken), cancellationToken).ConfigureAwait(false);
            using (response)
            {
                if (response.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.NotModified) yield break;
                if (!response.IsSuccessStatusCode) throw Failure(response, $"Listing {stream}");
                var body = response.Content ?? throw Unexpected($"Listing {stream} returned no body.");
                var records = body.Data.Select(data => ToRecord(stream, data)).ToList();
                _log.LogDebug("{System}: read {Count} {Module} record(s), page {Page}", System, records.Count, stream,
                    pageToken is null ? page.ToString(CultureInfo.InvariantCulture) : "by token");
                yield return new RecordPage(records, records.Count > 0 ? new Watermark(records.MaxBy(r => r.Modified)!.Modified) : null);
                if (body.Info is not { MoreRecords: true } info || records.Count == 0) yield break;
                if (pageToken is not null || page >= MaxDiscretePages)
                {
                    pageToken = info.NextPageToken ?? throw Unexpected($"Listing {stream}: more_records is true but next_page_token is missing.");
                }
                else
                {
                    page++;
                }
            }
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Record>> ReadByIdsAsync(string stream, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream);
        ArgumentNullException.ThrowIfNull(ids);
        var fields = FieldList(stream);
        var records = new List<Record>(ids.Count);
        foreach (var chunk in ids.Distinct(StringComparer.Ordinal).Chunk(MaxIdsPerRead))
        {
            using var response = await CallAsync(() => _api.GetRecordsAsync(stream, string.Join(',', chunk), fields, cancellationToken),
                cancellationToken).ConfigureAwait(false);
            if (response.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.NotModified) continue;
            if (!response.IsSuccessStatusCode) throw Failure(response, $"Reading {stream} by id");
            var body = response.Content ?? throw Unexpected($"Reading {stream} by id returned no body.");
            records.AddRange(body.Data.Select(data => ToRecord(stream, data)));
        }
        return records;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Through COQL (<c>where field in (…)</c>, 50 values a query), not the Search API: Search lags behind
    /// writes (Zoho's own advice is COQL for read-after-write), and a lookup that misses a record created a
    /// moment ago would create it twice.
    /// </remarks>
    public async Task<IReadOnlyList<Record>> FindAsync(string stream, string field, IReadOnlyCollection<string> values, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream);
        ArgumentException.ThrowIfNullOrEmpty(field);
        ArgumentNullException.ThrowIfNull(values);
        if (!IdentifierPattern().IsMatch(stream) || !IdentifierPattern().IsMatch(field))
        {
            throw new ConnectorException(System, ConnectorErrorCode.InvalidRequest, $"'{stream}.{field}' is not a Zoho module and field API name.");
        }
        var fields = FieldList(stream);
        var records = new List<Record>();
        foreach (var chunk in values.Where(v => !string.IsNullOrEmpty(v)).Distinct(StringComparer.Ordinal).Chunk(MaxValuesPerQuery))
        {
            var condition = $"{field} in ({string.Join(", ", chunk.Select(CoqlLiteral))})";
            for (var offset = 0; ; offset += MaxRowsPerQuery)
            {
                var query = new ZohoQuery
                {
                    SelectQuery = string.Create(CultureInfo.InvariantCulture,
                        $"select {fields.Replace(",", ", ", StringComparison.Ordinal)} from {stream} where {condition} limit {offset}, {MaxRowsPerQuery}"),
                };
                using var response = await CallAsync(() => _api.QueryAsync(query, cancellationToken), cancellationToken).ConfigureAwait(false);
                if (response.StatusCode is HttpStatusCode.NoContent) break;
                if (!response.IsSuccessStatusCode) throw Failure(response, $"Looking up {stream} by {field}");
                var body = response.Content ?? throw Unexpected($"Looking up {stream} by {field} returned no body.");
                records.AddRange(body.Data.Select(data => ToRecord(stream, data)));
                if (body.Info is not { MoreRecords: true }) break;
            }
        }
        return records;
    }

    /// <inheritdoc />
    public int MaxBatchSize(string stream) => MaxRecordsPerWrite;

    /// <inheritdoc />
    /// <remarks>
    /// Linked records (with a target id) are updated by id; the others are upserted with
    /// <c>duplicate_check_fields</c> set to their match fields, so a retried batch never duplicates.
    /// At most <see cref="MaxRecordsPerWrite"/> records a call, automations off (<c>trigger: []</c>).
    /// Subform rows (a payload field holding a list of objects, such as <c>Ordered_Items</c>) replace the record's
    /// rows: Zoho adds rows sent without an id, so before updating a linked record that carries rows the connector
    /// reads it (one single-record GET) to keep its equal rows by id and delete the others; after an upsert that
    /// updated an existing record, it deletes the rows that were there before (one GET each, one PUT for the batch).
    /// </remarks>
    public async Task<IReadOnlyList<WriteOutcome>> WriteAsync(string stream, IReadOnlyList<WriteRequest> batch, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream);
        ArgumentNullException.ThrowIfNull(batch);
        var outcomes = new List<WriteOutcome>(batch.Count);
        // If-Unmodified-Since holds for a whole call: a conditional update goes alone, by id.
        var conditional = batch.Where(r => r.TargetId is not null && r.ExpectedVersion is not null).ToArray();
        var results = new WriteOutcome[conditional.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, conditional.Length),
            new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrency, CancellationToken = cancellationToken },
            async (i, token) => results[i] = await UpdateIfUnmodifiedAsync(stream, conditional[i], token).ConfigureAwait(false)).ConfigureAwait(false);
        outcomes.AddRange(results);
        var linked = batch.Where(r => r.TargetId is not null && r.ExpectedVersion is null).ToList();
        var payloads = await ReplacingRowsAsync(stream, linked, cancellationToken).ConfigureAwait(false);
        foreach (var chunk in linked.Select((request, index) => (Request: request, Payload: payloads[index])).Chunk(MaxRecordsPerWrite))
        {
            var request = new ZohoWriteRequest
            {
                Data = [.. chunk.Select(r => WithId(r.Payload, r.Request.TargetId!))],
                Trigger = [],
            };
            outcomes.AddRange(await WriteChunkAsync(stream, [.. chunk.Select(r => r.Request)], upsert: false,
                () => _api.UpdateRecordsAsync(stream, request, cancellationToken), cancellationToken).ConfigureAwait(false));
        }
        // duplicate_check_fields belongs to the call, so records matched on different fields go in different calls.
        foreach (var group in batch.Where(r => r.TargetId is null).GroupBy(r => string.Join(',', r.MatchFields), StringComparer.Ordinal))
        {
            foreach (var chunk in group.Chunk(MaxRecordsPerWrite))
            {
                var request = new ZohoWriteRequest
                {
                    Data = [.. chunk.Select(r => r.Payload)],
                    Trigger = [],
                    DuplicateCheckFields = chunk[0].MatchFields.Count > 0 ? [.. chunk[0].MatchFields] : null,
                };
                var written = (await WriteChunkAsync(stream, chunk, upsert: true,
                    () => _api.UpsertRecordsAsync(stream, request, cancellationToken), cancellationToken).ConfigureAwait(false)).ToList();
                outcomes.AddRange(await DropSupersededRowsAsync(stream, chunk, written, cancellationToken).ConfigureAwait(false));
            }
        }
        return outcomes;
    }

    /// <summary>Describes the fields of <paramref name="module"/> (names, types, lengths, mandatory flags).</summary>
    /// <exception cref="ConnectorException">The call failed as a whole.</exception>
    public async Task<IReadOnlyList<ZohoField>> DescribeFieldsAsync(string module, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(module);
        using var response = await CallAsync(() => _api.GetFieldsAsync(module, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode) throw Failure(response, $"Describing {module}");
        return response.Content?.Fields ?? [];
    }

    /// <summary>
    /// The payload to send for each linked request: as mapped, except that its subform rows are turned into a
    /// replacement of the record's current rows (read with one single-record GET per record that carries rows).
    /// </summary>
    private async Task<JObject[]> ReplacingRowsAsync(string stream, IReadOnlyList<WriteRequest> linked, CancellationToken cancellationToken)
    {
        var payloads = linked.Select(r => r.Payload).ToArray();
        var withRows = Enumerable.Range(0, linked.Count).Where(i => ZohoSubforms.FieldsIn(linked[i].Payload).Count > 0).ToList();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(withRows, parallel, async (index, token) =>
        {
            var request = linked[index];
            // A record Zoho no longer has keeps its payload: the update is refused on its id, as for any stale link.
            if (await ReadOneAsync(stream, request.TargetId!, token).ConfigureAwait(false) is not { } current) return;
            var payload = (JObject)request.Payload.DeepClone();
            foreach (var field in ZohoSubforms.FieldsIn(request.Payload))
            {
                payload[field] = ZohoSubforms.Replacement(current[field] as JArray ?? [], (JArray)request.Payload[field]!);
            }
            payloads[index] = payload;
        }).ConfigureAwait(false);
        return payloads;
    }

    /// <summary>
    /// An upsert that matched an existing record added the sent rows after the rows the record had (Zoho adds rows
    /// sent without an id): those earlier rows are deleted, in one update call for the chunk, so that a re-sent
    /// create (after a crash between write and commit) never doubles an order's lines.
    /// </summary>
    private async Task<IEnumerable<WriteOutcome>> DropSupersededRowsAsync(string stream, WriteRequest[] chunk, List<WriteOutcome> outcomes,
        CancellationToken cancellationToken)
    {
        var requests = chunk.ToDictionary(r => r.Source);
        var fixes = new List<(WriteRequest Request, JObject Rows)>();
        foreach (var written in outcomes.OfType<WriteOutcome.Written>().Where(w => !w.Created))
        {
            var request = requests[written.Source];
            var fields = ZohoSubforms.FieldsIn(request.Payload);
            if (fields.Count == 0) continue;
            if (await ReadOneAsync(stream, written.TargetId, cancellationToken).ConfigureAwait(false) is not { } current) continue;
            var rows = new JObject { ["id"] = written.TargetId };
            foreach (var field in fields)
            {
                var superseded = ZohoSubforms.Superseded(current[field] as JArray ?? [], ((JArray)request.Payload[field]!).Count);
                if (superseded.Count > 0) rows[field] = superseded;
            }
            if (rows.Count > 1) fixes.Add((request, rows));
        }
        if (fixes.Count == 0) return outcomes;
        _log.LogInformation("{System}: {Count} {Module} record(s) existed already; deleting the rows they had before this write", System,
            fixes.Count, stream);
        var fixRequest = new ZohoWriteRequest { Data = [.. fixes.Select(f => f.Rows)], Trigger = [] };
        var rowFixes = (await WriteChunkAsync(stream, [.. fixes.Select(f => f.Request)], upsert: false,
            () => _api.UpdateRecordsAsync(stream, fixRequest, cancellationToken), cancellationToken).ConfigureAwait(false))
            .ToDictionary(o => o.Source);
        // The record was written either way; a refused row deletion is what the outcome reports.
        return outcomes.Select(o => rowFixes.TryGetValue(o.Source, out var fix) && fix is not WriteOutcome.Written ? fix : o);
    }

    /// <summary>One record with all its fields and subform rows, or <see langword="null"/> when Zoho has no such record.</summary>
    private async Task<JObject?> ReadOneAsync(string module, string id, CancellationToken cancellationToken)
    {
        using var response = await CallAsync(() => _api.GetRecordAsync(module, id, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.NoContent) return null;
        if (!response.IsSuccessStatusCode) throw Failure(response, $"Reading {module} {id}");
        return response.Content?.Data.FirstOrDefault();
    }

    /// <inheritdoc />
    public IReadOnlyList<StreamSchema> BuiltInStreams => ZohoSchemas.BuiltIn;

    /// <inheritdoc />
    public bool DescribesLive => true;

    /// <inheritdoc />
    /// <remarks>Reads the module's fields metadata: this org's custom fields, picklist values and mandatory fields included. A module Zoho does not know (<c>INVALID_MODULE</c>) is <see langword="null"/>.</remarks>
    public async Task<StreamSchema?> DescribeLiveAsync(string stream, CancellationToken cancellationToken)
    {
        try
        {
            return ZohoSchemas.FromMetadata(stream, await DescribeFieldsAsync(stream, cancellationToken).ConfigureAwait(false));
        }
        catch (ConnectorException e) when (e.VendorCode == "INVALID_MODULE")
        {
            return null;
        }
    }

    private async Task<WriteOutcome> UpdateIfUnmodifiedAsync(string stream, WriteRequest request, CancellationToken cancellationToken)
    {
        var body = new ZohoWriteRequest { Data = [WithId(request.Payload, request.TargetId!)], Trigger = [] };
        using var response = await CallAsync(() => _api.UpdateRecordAsync(stream, request.TargetId!, body, request.ExpectedVersion!, cancellationToken),
            cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            // ALREADY_MODIFIED: someone changed the record after we read it; nothing was written.
            return new WriteOutcome.Conflict(request.Source, request.TargetId!);
        }
        var operation = $"Updating {stream} record {request.TargetId}";
        var results = response.IsSuccessStatusCode ? response.Content?.Data : PerRecordResults(response);
        if (results is null) throw response.IsSuccessStatusCode ? Unexpected($"{operation} returned no body.") : Failure(response, operation);
        if (results.Count != 1) throw Unexpected($"{operation} returned {results.Count} results for one record.");
        return Outcome(request, results[0], upsert: false);
    }

    private async Task<IEnumerable<WriteOutcome>> WriteChunkAsync(string stream, WriteRequest[] chunk, bool upsert,
        Func<Task<IApiResponse<ZohoWriteResponse>>> call, CancellationToken cancellationToken)
    {
        using var response = await CallAsync(call, cancellationToken).ConfigureAwait(false);
        var operation = upsert ? $"Upserting {chunk.Length} {stream} record(s)" : $"Updating {chunk.Length} {stream} record(s)";
        // 200/201 all written, 207 some refused; when every record is refused Zoho answers 400 and
        // still lists them one by one, so a 400 with per-record results is outcomes too, not a failure.
        var results = response.IsSuccessStatusCode ? response.Content?.Data : PerRecordResults(response);
        if (results is null) throw response.IsSuccessStatusCode ? Unexpected($"{operation} returned no body.") : Failure(response, operation);
        if (results.Count != chunk.Length)
        {
            throw Unexpected($"{operation} returned {results.Count} result(s) for {chunk.Length} record(s).");
        }
        return chunk.Select((request, i) => Outcome(request, results[i], upsert));
    }

    private static WriteOutcome Outcome(WriteRequest request, ZohoWriteResult result, bool upsert)
    {
        if (result.Status == "success" || result.Code == "SUCCESS")
        {
            var id = result.Details?.Value<string>("id") ?? request.TargetId;
            if (id is null)
            {
                return new WriteOutcome.Rejected(request.Source, "NO_ID", null, "Zoho reported success without the record's id.");
            }
            return new WriteOutcome.Written(request.Source, id, Created: upsert && result.Action == "insert");
        }
        var code = result.Code ?? "UNKNOWN";
        var message = result.Message ?? code;
        if (RetryableRecordCodes.Contains(code))
        {
            return new WriteOutcome.RetryLater(request.Source, PerRecordRetryAfter, $"{code}: {message}");
        }
        return new WriteOutcome.Rejected(request.Source, code, result.Details?.Value<string>("api_name"), message);
    }

    private Record ToRecord(string module, JObject data)
    {
        var id = data.Value<string>("id") ?? throw Unexpected($"A {module} record came without an id.");
        var stamp = data.Value<string>(ModifiedTimeField);
        // Zoho writes times in the user's zone with its offset (2019-07-25T15:26:49+05:30); the offset is kept.
        if (stamp is null || !DateTimeOffset.TryParse(stamp, CultureInfo.InvariantCulture, DateTimeStyles.None, out var modified))
        {
            throw Unexpected($"{module} record {id} has no readable {ModifiedTimeField}.");
        }
        // The stamp as Zoho wrote it is the version If-Unmodified-Since takes back.
        return new Record(new RecordKey($"{System}.{module}", id), modified, data) { Version = stamp };
    }

    private string FieldList(string module) => string.Join(',', _options.FieldsFor(module)
        ?? throw new ConnectorException(System, ConnectorErrorCode.InvalidRequest,
            $"No fields are configured for module {module}; Zoho requires them. Set Fields:{module} in the system's options."));

    /// <summary>A COQL string literal: quoted, with quotes and backslashes escaped.</summary>
    private static string CoqlLiteral(string value) =>
        "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex IdentifierPattern();

    private static JObject WithId(JObject payload, string id)
    {
        var copy = (JObject)payload.DeepClone();
        copy["id"] = id;
        return copy;
    }

    private static string FormatInstant(DateTimeOffset instant) =>
        instant.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>Makes a call and turns "no answer at all" into a <see cref="ConnectorException"/>.</summary>
    private async Task<T> CallAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken) where T : IApiResponse
    {
        T response;
        try
        {
            response = await call().ConfigureAwait(false);
        }
        catch (ApiRequestException e) when (e.InnerException is ConnectorException inner)
        {
            ExceptionDispatchInfo.Throw(inner);
            throw;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && IsUnreachable(e))
        {
            throw NoAnswer(e);
        }
        if (!response.HasRequestError(out var error)) return response;
        response.Dispose();
        switch (error.InnerException)
        {
            case ConnectorException inner:
                ExceptionDispatchInfo.Throw(inner);
                break;
            case OperationCanceledException when cancellationToken.IsCancellationRequested:
                throw new OperationCanceledException(cancellationToken);
        }
        throw NoAnswer(error.InnerException ?? error);
    }

    private static bool IsUnreachable(Exception e) =>
        e is HttpRequestException or TimeoutRejectedException or BrokenCircuitException or RateLimiterRejectedException
            or ApiRequestException or OperationCanceledException;

    private ConnectorException NoAnswer(Exception cause) => new(System, ConnectorErrorCode.Unavailable,
        cause switch
        {
            BrokenCircuitException => "Zoho CRM kept failing; calls are paused until the circuit closes.",
            TimeoutRejectedException or OperationCanceledException => "Zoho CRM did not answer in time, retries included.",
            _ => "Zoho CRM could not be reached, retries included.",
        },
        innerException: cause is ApiExceptionBase ? null : cause);

    private ConnectorException Failure(IApiResponse response, string operation)
    {
        var status = response.StatusCode is { } statusCode ? (int)statusCode : 0;
        var error = ErrorBody(response);
        var code = error?.Code;
        var detail = code is null ? $"HTTP {status}" : $"HTTP {status} {code}: {Shorten(error!.Message)}";
        return status switch
        {
            429 => new ConnectorException(System, ConnectorErrorCode.Throttled,
                $"{operation} was throttled by Zoho ({detail}) for longer than the configured maximum wait.", code ?? "TOO_MANY_REQUESTS",
                RetryAfterHeader.Of(response.Headers)),
            >= 500 => new ConnectorException(System, ConnectorErrorCode.Unavailable, $"{operation} kept failing ({detail}), retries included.", code),
            401 or 403 => new ConnectorException(System, ConnectorErrorCode.AuthenticationFailed, $"{operation} was refused ({detail}).", code),
            >= 400 => new ConnectorException(System, ConnectorErrorCode.InvalidRequest, $"{operation} was rejected ({detail}).", code),
            _ => new ConnectorException(System, ConnectorErrorCode.UnexpectedResponse, $"{operation} got an unexpected answer ({detail}).", code),
        };
    }

    private static ZohoError? ErrorBody(IApiResponse response)
    {
        var content = ErrorContent(response);
        if (content is null) return null;
        try
        {
            return ZohoJson.Parse(content).ToObject<ZohoError>();
        }
        catch (Newtonsoft.Json.JsonException)
        {
            return null;
        }
    }

    private static List<ZohoWriteResult>? PerRecordResults(IApiResponse response)
    {
        var content = ErrorContent(response);
        if (content is null || response.StatusCode != HttpStatusCode.BadRequest) return null;
        try
        {
            return ZohoJson.Parse(content)["data"] is JArray data ? data.ToObject<List<ZohoWriteResult>>() : null;
        }
        catch (Newtonsoft.Json.JsonException)
        {
            return null;
        }
    }

    private static string? ErrorContent(IApiResponse response) =>
        response.HasResponseError(out var error) && error?.Content is { Length: > 0 } content ? content : null;

    private static string Shorten(string? message) =>
        message is null ? "" : message.Length <= 200 ? message : message[..200] + "…";

    private ConnectorException Unexpected(string message) => new(System, ConnectorErrorCode.UnexpectedResponse, message);
}
