using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Connectors.Sandbox.Typeform;

/// <summary>
/// An emulated Typeform account on loopback that answers the Responses API,
/// <c>GET /forms/{form_id}/responses</c>, as Typeform's reference describes it: <c>page_size</c> (default 25, at
/// most 1000), <c>since</c>/<c>until</c> (inclusive, Unix seconds or ISO 8601 UTC to the second),
/// <c>after</c>/<c>before</c> (a response token, exclusive, paging in the order the responses were processed,
/// refused together with <c>sort</c>), <c>sort</c> (default <c>submitted_at,desc</c>), <c>included_response_ids</c>,
/// <c>response_type</c> (completed by default), and <c>{ total_items, page_count, items }</c> answers. Bearer-token
/// auth (401 otherwise), 404 for an unknown form, a per-account request rate on the sandbox clock (429 beyond it),
/// and faults from <see cref="Faults"/> answered before the account sees the request.
/// </summary>
public sealed class TypeformSandbox : IAsyncDisposable
{
    /// <summary>The most responses one page holds.</summary>
    public const int MaxPageSize = 1000;

    /// <summary>The page size when none is asked for.</summary>
    public const int DefaultPageSize = 25;

    /// <summary>The webhook signature header: <c>sha256=</c> and the base64 HMAC-SHA256 of the raw body.</summary>
    public const string SignatureHeader = "Typeform-Signature";

    private readonly TypeformSandboxOptions _options;
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();
    private readonly List<SandboxResponse> _responses = [];
    private readonly ResponseGenerator _tokens = new(20_261_123);
    private SandboxServer? _server;
    private long _sequence;
    private double _allowance;
    private long _allowanceAt;
    private int _rateLimited;

    private TypeformSandbox(TypeformSandboxOptions options, TimeProvider clock)
    {
        _options = options;
        _clock = clock;
        _allowance = options.RequestsPerSecond;
        _allowanceAt = clock.GetTimestamp();
    }

    /// <summary>The API's base address; the connector's <c>BaseUrl</c>.</summary>
    public Uri BaseUrl => _server!.BaseUrl;

    /// <summary>The personal access token the account accepts.</summary>
    public string AccessToken => _options.AccessToken;

    /// <summary>The NPS form's id.</summary>
    public string FormId => _options.FormId;

    /// <summary>Every request received, in order, with the status answered.</summary>
    public RequestLog RequestLog { get; } = new();

    /// <summary>Faults to answer instead of the account (429, 5xx, any canned body).</summary>
    public FaultPlan Faults { get; } = new();

    /// <summary>How many requests were refused with 429 for going over the request rate.</summary>
    public int RateLimitedCount => Volatile.Read(ref _rateLimited);

    /// <summary>Every response, in the order Typeform processed them (copies).</summary>
    public IReadOnlyList<SandboxResponse> Responses
    {
        get
        {
            lock (_gate) return [.. _responses.Select(r => r.Clone())];
        }
    }

