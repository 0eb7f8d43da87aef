using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Connectors.Sandbox.Shopify;

/// <summary>
/// An emulated Shopify store on loopback that answers the GraphQL Admin API
/// (<c>POST /admin/api/{version}/graphql.json</c>) for customers: cursor paging with opaque cursors and
/// at most 250 per page, the <c>updated_at</c> search filter, <c>sortKey: UPDATED_AT</c> with ties broken by
/// id, <c>nodes(ids:)</c>, 401 for a missing or wrong token, and the calculated-cost leaky bucket on the
/// sandbox clock (THROTTLED when short, <c>extensions.cost</c> on every answer). Faults switched on in
/// <see cref="Faults"/> (429 with Retry-After, 5xx) are answered before the store sees the request.
/// </summary>
public sealed partial class ShopifySandbox : IAsyncDisposable
{
    private const string AccessTokenHeader = "X-Shopify-Access-Token";

    private readonly SandboxServer _server;
    private readonly AdminGraphQLEndpoint _endpoint;
    private readonly ShopifySandboxOptions _options;
    private readonly TimeProvider _clock;

    private ShopifySandbox(SandboxServer server, AdminGraphQLEndpoint endpoint, ShopifySandboxOptions options, TimeProvider clock,
        RequestLog log, FaultPlan faults)
    {
        _server = server;
        _endpoint = endpoint;
        _options = options;
        _clock = clock;
        RequestLog = log;
        Faults = faults;
    }

    /// <summary>The store's address; the connector's <c>ShopUrl</c>.</summary>
    public Uri ShopUrl => _server.BaseUrl;

    /// <summary>The access token the store accepts.</summary>
    public string AccessToken => _options.AccessToken;

    /// <summary>The store's <c>*.myshopify.com</c> domain.</summary>
    public string ShopDomain => _options.ShopDomain;

    /// <summary>Every request received, in order, with the status answered.</summary>
    public RequestLog RequestLog { get; }

    /// <summary>Faults to answer instead of the store (429 with Retry-After, 5xx, any canned body).</summary>
    public FaultPlan Faults { get; }

    /// <summary>How many queries were refused as THROTTLED so far.</summary>
    public int ThrottledCount
    {
        get
        {
            lock (_endpoint.Gate) return _endpoint.Throttled;
        }
    }

    /// <summary>The cost points available now.</summary>
    public double CurrentlyAvailable
    {
        get
        {
            lock (_endpoint.Gate) return _endpoint.Bucket.Available();
        }
    }

    /// <summary>All customers, ordered by id (copies: change them through <see cref="UpdateCustomer"/>).</summary>
    public IReadOnlyList<SandboxCustomer> Customers
    {
        get
        {
            lock (_endpoint.Gate) return [.. _endpoint.Customers.All.Select(c => c.Clone())];
        }
    }

