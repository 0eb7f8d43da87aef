using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using Connectors.Core.Connectors;
using Connectors.Core.Records;
using Connectors.Core.Sync;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Refit;
using static Connectors.BusinessCentral.BusinessCentralFailures;

namespace Connectors.BusinessCentral;

/// <summary>
/// Reads and writes one Business Central company's <c>customers</c> and <c>salesOrders</c> (with their
/// <c>salesOrderLines</c>) through API v2.0.
/// <para>
/// Reads are incremental on <c>lastModifiedDateTime</c>, a server-driven page at a time. Every record's
/// <see cref="Record.Data"/> carries its <c>@odata.etag</c> (<see cref="EtagField"/>): pass it back as
/// <see cref="WriteRequest.ExpectedVersion"/> and the write only happens if nobody changed the record
/// since; otherwise the outcome is <see cref="WriteOutcome.Conflict"/> and nothing was written.
/// </para>
/// <para>
/// Business Central has no bulk upsert, so a batch is written one record a call, at most
/// <see cref="BusinessCentralOptions.MaxConcurrency"/> calls at a time. A request without a target id is
/// first looked up by its match fields and updated when found, so a retried create never duplicates.
/// </para>
/// </summary>
public sealed partial class BusinessCentralConnector : ISourceConnector, ITargetConnector, IRecordLookup
{
    /// <summary>The most entities Business Central serves in one page (fixed online).</summary>
    public const int MaxPageSize = 20_000;

    /// <summary>How many requests of one user Business Central processes at once; the rest wait in its queue.</summary>
    public const int RequestsProcessedAtOnce = 5;

    /// <summary>The most requests of one user Business Central holds at once (processing plus queued); more get 429.</summary>
    public const int MaxSimultaneousRequests = 100;

    /// <summary>The customers stream (entity set).</summary>
    public const string Customers = "customers";

    /// <summary>The sales orders stream (entity set); each order's lines come with it.</summary>
    public const string SalesOrders = "salesOrders";

    /// <summary>The navigation property holding a sales order's lines; written by deep insert on create.</summary>
    public const string SalesOrderLines = "salesOrderLines";

    /// <summary>The field of <see cref="Record.Data"/> that holds the entity's version, for <see cref="WriteRequest.ExpectedVersion"/>.</summary>
    public const string EtagField = "@odata.etag";

    /// <summary>The modification stamp incremental reads filter and order on.</summary>
    public const string ModifiedField = "lastModifiedDateTime";

    // A GUID is 36 characters: 40 of them keep the $filter=id in (...) URL near 1,600 characters.
    private const int IdsPerFilter = 40;

    // An unconditional write reads the etag itself; if someone writes in between, it reads again this often.
    private const int UnconditionalWriteAttempts = 3;

    private static readonly JsonSerializerSettings PageSettings = new() { DateParseHandling = DateParseHandling.None };

    private readonly string _system;
    private readonly IBusinessCentralApi _api;
    private readonly BusinessCentralOptions _options;
    private readonly ILogger _log;
    private readonly string _companyId;
    private readonly string _prefer;

