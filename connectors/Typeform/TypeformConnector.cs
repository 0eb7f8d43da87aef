using Connectors.Core.Http;
using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using Connectors.Core.Connectors;
using Connectors.Core.Records;
using Connectors.Core.Sync;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Polly;
using Refit;

namespace Connectors.Typeform;

/// <summary>
/// Reads the completed responses of one Typeform form (an NPS or CSAT survey) as the stream <c>responses</c>:
/// changed since a watermark, oldest submission first, a page at a time, and by id. Records are keyed by the
/// response token, stamped with <c>submitted_at</c>, and carry the response as Typeform returns it plus
/// <c>answers_by_ref</c>: each answer's value under its question's <c>ref</c>, so a mapping reads
/// <c>answers_by_ref.nps</c> instead of searching the <c>answers</c> list.
/// </summary>
public sealed class TypeformConnector : ISourceConnector
{
    /// <summary>The most responses Typeform returns per page.</summary>
    public const int MaxPageSize = 1000;

    /// <summary>The stream of the configured form's responses.</summary>
    public const string ResponsesStream = "responses";

    /// <summary>The field the connector adds to each record: answer values by question ref.</summary>
    public const string AnswersByRefField = "answers_by_ref";

    private static readonly JsonSerializerSettings EnvelopeSettings = new() { DateParseHandling = DateParseHandling.None };

    private readonly TypeformOptions _options;
    private readonly ITypeformApi _api;
    private readonly ILogger<TypeformConnector> _log;