    /// <summary>Starts the store on a free loopback port.</summary>
    /// <param name="options">How the store behaves.</param>
    /// <param name="clock">The clock the store stamps changes with and refills the cost bucket by.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<ShopifySandbox> StartAsync(ShopifySandboxOptions options, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentException.ThrowIfNullOrEmpty(options.AccessToken);
        var endpoint = new AdminGraphQLEndpoint(options, clock);
        var log = new RequestLog();
        var faults = new FaultPlan();
        var server = await SandboxServer.StartAsync(
            routes => routes.MapPost("/admin/api/{version}/graphql.json", context => HandleAsync(context, endpoint, options)),
            log, faults, cancellationToken).ConfigureAwait(false);
        return new ShopifySandbox(server, endpoint, options, clock, log, faults);
    }

    /// <summary>Adds <paramref name="count"/> deterministic, realistic customers (the same seed gives the same customers).</summary>
    public IReadOnlyList<SandboxCustomer> Seed(int count, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var generator = new CustomerGenerator(seed);
        var now = _clock.GetUtcNow();
        lock (_endpoint.Gate)
        {
            return [.. Enumerable.Range(0, count)
                .Select(_ => _endpoint.Customers.Add(generator.NextIdGap(), (customer, sequence) => generator.Fill(customer, sequence, now)))
                .Select(c => c.Clone())];
        }
    }

    /// <summary>Creates a customer now, filled in by <paramref name="fill"/>.</summary>
    public SandboxCustomer AddCustomer(Action<SandboxCustomer> fill)
    {
        ArgumentNullException.ThrowIfNull(fill);
        var now = CustomerGenerator.Truncate(_clock.GetUtcNow());
        lock (_endpoint.Gate)
        {
            return _endpoint.Customers.Add(1, (customer, _) =>
            {
                fill(customer);
                customer.CreatedAt = now;
                customer.UpdatedAt = now;
            }).Clone();
        }
    }

    /// <summary>Changes a customer the way an edit in the Shopify admin would, stamping <c>updatedAt</c> from the sandbox clock.</summary>
    /// <exception cref="KeyNotFoundException">No customer has <paramref name="id"/>.</exception>
    public SandboxCustomer UpdateCustomer(long id, Action<SandboxCustomer> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_endpoint.Gate)
        {
            var customer = _endpoint.Customers.Find(id) ?? throw new KeyNotFoundException($"The sandbox store has no customer {id}.");
            _endpoint.Customers.Change(customer, c =>
            {
                change(c);
                c.UpdatedAt = CustomerGenerator.Truncate(_clock.GetUtcNow());
            });
            return customer.Clone();
        }
    }

    /// <summary>Deletes a customer; <see langword="false"/> if there was none.</summary>
    public bool DeleteCustomer(long id)
    {
        lock (_endpoint.Gate) return _endpoint.Customers.Remove(id);
    }

    /// <summary>A copy of one customer, or <see langword="null"/>.</summary>
    public SandboxCustomer? FindCustomer(long id)
    {
        lock (_endpoint.Gate) return _endpoint.Customers.Find(id)?.Clone();
    }

    /// <summary>Leaves only <paramref name="available"/> points in the cost bucket, as if the same app had just spent the rest.</summary>
    public void DrainCostBucket(double available)
    {
        lock (_endpoint.Gate) _endpoint.Bucket.Set(available);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private static async Task HandleAsync(HttpContext context, AdminGraphQLEndpoint endpoint, ShopifySandboxOptions options)
    {
        var version = context.Request.RouteValues["version"] as string ?? "";
        if (!VersionPattern().IsMatch(version))
        {
            await AnswerAsync(context, StatusCodes.Status404NotFound, new JObject { ["errors"] = "Not Found" }).ConfigureAwait(false);
            return;
        }
        if (!TokenMatches(context.Request.Headers[AccessTokenHeader].ToString(), options.AccessToken))
        {
            await AnswerAsync(context, StatusCodes.Status401Unauthorized,
                new JObject { ["errors"] = "[API] Invalid API key or access token (unrecognized login or wrong password)" }).ConfigureAwait(false);
            return;
        }

        string text;
        using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8))
        {
            text = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        }
        JObject? request;
        try
        {
            request = JsonConvert.DeserializeObject<JToken>(text, new JsonSerializerSettings { DateParseHandling = DateParseHandling.None }) as JObject;
        }
        catch (JsonException)
        {
            request = null;
        }
        if (request?["query"] is not JValue { Type: JTokenType.String, Value: string query })
        {
            await AnswerAsync(context, StatusCodes.Status400BadRequest,
                new JObject { ["errors"] = new JObject { ["query"] = "Required parameter missing or invalid" } }).ConfigureAwait(false);
            return;
        }
        var (status, body) = endpoint.Execute(query, request["variables"] as JObject ?? []);
        await AnswerAsync(context, status, body).ConfigureAwait(false);
    }

    private static bool TokenMatches(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));

    private static Task AnswerAsync(HttpContext context, int status, JObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(body.ToString(Formatting.None), context.RequestAborted);
    }

    [GeneratedRegex(@"^(\d{4}-\d{2}|unstable)$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();
}