    /// <summary>Creates the connector of <paramref name="system"/>. Use <c>AddBusinessCentral</c> to build it with its HTTP pipeline.</summary>
    /// <param name="system">The system's name in the config; record streams are <c>{system}.{stream}</c>.</param>
    /// <param name="api">The API client, with auth, resilience and metering handlers.</param>
    /// <param name="options">The validated options.</param>
    /// <param name="log">Where warnings go; none when <see langword="null"/>.</param>
    public BusinessCentralConnector(string system, IBusinessCentralApi api, BusinessCentralOptions options,
        ILogger<BusinessCentralConnector>? log = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(system);
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(options);
        _system = system;
        _api = api;
        _options = options;
        _log = log ?? (ILogger)NullLogger.Instance;
        _companyId = options.CompanyId;
        _prefer = $"odata.maxpagesize={options.PageSize.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <inheritdoc />
    /// <remarks>
    /// Filters <c>lastModifiedDateTime ge</c> the watermark, not <c>gt</c>: a page may end between records
    /// that share a stamp, and the ones after the page boundary must not be skipped by the next run. The
    /// overlap is small and unchanged records cost nothing downstream. Each page's checkpoint is the
    /// stamp of its last record.
    /// </remarks>
    public async IAsyncEnumerable<RecordPage> ReadChangedAsync(string stream, Watermark since,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(since);
        var entitySet = EntitySet(stream);
        var filter = since.Modified is { } from ? $"{ModifiedField} ge {DateTimeLiteral(from)}" : null;
        var what = $"reading {entitySet} changed since {(since.Modified is { } s ? DateTimeLiteral(s) : "the start")}";
        var page = await ListAsync(entitySet, filter, ModifiedField, what, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var records = page.Value.Select(entity => ToRecord(stream, entity)).ToList();
            yield return new RecordPage(records, records.Count > 0 ? new Watermark(records[^1].Modified) : null);
            if (page.NextLink is null) yield break;
            page = await NextPageAsync(page.NextLink, what, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    /// <remarks>Uses <c>$filter=id in (…)</c> (OData IN, Business Central 2024 wave 1 and later), 40 ids a call.</remarks>
    public async Task<IReadOnlyList<Record>> ReadByIdsAsync(string stream, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var entitySet = EntitySet(stream);
        // Ids that are not GUIDs cannot exist in Business Central; leaving them out also keeps them out of the filter.
        var wanted = ids.Where(id => Guid.TryParse(id, out _)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var records = new List<Record>(wanted.Count);
        foreach (var chunk in wanted.Chunk(IdsPerFilter))
        {
            var what = $"reading {chunk.Length} {entitySet} by id";
            var page = await ListAsync(entitySet, $"id in ({string.Join(',', chunk)})", null, what, cancellationToken).ConfigureAwait(false);
            while (true)
            {
                records.AddRange(page.Value.Select(entity => ToRecord(stream, entity)));
                if (page.NextLink is null) break;
                page = await NextPageAsync(page.NextLink, what, cancellationToken).ConfigureAwait(false);
            }
        }
        return records;
    }

    /// <inheritdoc />
    /// <remarks>
    /// <c>$filter=field in (…)</c>, 40 values a call. Business Central compares text without regard to case,
    /// as its SQL collation does.
    /// </remarks>
    public async Task<IReadOnlyList<Record>> FindAsync(string stream, string field, IReadOnlyCollection<string> values, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(values);
        var entitySet = EntitySet(stream);
        if (!IdentifierPattern().IsMatch(field))
        {
            throw new ConnectorException(_system, ConnectorErrorCode.InvalidRequest, $"'{field}' is not a Business Central field name.");
        }
        var records = new List<Record>();
        foreach (var chunk in values.Where(v => !string.IsNullOrEmpty(v)).Distinct(StringComparer.Ordinal).Chunk(IdsPerFilter))
        {
            var what = $"looking up {chunk.Length} {entitySet} by {field}";
            var filter = $"{field} in ({string.Join(',', chunk.Select(v => Literal(field, new JValue(v))))})";
            var page = await ListAsync(entitySet, filter, null, what, cancellationToken).ConfigureAwait(false);
            while (true)
            {
                records.AddRange(page.Value.Select(entity => ToRecord(stream, entity)));
                if (page.NextLink is null) break;
                page = await NextPageAsync(page.NextLink, what, cancellationToken).ConfigureAwait(false);
            }
        }
        return records;
    }

    /// <inheritdoc />
    public int MaxBatchSize(string stream)
    {
        EntitySet(stream);
        return _options.MaxBatchSize;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Requests aimed at the same record (same target id, or same match value) are written one after the
    /// other, so two creates for one e-mail address in a batch still make one customer. A sales order is
    /// created with its lines in one call (deep insert); Business Central has no deep update, so on an
    /// update only the order's own fields are written and its lines are left as they are.
    /// </remarks>
    public async Task<IReadOnlyList<WriteOutcome>> WriteAsync(string stream, IReadOnlyList<WriteRequest> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var entitySet = EntitySet(stream);
        var outcomes = new WriteOutcome[batch.Count];
        var lanes = batch.Select((request, index) => (Request: request, Index: index))
            .GroupBy(item => LaneOf(item.Request, item.Index), StringComparer.OrdinalIgnoreCase)
            .ToList();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(lanes, parallel, async (lane, token) =>
        {
            foreach (var (request, index) in lane)
            {
                outcomes[index] = await WriteOneAsync(entitySet, request, token).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
        return outcomes;
    }

    private async Task<WriteOutcome> WriteOneAsync(string entitySet, WriteRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            if (request.TargetId is { } targetId)
            {
                return await UpdateAsync(entitySet, request, targetId, request.ExpectedVersion, null, cancellationToken).ConfigureAwait(false);
            }
            var match = await FindMatchAsync(entitySet, request, cancellationToken).ConfigureAwait(false);
            if (match.Outcome is { } refused) return refused;
            if (match.Entity is { } found)
            {
                var etag = found[EtagField]?.Value<string>();
                return await UpdateAsync(entitySet, request, (string)found["id"]!, null, etag, cancellationToken).ConfigureAwait(false);
            }
            return await CreateAsync(entitySet, request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsUnreachable(e))
        {
            return new WriteOutcome.RetryLater(request.Source, TimeSpan.Zero, $"Business Central could not be reached ({e.GetType().Name}).");
        }
    }

    private async Task<WriteOutcome> CreateAsync(string entitySet, WriteRequest request, CancellationToken cancellationToken)
    {
        var entity = Writable(request.Payload, keepLines: true);
        using var response = await ReceivedAsync(_api.CreateAsync(_companyId, entitySet, entity, cancellationToken)).ConfigureAwait(false);
        if (!response.IsSuccessful)
        {
            return Failed(request.Source, response);
        }
        var id = response.Content?["id"]?.Value<string>();
        return id is null
            ? new WriteOutcome.Rejected(request.Source, "UNEXPECTED_RESPONSE", null,
                "Business Central created the record but answered without its id.")
            : new WriteOutcome.Written(request.Source, id, Created: true);
    }

    /// <summary>
    /// Writes with <c>If-Match</c>. With an expected version, that version decides. Without one, the
    /// etag is the one just read here (<paramref name="knownEtag"/> from the match lookup, or a fresh GET):
    /// the write is unconditional for the engine but never blind (<c>If-Match: *</c>) for Business Central.
    /// </summary>
    private async Task<WriteOutcome> UpdateAsync(string entitySet, WriteRequest request, string targetId, string? expectedVersion,
        string? knownEtag, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(targetId, out _))
        {
            return new WriteOutcome.Rejected(request.Source, "INVALID_TARGET_ID", null, $"'{targetId}' is not a Business Central id (a GUID).");
        }
        var changes = Writable(request.Payload, keepLines: false);
        if (entitySet == SalesOrders && request.Payload.ContainsKey(SalesOrderLines))
        {
            _log.LogWarning("{System}: {Source} updates sales order {TargetId}; its lines are not updated (Business Central has no deep update)",
                _system, request.Source, targetId);
        }

        if (expectedVersion is not null)
        {
            using var response = await ReceivedAsync(
                _api.UpdateAsync(_companyId, entitySet, targetId, expectedVersion, changes, cancellationToken)).ConfigureAwait(false);
            if (response.IsSuccessful) return new WriteOutcome.Written(request.Source, targetId, Created: false);
            return IsStale(response) ? new WriteOutcome.Conflict(request.Source, targetId) : Failed(request.Source, response);
        }

        var etag = knownEtag;
        for (var attempt = 0; attempt < UnconditionalWriteAttempts; attempt++)
        {
            if (etag is null)
            {
                using var current = await ReceivedAsync(
                    _api.GetAsync(_companyId, entitySet, targetId, null, cancellationToken)).ConfigureAwait(false);
                if (!current.IsSuccessful) return Failed(request.Source, current);
                etag = current.Content?[EtagField]?.Value<string>();
                if (etag is null)
                {
                    return new WriteOutcome.Rejected(request.Source, "UNEXPECTED_RESPONSE", null,
                        $"Business Central answered {entitySet}({targetId}) without an {EtagField}.");
                }
            }
            using var response = await ReceivedAsync(
                _api.UpdateAsync(_companyId, entitySet, targetId, etag, changes, cancellationToken)).ConfigureAwait(false);
            if (response.IsSuccessful) return new WriteOutcome.Written(request.Source, targetId, Created: false);
            if (!IsStale(response)) return Failed(request.Source, response);
            _log.LogDebug("{System}: {Entity}({TargetId}) changed between our read and our write; reading it again", _system, entitySet, targetId);
            etag = null;
        }
        return new WriteOutcome.Conflict(request.Source, targetId);
    }

    /// <summary>
    /// Looks an unlinked record up by its match fields, in order: the first field whose value finds exactly one
    /// entity decides; two or more is ambiguous and refused rather than guessed.
    /// </summary>
    private async Task<(JObject? Entity, WriteOutcome? Outcome)> FindMatchAsync(string entitySet, WriteRequest request,
        CancellationToken cancellationToken)
    {
        foreach (var field in request.MatchFields)
        {
            if (request.Payload[field] is not JValue { Value: not null } value
                || (value.Type == JTokenType.String && ((string)value!).Length == 0))
            {
                continue;
            }
            if (!IdentifierPattern().IsMatch(field))
            {
                return (null, new WriteOutcome.Rejected(request.Source, "INVALID_MATCH_FIELD", field,
                    $"'{field}' is not a Business Central field name."));
            }
            var filter = $"{field} eq {Literal(field, value)}";
            using var response = await ReceivedAsync(
                _api.ListAsync(_companyId, entitySet, filter, null, null, 2, null, cancellationToken)).ConfigureAwait(false);
            if (!response.IsSuccessful) return (null, Failed(request.Source, response));
            var found = response.Content!.Value;
            if (found.Count == 1) return (found[0], null);
            if (found.Count > 1)
            {
                return (null, new WriteOutcome.Rejected(request.Source, "AMBIGUOUS_MATCH", field,
                    $"More than one of the {entitySet} has {field} = {value}; the record cannot be matched to one of them."));
            }
        }
        return (null, null);
    }

    private WriteOutcome Failed(RecordKey source, IApiResponse response) =>
        response.IsSuccessStatusCode
            ? new WriteOutcome.Rejected(source, "UNEXPECTED_RESPONSE", null,
                "Business Central answered with a body that is not the expected JSON.")
            : RecordFailed(_system, source, response.StatusCode.GetValueOrDefault(), Body(response), response.Headers);

    private static bool IsStale(IApiResponse response) =>
        BusinessCentralFailures.IsStale(response.StatusCode.GetValueOrDefault(), ReadError(Body(response)));

    private async Task<BusinessCentralPage> ListAsync(string entitySet, string? filter, string? orderBy, string what, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await ReceivedAsync(
                _api.ListAsync(_companyId, entitySet, filter, orderBy, Expand(entitySet), null, _prefer, cancellationToken)).ConfigureAwait(false);
            if (response.IsSuccessful && response.Content is { } page) return page;
            throw CallFailed(_system, what, response.StatusCode.GetValueOrDefault(), Body(response), response.Headers);
        }
        catch (Exception e) when (IsUnreachable(e))
        {
            throw Unreachable(_system, what, e);
        }
    }

    /// <summary>Requests an <c>@odata.nextLink</c> exactly as given, on the same client, with the same page size.</summary>
    private async Task<BusinessCentralPage> NextPageAsync(string nextLink, string what, CancellationToken cancellationToken)
    {
        // The link carries our bearer token's destination: follow it only to the API we were configured for.
        if (!Uri.TryCreate(nextLink, UriKind.Absolute, out var next)
            || Uri.Compare(next, _options.EffectiveBaseUrl, UriComponents.SchemeAndServer, UriFormat.Unescaped,
                StringComparison.OrdinalIgnoreCase) != 0)
        {
            throw new ConnectorException(_system, ConnectorErrorCode.UnexpectedResponse,
                $"{what}: the next-page link does not point at the configured Business Central API.");
        }
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, next);
            request.Headers.TryAddWithoutValidation("Prefer", _prefer);
            using var response = await _api.Client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw CallFailed(_system, what, response.StatusCode, body, response.Headers);
            }
            try
            {
                return JsonConvert.DeserializeObject<BusinessCentralPage>(body, PageSettings)
                    ?? throw CallFailed(_system, what, HttpStatusCode.OK, null, response.Headers);
            }
            catch (JsonException)
            {
                throw CallFailed(_system, what, HttpStatusCode.OK, null, response.Headers);
            }
        }
        catch (Exception e) when (IsUnreachable(e))
        {
            throw Unreachable(_system, what, e);
        }
    }

    private Record ToRecord(string stream, JObject entity)
    {
        var id = entity["id"]?.Value<string>();
        var stamp = entity[ModifiedField]?.Value<string>();
        if (id is null || stamp is null
            || !DateTimeOffset.TryParse(stamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var modified))
        {
            throw new ConnectorException(_system, ConnectorErrorCode.UnexpectedResponse,
                $"an entity of {stream} came without an id or a readable {ModifiedField}.");
        }
        return new Record(new RecordKey($"{_system}.{stream}", id), modified, entity) { Version = entity[EtagField]?.Value<string>() };
    }

    private string EntitySet(string stream) => stream switch
    {
        Customers => Customers,
        SalesOrders => SalesOrders,
        _ => throw new ConnectorException(_system, ConnectorErrorCode.InvalidRequest,
            $"unknown stream '{stream}'; Business Central streams are '{Customers}' and '{SalesOrders}'."),
    };

    private static string? Expand(string entitySet) => entitySet == SalesOrders ? SalesOrderLines : null;

    /// <summary>The payload without OData annotations (never writable) and, for updates, without the lines.</summary>
    private static JObject Writable(JObject payload, bool keepLines)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var writable = new JObject();
        foreach (var property in payload.Properties())
        {
            if (property.Name.StartsWith("@odata.", StringComparison.Ordinal)) continue;
            if (!keepLines && property.Name == SalesOrderLines) continue;
            writable.Add(property.Name, property.Value.DeepClone());
        }
        return writable;
    }

    /// <summary>Groups requests that may touch the same entity; each group is written in order, groups in parallel.</summary>
    private static string LaneOf(WriteRequest request, int index)
    {
        if (request.TargetId is { } targetId) return $"id:{targetId}";
        foreach (var field in request.MatchFields)
        {
            if (request.Payload[field] is JValue { Value: not null } value && value.ToString(CultureInfo.InvariantCulture) is { Length: > 0 } text)
            {
                return $"match:{field}={text}";
            }
        }
        return $"new:{index.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>An OData v4 literal: strings quoted with quotes doubled, GUIDs of id fields bare, numbers invariant.</summary>
    internal static string Literal(string field, JValue value) => value.Type switch
    {
        JTokenType.Integer or JTokenType.Float => Convert.ToString(value.Value, CultureInfo.InvariantCulture)!,
        JTokenType.Boolean => (bool)value ? "true" : "false",
        JTokenType.Date when value.Value is DateTimeOffset offset => DateTimeLiteral(offset),
        JTokenType.Date when value.Value is DateTime date => DateTimeLiteral(new DateTimeOffset(DateTime.SpecifyKind(date, DateTimeKind.Utc))),
        JTokenType.Guid => value.ToString(CultureInfo.InvariantCulture),
        _ when IsIdField(field) && Guid.TryParse(value.ToString(CultureInfo.InvariantCulture), out var guid) => guid.ToString("D"),
        _ => Quote(value.ToString(CultureInfo.InvariantCulture)),
    };

    /// <summary>An OData v4 <c>DateTimeOffset</c> literal in UTC, unquoted, for example <c>2026-11-23T09:00:00.123Z</c>.</summary>
    internal static string DateTimeLiteral(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    private static bool IsIdField(string field) => field == "id" || field.EndsWith("Id", StringComparison.Ordinal);

    private static string Quote(string text)
    {
        var quoted = new StringBuilder(text.Length + 2).Append('\'');
        quoted.Append(text.Replace("'", "''", StringComparison.Ordinal));
        return quoted.Append('\'').ToString();
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex IdentifierPattern();
}