    /// <summary>Creates the connector for one configured system. Prefer <see cref="TypeformServiceCollectionExtensions.AddTypeformConnector"/>.</summary>
    /// <param name="system">The system's name in the config, for example <c>survey</c>; records are keyed <c>{system}.responses</c>.</param>
    /// <param name="options">The account's options, already validated.</param>
    /// <param name="api">The typed client, with pacing, auth, resilience and metering handlers.</param>
    /// <param name="log">Where reads are reported (never the token).</param>
    public TypeformConnector(string system, TypeformOptions options, ITypeformApi api, ILogger<TypeformConnector> log)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(system);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(log);
        System = system;
        _options = options;
        _api = api;
        _log = log;
    }

    /// <summary>The system's name in the config.</summary>
    public string System { get; }

    /// <inheritdoc />
    /// <remarks>
    /// The first page asks for <c>since</c> = the watermark (inclusive, whole seconds, UTC) sorted by
    /// <c>submitted_at,asc</c>; the next pages ask for the responses <c>after</c> the last token read, which
    /// Typeform serves in the order it processed them and documents as the way to traverse every response without
    /// repeats (it refuses <c>after</c> together with <c>sort</c>). Each page's checkpoint is its latest
    /// <c>submitted_at</c>; the responses at the watermark's second are read again and dropped by fingerprint.
    /// </remarks>
    public async IAsyncEnumerable<RecordPage> ReadChangedAsync(string stream, Watermark since, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(since);
        CheckStream(stream);
        var query = new TypeformResponseQuery
        {
            PageSize = _options.PageSize,
            Since = since.Modified is { } modified ? SinceFilter(modified) : null,
            ResponseType = "completed",
            Sort = "submitted_at,asc",
        };
        while (true)
        {
            var page = await ListAsync(query, cancellationToken).ConfigureAwait(false);
            var records = page.Items.Select(ToRecord).ToList();
            _log.LogDebug("{System}: read {Count} response(s) of form {Form}", System, records.Count, _options.FormId);
            if (records.Count > 0)
            {
                yield return new RecordPage(records, new Watermark(records.Max(r => r.Modified)));
            }
            // page_count counts the pages of this query, this one included: one left means this was the last.
            if (records.Count < query.PageSize || page.PageCount <= 1) yield break;
            query = new TypeformResponseQuery
            {
                PageSize = query.PageSize,
                Since = query.Since,
                ResponseType = query.ResponseType,
                After = page.Items[^1].Value<string>("token") ?? throw Unexpected("a response came without its token."),
            };
        }
    }

    /// <inheritdoc />
    /// <remarks>One call per <see cref="MaxPageSize"/> ids (<c>included_response_ids</c>); ids Typeform does not have are left out.</remarks>
    public async Task<IReadOnlyList<Record>> ReadByIdsAsync(string stream, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        CheckStream(stream);
        var records = new List<Record>(ids.Count);
        foreach (var chunk in ids.Where(id => id.Length > 0).Distinct(StringComparer.Ordinal).Chunk(MaxPageSize))
        {
            var page = await ListAsync(new TypeformResponseQuery
            {
                PageSize = chunk.Length,
                IncludedResponseIds = string.Join(',', chunk),
                ResponseType = "completed",
            }, cancellationToken).ConfigureAwait(false);
            records.AddRange(page.Items.Select(ToRecord));
        }
        return records;
    }

    /// <summary>The <c>since</c> filter for responses submitted at or after <paramref name="since"/>: UTC, whole seconds, as Typeform takes it.</summary>
    internal static string SinceFilter(DateTimeOffset since)
    {
        // Truncating to the second can only widen the window; the overlap is dropped downstream by fingerprint.
        var utc = since.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - utc.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero)
            .ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Each answer's value under its question's <c>ref</c> (the field id when a question has no ref): a number, text,
    /// email, boolean, date, URL or phone number as given, a choice as its label, several choices as their labels.
    /// </summary>
    internal static JObject AnswersByRef(JObject response)
    {
        var byRef = new JObject();
        foreach (var answer in (response["answers"] as JArray ?? []).OfType<JObject>())
        {
            var key = answer["field"]?.Value<string>("ref") ?? answer["field"]?.Value<string>("id");
            var type = answer.Value<string>("type");
            if (key is null || type is null) continue;
            byRef[key] = type switch
            {
                "choice" => answer["choice"]?["label"]?.DeepClone() ?? answer["choice"]?["other"]?.DeepClone(),
                "choices" => answer["choices"]?["labels"]?.DeepClone(),
                _ => answer[type]?.DeepClone(),
            };
        }
        return byRef;
    }

    private Record ToRecord(JObject response)
    {
        var token = response.Value<string>("token") ?? response.Value<string>("response_id") ?? throw Unexpected("a response came without its token.");
        if (!DateTimeOffset.TryParse(response.Value<string>("submitted_at"), CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var submitted))
        {
            throw Unexpected($"response {token} has no valid submitted_at.");
        }
        var data = (JObject)response.DeepClone();
        data[AnswersByRefField] = AnswersByRef(response);
        return new Record(new RecordKey($"{System}.{ResponsesStream}", token), submitted, data);
    }

    private void CheckStream(string stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (stream != ResponsesStream)
        {
            throw new ConnectorException(System, ConnectorErrorCode.InvalidRequest,
                $"Stream '{stream}' is not one this connector reads ({ResponsesStream}, the responses of form {_options.FormId}).");
        }
    }

    private async Task<TypeformResponsePage> ListAsync(TypeformResponseQuery query, CancellationToken cancellationToken)
    {
        IApiResponse<TypeformResponsePage> response;
        try
        {
            response = await _api.ListResponsesAsync(_options.FormId, query, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested
            && e is HttpRequestException or ExecutionRejectedException or ApiRequestException or OperationCanceledException)
        {
            // Refit and HttpClient exceptions carry the request, token header included: only the type goes out.
            throw new ConnectorException(System, ConnectorErrorCode.Unavailable, $"Typeform could not be reached ({e.GetType().Name}).");
        }
        using (response)
        {
            if (response.HasRequestError(out var requestError))
            {
                throw new ConnectorException(System, ConnectorErrorCode.Unavailable,
                    $"Typeform could not be reached ({requestError.InnerException?.GetType().Name ?? requestError.GetType().Name}).");
            }
            if (response.StatusCode is not { } status)
            {
                throw new ConnectorException(System, ConnectorErrorCode.Unavailable, "Typeform sent no response.");
            }
            if (response.IsSuccessStatusCode)
            {
                return response.Content ?? throw Unexpected($"HTTP {(int)status} with a body that is not a page of responses.");
            }
            var error = ErrorOf(response.HasResponseError(out var responseError) ? responseError.Content : null);
            var detail = error?.Code is { } code ? $"{code}: {Shorten(error.Description)}" : $"HTTP {(int)status}";
            throw status switch
            {
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new ConnectorException(System, ConnectorErrorCode.AuthenticationFailed,
                    $"Typeform refused the access token (HTTP {(int)status}); it needs the responses:read scope.", error?.Code),
                HttpStatusCode.TooManyRequests => new ConnectorException(System, ConnectorErrorCode.Throttled,
                    "Typeform answered HTTP 429 after all retries.", error?.Code ?? "429", RetryAfterHeader.Of(response.Headers)),
                >= HttpStatusCode.InternalServerError => new ConnectorException(System, ConnectorErrorCode.Unavailable,
                    $"Typeform kept failing ({detail}).", error?.Code),
                _ => new ConnectorException(System, ConnectorErrorCode.InvalidRequest,
                    $"Typeform refused the request for form {_options.FormId} ({detail}).", error?.Code),
            };
        }
    }

    private static TypeformError? ErrorOf(string? body)
    {
        if (string.IsNullOrWhiteSpace(body)) return null;
        try
        {
            return JsonConvert.DeserializeObject<TypeformError>(body, EnvelopeSettings);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private ConnectorException Unexpected(string what) =>
        new(System, ConnectorErrorCode.UnexpectedResponse, $"Typeform answered something unexpected: {what}");

    private static string Shorten(string? text)
    {
        const int Limit = 300;
        if (string.IsNullOrEmpty(text)) return "(no details)";
        return text.Length <= Limit ? text : string.Concat(text.AsSpan(0, Limit), "…");
    }
}
