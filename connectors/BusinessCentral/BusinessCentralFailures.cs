using Connectors.Core.Http;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.ExceptionServices;
using System.Text.RegularExpressions;
using Connectors.Core.Connectors;
using Connectors.Core.Records;
using Newtonsoft.Json;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Refit;

namespace Connectors.BusinessCentral;

/// <summary>
/// Turns Business Central's failure answers into what the engine routes: a whole-call
/// <see cref="ConnectorException"/> for reads, a per-record <see cref="WriteOutcome"/> for writes.
/// </summary>
internal static partial class BusinessCentralFailures
{
    /// <summary>The code Business Central gives a write whose If-Match etag is no longer current.</summary>
    public const string EntityChanged = "Request_EntityChanged";

    /// <summary>
    /// Awaits a Refit call and hands back its response, or rethrows what kept it from being answered, unwrapped
    /// from Refit's <see cref="ApiRequestException"/>: our own <see cref="ConnectorException"/> (no token could be
    /// had), cancellation, or a transport failure that <see cref="IsUnreachable"/> recognises.
    /// </summary>
    public static async Task<T> ReceivedAsync<T>(Task<T> call) where T : IApiResponse
    {
        T response;
        try
        {
            response = await call.ConfigureAwait(false);
        }
        catch (ApiRequestException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
        if (response.HasRequestError(out var error))
        {
            response.Dispose();
            ExceptionDispatchInfo.Throw(error.InnerException ?? error);
        }
        return response;
    }

    /// <summary>Whether a call failed without an answer for a reason a later attempt may not have: network, timeout, open circuit.</summary>
    public static bool IsUnreachable(Exception e) =>
        e is HttpRequestException or TimeoutRejectedException or BrokenCircuitException or ApiRequestException;

    /// <summary>The response body of a failed call, when there was one.</summary>
    public static string? Body(IApiResponse response) => (response.Error as ApiException)?.Content;

    /// <summary>Reads the OData error envelope; <see langword="null"/> when the body is not one (a proxy's HTML page, say).</summary>
    public static BusinessCentralError? ReadError(string? body)
    {
        if (string.IsNullOrWhiteSpace(body)) return null;
        try
        {
            return JsonConvert.DeserializeObject<BusinessCentralErrorResponse>(body)?.Error;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Whether a conditional write failed because the entity moved on. Business Central names this
    /// <c>Request_EntityChanged</c>; the status is 412 by the OData standard, and some versions answer 409.
    /// </summary>
    public static bool IsStale(HttpStatusCode status, BusinessCentralError? error) =>
        status == HttpStatusCode.PreconditionFailed
        || (status == HttpStatusCode.Conflict && string.Equals(error?.Code, EntityChanged, StringComparison.Ordinal));

    /// <summary>The exception for a read (or any call that cannot be answered per record) that failed as a whole.</summary>
    public static ConnectorException CallFailed(string system, string what, HttpStatusCode status, string? body, HttpResponseHeaders? headers)
    {
        var error = ReadError(body);
        var detail = Describe(status, error);
        return status switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new ConnectorException(system,
                ConnectorErrorCode.AuthenticationFailed, $"{what}: Business Central refused the app's token ({detail}).", error?.Code),
            HttpStatusCode.TooManyRequests => new ConnectorException(system, ConnectorErrorCode.Throttled,
                $"{what}: Business Central throttled the call ({detail}).", error?.Code, RetryAfterHeader.Of(headers)),
            HttpStatusCode.RequestTimeout or >= HttpStatusCode.InternalServerError => new ConnectorException(system,
                ConnectorErrorCode.Unavailable, $"{what}: Business Central failed ({detail}).", error?.Code, RetryAfterHeader.Of(headers)),
            _ when error is null && (int)status is >= 200 and < 300 => new ConnectorException(system,
                ConnectorErrorCode.UnexpectedResponse, $"{what}: Business Central answered {(int)status} with a body that is not the expected JSON."),
            _ => new ConnectorException(system, ConnectorErrorCode.InvalidRequest, $"{what}: Business Central rejected the call ({detail}).", error?.Code),
        };
    }

    /// <summary>The exception for a call that never got an answer: network failure, attempt timeout, open circuit.</summary>
    public static ConnectorException Unreachable(string system, string what, Exception e) =>
        // The inner exception is left out on purpose: only its type is useful, and nothing of the request may leak.
        new(system, ConnectorErrorCode.Unavailable, $"{what}: Business Central could not be reached ({e.GetType().Name}).");

    /// <summary>
    /// The outcome of one record's write that Business Central refused. Throttling and outages are
    /// <see cref="WriteOutcome.RetryLater"/>; a refused token fails the whole call; the rest is the record's fault.
    /// </summary>
    public static WriteOutcome RecordFailed(string system, RecordKey source, HttpStatusCode status, string? body, HttpResponseHeaders? headers)
    {
        var error = ReadError(body);
        switch (status)
        {
            case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                throw CallFailed(system, $"writing {source}", status, body, headers);
            case HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout or >= HttpStatusCode.InternalServerError:
                return new WriteOutcome.RetryLater(source, RetryAfterHeader.Of(headers) ?? TimeSpan.Zero, Describe(status, error));
            default:
                var message = error?.Message ?? $"Business Central answered {(int)status} without an error body.";
                return new WriteOutcome.Rejected(source, error?.Code ?? $"HTTP_{(int)status}", FieldNamedIn(message), message);
        }
    }

    /// <summary>
    /// The field a Business Central message blames, when it names one: <c>The property 'x' does not exist…</c>,
    /// <c>Field 'x' must not be blank…</c>, <c>The field X of table Y contains a value…</c>.
    /// </summary>
    public static string? FieldNamedIn(string message)
    {
        var match = FieldPattern().Match(message);
        return match.Success ? match.Groups["field"].Value.Trim() : null;
    }

    private static string Describe(HttpStatusCode status, BusinessCentralError? error) =>
        error is null
            ? ((int)status).ToString(CultureInfo.InvariantCulture)
            : $"{(int)status} {error.Code}: {error.Message}";

    [GeneratedRegex(@"(?:\b(?:[Pp]roperty|[Ff]ield) '(?<field>[^']+)')|(?:\bThe field (?<field>.+?) of table\b)", RegexOptions.CultureInvariant)]
    private static partial Regex FieldPattern();
}