    /// <summary>Starts the account on a free loopback port.</summary>
    /// <param name="options">Token, form and request rate.</param>
    /// <param name="clock">The clock responses are stamped with and the request rate is measured on.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<TypeformSandbox> StartAsync(TypeformSandboxOptions options, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentException.ThrowIfNullOrEmpty(options.AccessToken);
        var sandbox = new TypeformSandbox(options, clock);
        sandbox._server = await SandboxServer.StartAsync(
            routes => routes.MapGet("/forms/{formId}/responses", sandbox.ListAsync),
            sandbox.RequestLog, sandbox.Faults, cancellationToken).ConfigureAwait(false);
        return sandbox;
    }

    /// <summary>
    /// Adds one response per entry of <paramref name="emails"/> (<see langword="null"/>: a respondent who left no
    /// email), submitted a few minutes apart and ending now, with deterministic scores and comments.
    /// </summary>
    public IReadOnlyList<SandboxResponse> Seed(IReadOnlyList<string?> emails, int seed)
    {
        ArgumentNullException.ThrowIfNull(emails);
        var generator = new ResponseGenerator(seed);
        var now = Truncate(_clock.GetUtcNow());
        lock (_gate)
        {
            return [.. emails.Select((email, i) =>
            {
                var response = new SandboxResponse();
                generator.Fill(response, email);
                response.SubmittedAt = now.AddMinutes(-3 * (emails.Count - 1 - i));
                response.LandedAt = response.SubmittedAt.AddSeconds(-generator.SecondsToAnswer());
                return Store(response).Clone();
            })];
        }
    }

    /// <summary>Records a response submitted now, filled in by <paramref name="fill"/>.</summary>
    public SandboxResponse AddResponse(Action<SandboxResponse> fill)
    {
        ArgumentNullException.ThrowIfNull(fill);
        var now = Truncate(_clock.GetUtcNow());
        lock (_gate)
        {
            var response = new SandboxResponse();
            fill(response);
            response.SubmittedAt = now;
            response.LandedAt = now.AddMinutes(-2);
            return Store(response).Clone();
        }
    }

    /// <summary>
    /// The <c>form_response</c> webhook Typeform would send for <paramref name="token"/>, signed with <paramref name="secret"/>
    /// as <c>Typeform-Signature: sha256=base64(HMAC-SHA256(body))</c>.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No response has <paramref name="token"/>.</exception>
    public TypeformSandboxDelivery WebhookDelivery(string token, string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        JObject response;
        lock (_gate)
        {
            response = (_responses.Find(r => r.Token == token) ?? throw new KeyNotFoundException($"The sandbox form has no response {token}.")).ToJson();
        }
        response.Remove("landing_id");
        response.Remove("response_id");
        response.Remove("metadata");
        response.AddFirst(new JProperty("form_id", _options.FormId));
        var body = new JObject
        {
            ["event_id"] = "01" + token[..24].ToUpperInvariant(),
            ["event_type"] = "form_response",
            ["form_response"] = response,
        };
        var bytes = Encoding.UTF8.GetBytes(body.ToString(Formatting.None));
        var signature = "sha256=" + Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), bytes));
        return new TypeformSandboxDelivery(bytes, new Dictionary<string, string>
        {
            [SignatureHeader] = signature,
            ["Content-Type"] = "application/json",
            ["User-Agent"] = "Typeform Webhooks",
        });
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync().ConfigureAwait(false);
    }

    private SandboxResponse Store(SandboxResponse response)
    {
        response.Token = _tokens.NextToken();
        response.Sequence = ++_sequence;
        _responses.Add(response);
        return response;
    }

    private async Task ListAsync(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.Ordinal)
            || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(authorization["Bearer ".Length..]), Encoding.UTF8.GetBytes(_options.AccessToken)))
        {
            await ErrorAsync(context, 401, "AUTHENTICATION_FAILED", "Authentication credentials not found on the Request Headers").ConfigureAwait(false);
            return;
        }
        if (!TakeRequest())
        {
            Interlocked.Increment(ref _rateLimited);
            await ErrorAsync(context, 429, "RATE_LIMIT_EXCEEDED", "Too many requests: the Responses API allows 2 requests per second per account.").ConfigureAwait(false);
            return;
        }
        var formId = context.Request.RouteValues["formId"] as string;
        if (formId != _options.FormId)
        {
            await ErrorAsync(context, 404, "FORM_NOT_FOUND", $"Non existing form with uid {formId}").ConfigureAwait(false);
            return;
        }
        var query = context.Request.Query;
        if (Parameter(query, "page_size") is { } size && (!int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed is < 1 or > MaxPageSize))
        {
            await ErrorAsync(context, 400, "VALIDATION_ERROR", $"page_size must be between 1 and {MaxPageSize}.").ConfigureAwait(false);
            return;
        }
        var pageSize = Parameter(query, "page_size") is { } given ? int.Parse(given, CultureInfo.InvariantCulture) : DefaultPageSize;
        if (!TryInstant(Parameter(query, "since"), out var since) || !TryInstant(Parameter(query, "until"), out var until))
        {
            await ErrorAsync(context, 400, "VALIDATION_ERROR", "since and until take Unix seconds or an ISO 8601 UTC date-time to the second.").ConfigureAwait(false);
            return;
        }
        var after = Parameter(query, "after");
        var before = Parameter(query, "before");
        var sort = Parameter(query, "sort");
        if ((after is not null || before is not null) && sort is not null)
        {
            await ErrorAsync(context, 400, "VALIDATION_ERROR", "after and before cannot be used together with sort.").ConfigureAwait(false);
            return;
        }
        if (sort is not null && sort is not ("submitted_at,asc" or "submitted_at,desc" or "landed_at,asc" or "landed_at,desc"))
        {
            await ErrorAsync(context, 400, "VALIDATION_ERROR", $"Unsupported sort '{sort}'.").ConfigureAwait(false);
            return;
        }
        var types = (Parameter(query, "response_type") ?? "completed").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var included = Parameter(query, "included_response_ids")?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .ToHashSet(StringComparer.Ordinal);

        JObject body;
        lock (_gate)
        {
            long? afterSequence = null, beforeSequence = null;
            if (after is not null && (afterSequence = _responses.Find(r => r.Token == after)?.Sequence) is null
                || before is not null && (beforeSequence = _responses.Find(r => r.Token == before)?.Sequence) is null)
            {
                body = null!;
            }
            else
            {
                IEnumerable<SandboxResponse> matching = _responses.Where(r =>
                    types.Contains("completed")
                    && (since is null || r.SubmittedAt >= since)
                    && (until is null || r.SubmittedAt <= until)
                    && (included is null || included.Contains(r.Token))
                    && (afterSequence is null || r.Sequence > afterSequence)
                    && (beforeSequence is null || r.Sequence < beforeSequence));
                // after/before page in the order the responses were processed; otherwise the sort decides.
                matching = (after, before, sort) switch
                {
                    (not null, _, _) => matching.OrderBy(r => r.Sequence),
                    (_, not null, _) => matching.OrderByDescending(r => r.Sequence),
                    (_, _, "submitted_at,asc") => matching.OrderBy(r => r.SubmittedAt).ThenBy(r => r.Sequence),
                    (_, _, "landed_at,asc") => matching.OrderBy(r => r.LandedAt).ThenBy(r => r.Sequence),
                    (_, _, "landed_at,desc") => matching.OrderByDescending(r => r.LandedAt).ThenByDescending(r => r.Sequence),
                    _ => matching.OrderByDescending(r => r.SubmittedAt).ThenByDescending(r => r.Sequence),
                };
                var all = matching.ToList();
                body = new JObject
                {
                    ["total_items"] = all.Count,
                    ["page_count"] = (all.Count + pageSize - 1) / pageSize,
                    ["items"] = new JArray(all.Take(pageSize).Select(r => r.ToJson())),
                };
            }
        }
        if (body is null)
        {
            await ErrorAsync(context, 400, "VALIDATION_ERROR", "after and before take the token of an existing response.").ConfigureAwait(false);
            return;
        }
        await JsonAsync(context, 200, body).ConfigureAwait(false);
    }

    // A bucket of RequestsPerSecond requests, refilled continuously on the sandbox clock.
    private bool TakeRequest()
    {
        if (_options.RequestsPerSecond <= 0) return true;
        lock (_gate)
        {
            var elapsed = _clock.GetElapsedTime(_allowanceAt);
            _allowance = Math.Min(_options.RequestsPerSecond, _allowance + elapsed.Ticks * _options.RequestsPerSecond / TimeSpan.TicksPerSecond);
            _allowanceAt = _clock.GetTimestamp();
            if (_allowance < 1 - 1e-9) return false;
            _allowance -= 1;
            return true;
        }
    }

    private static bool TryInstant(string? text, out DateTimeOffset? instant)
    {
        instant = null;
        if (text is null) return true;
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            instant = DateTimeOffset.FromUnixTimeSeconds(seconds);
            return true;
        }
        if (DateTimeOffset.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss'Z'"], CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            instant = parsed;
            return true;
        }
        return false;
    }

    private static DateTimeOffset Truncate(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - utc.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
    }

    private static string? Parameter(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var value) && !StringValues.IsNullOrEmpty(value) ? value.ToString() : null;

    private static Task ErrorAsync(HttpContext context, int status, string code, string description) =>
        JsonAsync(context, status, new JObject { ["code"] = code, ["description"] = description });

    private static Task JsonAsync(HttpContext context, int status, JObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(body.ToString(Formatting.None), context.RequestAborted);
    }
}
