using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Connectors.Sandbox.WooCommerce;

/// <summary>
/// An emulated WooCommerce store on loopback answering the REST API v3 as WooCommerce's controllers do
/// (<c>WC_REST_Customers_V1_Controller</c>, <c>WC_REST_CRUD_Controller</c>): <c>GET /wp-json/wc/v3/customers</c> and
/// <c>/orders</c> with <c>page</c>, <c>per_page</c> (1–100, default 10), <c>offset</c>, <c>include</c>, <c>exclude</c>,
/// <c>order</c>, <c>orderby</c> (customers: <c>id</c>, <c>include</c>, <c>name</c> (default), <c>registered_date</c>;
/// orders: <c>date</c> (default, ties by id), <c>id</c>, <c>include</c>, <c>title</c>, <c>slug</c>, <c>modified</c>), customers
/// <c>email</c> and <c>role</c> (default <c>customer</c>), orders <c>status</c> (default <c>any</c>: all but trash),
/// <c>customer</c>, <c>after</c>/<c>before</c>/<c>modified_after</c>/<c>modified_before</c> (exclusive, RFC 3339, a
/// zone-less value read in the column's time, a zoned one converted to the site's) and <c>dates_are_gmt</c>; parameters
/// an endpoint does not declare are ignored, as WordPress ignores them (so <c>modified_after</c> does nothing to
/// customers). Answers carry <c>X-WP-Total</c>, <c>X-WP-TotalPages</c>, <c>Link</c> and a <c>Date</c> from the sandbox
/// clock; a page past the last is an empty list. <c>GET …/customers/{id}</c> and <c>…/orders/{id}</c> too. Basic auth
/// with the consumer key and secret (accepted over plain HTTP here, where a real store would want OAuth 1.0a), 401 with
/// WooCommerce's codes otherwise, 400 <c>rest_invalid_param</c> for a bad parameter, 404 <c>rest_no_route</c>
/// elsewhere. Faults from <see cref="Faults"/> are answered before the store sees the request.
/// </summary>
public sealed partial class WooCommerceSandbox : IAsyncDisposable
{
    /// <summary>The most resources one page holds.</summary>
    public const int MaxPageSize = 100;

    /// <summary>The page size when none is asked for.</summary>
    public const int DefaultPageSize = 10;

    /// <summary>Where the API lives under the store's address.</summary>
    public const string ApiPath = "/wp-json/wc/v3";

    private static readonly string[] OrderStatuses = ["pending", "processing", "on-hold", "completed", "cancelled", "refunded", "failed", "checkout-draft"];
    private static readonly string[] Roles = ["customer", "subscriber", "administrator", "editor", "author", "contributor", "shop_manager"];

    private readonly WooCommerceSandboxOptions _options;
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();
    private readonly SortedDictionary<long, WooCustomer> _customers = [];
    private readonly SortedDictionary<long, WooOrder> _orders = [];
    private SandboxServer? _server;
    private long _nextUserId = 2;
    private long _nextOrderId = 100;
    private long _nextItemId = 1;
    private long _sequence;

    private WooCommerceSandbox(WooCommerceSandboxOptions options, TimeProvider clock)
    {
        _options = options;
        _clock = clock;
    }

    /// <summary>The store's address; the connector's <c>StoreUrl</c>.</summary>
    public Uri StoreUrl => _server!.BaseUrl;

    /// <summary>The consumer key the store accepts.</summary>
    public string ConsumerKey => _options.ConsumerKey;

    /// <summary>The consumer secret the store accepts.</summary>
    public string ConsumerSecret => _options.ConsumerSecret;

    /// <summary>Every request received, in order, with the status answered.</summary>
    public RequestLog RequestLog { get; } = new();

    /// <summary>Faults to answer instead of the store (401, 429 with Retry-After, 5xx, any canned body).</summary>
    public FaultPlan Faults { get; } = new();

    /// <summary>Every customer, by id (copies).</summary>
    public IReadOnlyList<WooCustomer> Customers
    {
        get
        {
            lock (_gate) return [.. _customers.Values.Select(c => c.Clone())];
        }
    }

    /// <summary>Every order, trashed ones included, by id (copies).</summary>
    public IReadOnlyList<WooOrder> Orders
    {
        get
        {
            lock (_gate) return [.. _orders.Values.Select(o => o.Clone())];
        }
    }

    /// <summary>The store's home URL, as <c>X-WC-Webhook-Source</c> names it.</summary>
    internal string HomeUrl => StoreUrl.ToString();

    /// <summary>The WooCommerce version the store reports.</summary>
    internal string Version => _options.WooCommerceVersion;

    /// <summary>Starts the store on a free loopback port.</summary>
    /// <param name="options">Keys, time zone and versions.</param>
    /// <param name="clock">The clock the store stamps changes and answers with.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<WooCommerceSandbox> StartAsync(WooCommerceSandboxOptions options, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentException.ThrowIfNullOrEmpty(options.ConsumerKey);
        ArgumentException.ThrowIfNullOrEmpty(options.ConsumerSecret);
        var store = new WooCommerceSandbox(options, clock);
        store._server = await SandboxServer.StartAsync(routes =>
        {
            routes.MapGet(ApiPath + "/customers", context => store.AnswerAsync(context, store.ListCustomers));
            routes.MapGet(ApiPath + "/customers/{id:long}", context => store.AnswerAsync(context, store.GetCustomer));
            routes.MapGet(ApiPath + "/orders", context => store.AnswerAsync(context, store.ListOrders));
            routes.MapGet(ApiPath + "/orders/{id:long}", context => store.AnswerAsync(context, store.GetOrder));
            routes.MapFallback(context => store.AnswerAsync(context, _ => Error(404, "rest_no_route", "No route was found matching the URL and request method."), anonymousAllowed: true));
        }, store.RequestLog, store.Faults, cancellationToken).ConfigureAwait(false);
        return store;
    }

    /// <summary>Adds <paramref name="count"/> deterministic, realistic customers (the same seed gives the same customers), user ids counting up.</summary>
    public IReadOnlyList<WooCustomer> Seed(int count, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var generator = new StoreGenerator(seed);
        var now = _clock.GetUtcNow();
        lock (_gate)
        {
            return [.. Enumerable.Range(0, count).Select(_ =>
            {
                var customer = new WooCustomer { Id = _nextUserId++ };
                generator.Fill(customer, ++_sequence, now);
                _customers[customer.Id] = customer;
                return customer.Clone();
            })];
        }
    }

    /// <summary>Adds <paramref name="count"/> deterministic orders of the store's customers (one in ten a guest checkout) placed in the last 60 days.</summary>
    public IReadOnlyList<WooOrder> SeedOrders(int count, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var generator = new StoreGenerator(seed);
        var now = _clock.GetUtcNow();
        lock (_gate)
        {
            var customers = _customers.Values.ToList();
            return [.. Enumerable.Range(0, count).Select(_ =>
            {
                _nextOrderId += generator.NextOrderIdGap();
                var order = new WooOrder { Id = _nextOrderId };
                var customer = customers.Count == 0 || generator.NextIsGuest() ? null : customers[generator.NextIndex(customers.Count)];
                generator.Fill(order, customer, now, () => _nextItemId++);
                _orders[order.Id] = order;
                return order.Clone();
            })];
        }
    }

    /// <summary>Registers a customer now, filled in by <paramref name="fill"/>.</summary>
    public WooCustomer AddCustomer(Action<WooCustomer> fill)
    {
        ArgumentNullException.ThrowIfNull(fill);
        var now = WholeSecond(_clock.GetUtcNow());
        lock (_gate)
        {
            var customer = new WooCustomer { Id = _nextUserId++ };
            fill(customer);
            customer.CreatedAt = now;
            customer.ModifiedAt = now;
            _customers[customer.Id] = customer;
            return customer.Clone();
        }
    }

    /// <summary>Changes a customer the way a save in WooCommerce does, stamping <c>date_modified</c> from the sandbox clock.</summary>
    /// <exception cref="KeyNotFoundException">No customer has <paramref name="id"/>.</exception>
    public WooCustomer UpdateCustomer(long id, Action<WooCustomer> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_gate)
        {
            var customer = _customers.GetValueOrDefault(id) ?? throw new KeyNotFoundException($"The sandbox store has no customer {id}.");
            change(customer);
            customer.ModifiedAt = WholeSecond(_clock.GetUtcNow());
            return customer.Clone();
        }
    }

    /// <summary>Deletes a customer; <see langword="false"/> if there was none.</summary>
    public bool DeleteCustomer(long id)
    {
        lock (_gate) return _customers.Remove(id);
    }

    /// <summary>A copy of one customer, or <see langword="null"/>.</summary>
    public WooCustomer? FindCustomer(long id)
    {
        lock (_gate) return _customers.GetValueOrDefault(id)?.Clone();
    }

    /// <summary>Places an order now, filled in by <paramref name="fill"/>.</summary>
    public WooOrder AddOrder(Action<WooOrder> fill)
    {
        ArgumentNullException.ThrowIfNull(fill);
        var now = WholeSecond(_clock.GetUtcNow());
        lock (_gate)
        {
            var order = new WooOrder { Id = ++_nextOrderId };
            fill(order);
            foreach (var line in order.LineItems.Where(l => l.Id == 0)) line.Id = _nextItemId++;
            order.CreatedAt = now;
            order.ModifiedAt = now;
            _orders[order.Id] = order;
            return order.Clone();
        }
    }

    /// <summary>Changes an order the way a save in WooCommerce does, stamping <c>date_modified</c> from the sandbox clock.</summary>
    /// <exception cref="KeyNotFoundException">No order has <paramref name="id"/>.</exception>
    public WooOrder UpdateOrder(long id, Action<WooOrder> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_gate)
        {
            var order = _orders.GetValueOrDefault(id) ?? throw new KeyNotFoundException($"The sandbox store has no order {id}.");
            change(order);
            foreach (var line in order.LineItems.Where(l => l.Id == 0)) line.Id = _nextItemId++;
            order.ModifiedAt = WholeSecond(_clock.GetUtcNow());
            return order.Clone();
        }
    }

    /// <summary>A copy of one order, or <see langword="null"/>.</summary>
    public WooOrder? FindOrder(long id)
    {
        lock (_gate) return _orders.GetValueOrDefault(id)?.Clone();
    }

    /// <summary>
    /// The delivery the store's webhook <paramref name="webhookId"/> would POST for <paramref name="topic"/>
    /// (<c>customer.updated</c>, <c>order.created</c>, <c>customer.deleted</c>…) about resource <paramref name="id"/>, signed
    /// with <paramref name="secret"/> as WooCommerce signs: the body is the resource as the API returns it (only
    /// <c>{"id": …}</c> for a deletion), encoded as PHP's <c>wp_json_encode</c> does (slashes and non-ASCII escaped), and
    /// <c>X-WC-Webhook-Delivery-ID</c> is a hash of the webhook id and the sandbox clock's second, as <c>wp_hash</c> makes it.
    /// </summary>
    /// <exception cref="KeyNotFoundException">The resource is not in the store (and the event is not a deletion).</exception>
    public WooCommerceSandboxDelivery WebhookDelivery(string topic, long id, string secret, long webhookId = 1)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        ArgumentException.ThrowIfNullOrEmpty(secret);
        var (resource, @event) = topic.Split('.', 2) is [var r, var e] ? (r, e) : throw new ArgumentException($"'{topic}' is not resource.event.", nameof(topic));
        JObject payload;
        lock (_gate)
        {
            payload = @event == "deleted" ? new JObject { ["id"] = id } : resource switch
            {
                "customer" => (_customers.GetValueOrDefault(id) ?? throw new KeyNotFoundException($"The sandbox store has no customer {id}.")).ToJson(this),
                "order" => (_orders.GetValueOrDefault(id) ?? throw new KeyNotFoundException($"The sandbox store has no order {id}.")).ToJson(this),
                _ => throw new ArgumentException($"The sandbox store sends no '{resource}' webhooks.", nameof(topic)),
            };
        }
        var body = Encoding.UTF8.GetBytes(PhpJson(payload));
        return new WooCommerceSandboxDelivery(body, new Dictionary<string, string>
        {
            ["Content-Type"] = "application/json",
            ["User-Agent"] = UserAgent,
            ["X-WC-Webhook-Source"] = HomeUrl,
            ["X-WC-Webhook-Topic"] = topic,
            ["X-WC-Webhook-Resource"] = resource,
            ["X-WC-Webhook-Event"] = @event,
            ["X-WC-Webhook-Signature"] = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(SpecialCharsDecoded(secret)), body)),
            ["X-WC-Webhook-ID"] = webhookId.ToString(CultureInfo.InvariantCulture),
            ["X-WC-Webhook-Delivery-ID"] = DeliveryId(webhookId),
        });
    }

    /// <summary>The ping a webhook sends when it is created: the unsigned form body <c>webhook_id={id}</c>.</summary>
    public WooCommerceSandboxDelivery Ping(long webhookId) =>
        new(Encoding.UTF8.GetBytes($"webhook_id={webhookId.ToString(CultureInfo.InvariantCulture)}"), new Dictionary<string, string>
        {
            ["Content-Type"] = "application/x-www-form-urlencoded",
            ["User-Agent"] = UserAgent,
        });

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Whole seconds, UTC, as WooCommerce stamps.</summary>
    internal static DateTimeOffset WholeSecond(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - utc.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
    }

    /// <summary>A GMT stamp as the API writes it: <c>2026-11-23T09:15:30</c>, no zone designator.</summary>
    internal static string? Gmt(DateTimeOffset? value) =>
        value?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>The same instant in the site's time zone, no zone designator.</summary>
    internal string? Local(DateTimeOffset? value) =>
        value is { } at ? (at.UtcDateTime + _options.SiteUtcOffset).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) : null;

    /// <summary>The <c>_links</c> of a resource.</summary>
    internal JObject Links(string collection, long id) => new()
    {
        ["self"] = new JArray(new JObject { ["href"] = $"{HomeUrl}wp-json/wc/v3/{collection}/{id.ToString(CultureInfo.InvariantCulture)}" }),
        ["collection"] = new JArray(new JObject { ["href"] = $"{HomeUrl}wp-json/wc/v3/{collection}" }),
    };

    private string UserAgent => $"WooCommerce/{_options.WooCommerceVersion} Hookshot (WordPress/{_options.WordPressVersion})";

    // wp_hash( webhook id . time() ): an HMAC-MD5 with the site's salt, the same for one webhook within one second.
    private string DeliveryId(long webhookId)
    {
        var data = Encoding.UTF8.GetBytes(webhookId.ToString(CultureInfo.InvariantCulture) + _clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        return Convert.ToHexStringLower(HMACMD5.HashData(Encoding.UTF8.GetBytes(_options.Salt), data));
    }

    // wp_json_encode with PHP's default flags escapes '/' and every non-ASCII character; '/' only occurs inside strings.
    private static string PhpJson(JToken json)
    {
        var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var writer = new JsonTextWriter(text) { StringEscapeHandling = StringEscapeHandling.EscapeNonAscii })
        {
            json.WriteTo(writer);
        }
        return text.ToString().Replace("/", "\\/", StringComparison.Ordinal);
    }

    // wp_specialchars_decode( $secret, ENT_QUOTES ), which WooCommerce applies to the secret before signing.
    private static string SpecialCharsDecoded(string text) => Entity().Replace(text, match =>
    {
        var entity = match.Groups[1].Value;
        if (entity.StartsWith('#'))
        {
            var hex = entity[1] is 'x' or 'X';
            var code = int.Parse(entity[(hex ? 2 : 1)..], hex ? NumberStyles.HexNumber : NumberStyles.None, CultureInfo.InvariantCulture);
            return ((char)code).ToString();
        }
        return entity switch { "quot" => "\"", "lt" => "<", "gt" => ">", _ => "&" };
    });

    [GeneratedRegex("&(quot|lt|gt|amp|#0*(?:39|34|60|62|38)|#[xX]0*(?:27|22|26));", RegexOptions.CultureInvariant)]
    private static partial Regex Entity();

    private async Task AnswerAsync(HttpContext context, Func<HttpContext, Answer> handle, bool anonymousAllowed = false)
    {
        // The store's own clock, which the connector holds its checkpoint back by.
        context.Response.Headers.Date = _clock.GetUtcNow().ToString("R", CultureInfo.InvariantCulture);
        var answer = Authenticate(context.Request, anonymousAllowed) ?? handle(context);
        context.Response.StatusCode = answer.Status;
        foreach (var (name, value) in answer.Headers) context.Response.Headers[name] = value;
        context.Response.ContentType = "application/json; charset=UTF-8";
        await context.Response.WriteAsync(PhpJson(answer.Body), context.RequestAborted).ConfigureAwait(false);
    }

    // WC_REST_Authentication over Basic auth: an unknown or missing key leaves the request anonymous (the endpoint's
    // permission check then answers woocommerce_rest_cannot_view); a known key with the wrong secret is refused outright.
    private Answer? Authenticate(HttpRequest request, bool anonymousAllowed)
    {
        var header = request.Headers.Authorization.ToString();
        string? key = null, secret = null;
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
                var colon = pair.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0) (key, secret) = (pair[..colon], pair[(colon + 1)..]);
            }
            catch (FormatException)
            {
                key = null;
            }
        }
        if (key is null || !FixedTimeEquals(key, _options.ConsumerKey))
        {
            var message = request.RouteValues.ContainsKey("id") ? "Sorry, you cannot view this resource." : "Sorry, you cannot list resources.";
            return anonymousAllowed ? null : Error(401, "woocommerce_rest_cannot_view", message);
        }
        return FixedTimeEquals(secret!, _options.ConsumerSecret) ? null : Error(401, "woocommerce_rest_authentication_error", "Consumer secret is invalid.");
    }

    private static bool FixedTimeEquals(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));

    private Answer ListCustomers(HttpContext context)
    {
        var query = context.Request.Query;
        var problems = new JObject();
        var paging = Paging(query, problems);
        var order = Enum(query, "order", ["asc", "desc"], "asc", problems);
        var orderBy = Enum(query, "orderby", ["id", "include", "name", "registered_date"], "name", problems);
        var role = Enum(query, "role", ["all", .. Roles], "customer", problems);
        var include = Ids(query, "include");
        var exclude = Ids(query, "exclude");
        var email = Parameter(query, "email");
        if (problems.Count > 0) return Invalid(problems);

        lock (_gate)
        {
            IEnumerable<WooCustomer> matching = _customers.Values.Where(c =>
                (role == "all" || c.Role == role)
                && (include.Count == 0 || include.Contains(c.Id))
                && !exclude.Contains(c.Id)
                && (email is null || string.Equals(c.Email, email, StringComparison.OrdinalIgnoreCase)));
            var descending = order == "desc";
            matching = orderBy switch
            {
                "id" => Sort(matching, c => c.Id, descending),
                "include" => matching.OrderBy(c => include.IndexOf(c.Id)),
                "registered_date" => Sort(matching, c => c.CreatedAt, descending),
                _ => Sort(matching, c => $"{c.FirstName} {c.LastName}", descending),
            };
            return Page(context, matching.ToList(), paging, c => c.ToJson(this));
        }
    }

    private Answer ListOrders(HttpContext context)
    {
        var query = context.Request.Query;
        var problems = new JObject();
        var paging = Paging(query, problems);
        var order = Enum(query, "order", ["asc", "desc"], "desc", problems);
        var orderBy = Enum(query, "orderby", ["date", "id", "include", "title", "slug", "modified"], "date", problems);
        var gmt = Boolean(query, "dates_are_gmt", problems);
        var after = Date(query, "after", gmt, problems);
        var before = Date(query, "before", gmt, problems);
        var modifiedAfter = Date(query, "modified_after", gmt, problems);
        var modifiedBefore = Date(query, "modified_before", gmt, problems);
        var statuses = (Parameter(query, "status") ?? "any").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (statuses.Any(s => s is not ("any" or "trash") && !OrderStatuses.Contains(s)))
        {
            problems["status"] = $"status[0] is not one of any, trash, {string.Join(", ", OrderStatuses)}.";
        }
        var customer = Parameter(query, "customer") is { } given && long.TryParse(given, NumberStyles.None, CultureInfo.InvariantCulture, out var customerId) ? customerId : (long?)null;
        var include = Ids(query, "include");
        var exclude = Ids(query, "exclude");
        if (problems.Count > 0) return Invalid(problems);

        // The filters compare the GMT or the local column; a zone-less value is read in that column's own time.
        DateTimeOffset Column(DateTimeOffset utc) => gmt ? utc : utc + _options.SiteUtcOffset;
        lock (_gate)
        {
            IEnumerable<WooOrder> matching = _orders.Values.Where(o =>
                (statuses.Contains("any") ? o.Status != "trash" : statuses.Contains(o.Status))
                && (include.Count == 0 || include.Contains(o.Id))
                && !exclude.Contains(o.Id)
                && (customer is null || o.CustomerId == customer)
                && (after is null || Column(o.CreatedAt) > after)
                && (before is null || Column(o.CreatedAt) < before)
                && (modifiedAfter is null || Column(o.ModifiedAt) > modifiedAfter)
                && (modifiedBefore is null || Column(o.ModifiedAt) < modifiedBefore));
            var descending = order == "desc";
            // WordPress adds the id to date and modified orderings "for consistency with pagination".
            matching = orderBy switch
            {
                "modified" => descending ? matching.OrderByDescending(o => o.ModifiedAt).ThenByDescending(o => o.Id) : matching.OrderBy(o => o.ModifiedAt).ThenBy(o => o.Id),
                "include" => matching.OrderBy(o => include.IndexOf(o.Id)),
                "id" or "title" or "slug" => Sort(matching, o => o.Id, descending),
                _ => descending ? matching.OrderByDescending(o => o.CreatedAt).ThenByDescending(o => o.Id) : matching.OrderBy(o => o.CreatedAt).ThenBy(o => o.Id),
            };
            return Page(context, matching.ToList(), paging, o => o.ToJson(this));
        }
    }

    private Answer GetCustomer(HttpContext context)
    {
        var id = long.Parse((string)context.Request.RouteValues["id"]!, CultureInfo.InvariantCulture);
        lock (_gate)
        {
            return _customers.GetValueOrDefault(id) is { } customer
                ? new Answer(200, customer.ToJson(this), [])
                : Error(404, "woocommerce_rest_invalid_id", "Invalid resource ID.");
        }
    }

    private Answer GetOrder(HttpContext context)
    {
        var id = long.Parse((string)context.Request.RouteValues["id"]!, CultureInfo.InvariantCulture);
        lock (_gate)
        {
            return _orders.GetValueOrDefault(id) is { } order
                ? new Answer(200, order.ToJson(this), [])
                : Error(404, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.");
        }
    }

    private static Answer Page<T>(HttpContext context, List<T> matching, (int Page, int PerPage, int? Offset) paging, Func<T, JObject> toJson)
    {
        var skip = paging.Offset ?? (paging.Page - 1) * paging.PerPage;
        var pages = (matching.Count + paging.PerPage - 1) / paging.PerPage;
        var headers = new List<(string, string)>
        {
            ("X-WP-Total", matching.Count.ToString(CultureInfo.InvariantCulture)),
            ("X-WP-TotalPages", pages.ToString(CultureInfo.InvariantCulture)),
        };
        var links = new List<string>();
        var here = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.Path}";
        if (paging.Page > 1) links.Add($"<{here}?page={Math.Min(paging.Page - 1, Math.Max(pages, 1)).ToString(CultureInfo.InvariantCulture)}>; rel=\"prev\"");
        if (pages > paging.Page) links.Add($"<{here}?page={(paging.Page + 1).ToString(CultureInfo.InvariantCulture)}>; rel=\"next\"");
        if (links.Count > 0) headers.Add(("Link", string.Join(", ", links)));
        return new Answer(200, new JArray(matching.Skip(skip).Take(paging.PerPage).Select(toJson)), headers);
    }

    private static (int Page, int PerPage, int? Offset) Paging(IQueryCollection query, JObject problems)
    {
        var page = Integer(query, "page", 1, 1, int.MaxValue, problems);
        var perPage = Integer(query, "per_page", DefaultPageSize, 1, MaxPageSize, problems);
        var offset = Parameter(query, "offset") is { } text && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : (int?)null;
        return (page, perPage, offset);
    }

    private static int Integer(IQueryCollection query, string name, int fallback, int minimum, int maximum, JObject problems)
    {
        if (Parameter(query, name) is not { } text) return fallback;
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            problems[name] = $"{name} is not of type integer.";
            return fallback;
        }
        if (value < minimum || value > maximum)
        {
            problems[name] = maximum == int.MaxValue
                ? $"{name} must be greater than or equal to {minimum}"
                : $"{name} must be between {minimum} (inclusive) and {maximum} (inclusive)";
            return fallback;
        }
        return value;
    }

    private static string Enum(IQueryCollection query, string name, string[] allowed, string fallback, JObject problems)
    {
        if (Parameter(query, name) is not { } text) return fallback;
        if (allowed.Contains(text)) return text;
        problems[name] = $"{name} is not one of {string.Join(", ", allowed)}.";
        return fallback;
    }

    private static bool Boolean(IQueryCollection query, string name, JObject problems)
    {
        var text = Parameter(query, name)?.ToLowerInvariant();
        switch (text)
        {
            case null or "false" or "0": return false;
            case "true" or "1": return true;
            default:
                problems[name] = $"{name} is not of type boolean.";
                return false;
        }
    }

    // rest_parse_date's RFC 3339 shape; WP_Date_Query then reads a zone-less value as is and converts a zoned one to the
    // site's time zone, whichever column it is compared with.
    private DateTimeOffset? Date(IQueryCollection query, string name, bool gmt, JObject problems)
    {
        if (Parameter(query, name) is not { } text) return null;
        var match = Rfc3339().Match(text);
        if (!match.Success)
        {
            problems[name] = "Invalid date.";
            return null;
        }
        var local = DateTime.ParseExact(match.Groups[1].Value.Replace(' ', 'T').Replace('t', 'T'), "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        if (match.Groups[2].Length == 0) return new DateTimeOffset(local, TimeSpan.Zero);
        var zone = match.Groups[2].Value is "Z" or "z" ? TimeSpan.Zero : TimeSpan.Parse(match.Groups[2].Value.TrimStart('+'), CultureInfo.InvariantCulture);
        var instant = new DateTimeOffset(local, zone);
        return new DateTimeOffset(instant.UtcDateTime + _options.SiteUtcOffset, TimeSpan.Zero);
    }

    [GeneratedRegex(@"^(\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2})(?:\.\d+)?(Z|z|[+-]\d{2}:\d{2})?$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();

    // wp_parse_id_list: a comma- or space-separated list, or include[]=… repeated.
    private static List<long> Ids(IQueryCollection query, string name)
    {
        var values = new StringValues([.. query[name], .. query[name + "[]"]]);
        return [.. values.SelectMany(v => (v ?? "").Split([',', ' '], StringSplitOptions.RemoveEmptyEntries))
            .Select(v => long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0)
            .Where(id => id > 0)
            .Distinct()];
    }

    private static IOrderedEnumerable<T> Sort<T, TKey>(IEnumerable<T> items, Func<T, TKey> key, bool descending) =>
        descending ? items.OrderByDescending(key) : items.OrderBy(key);

    private static string? Parameter(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var value) && !StringValues.IsNullOrEmpty(value) ? value.ToString() : null;

    private static Answer Invalid(JObject problems) => new(400, new JObject
    {
        ["code"] = "rest_invalid_param",
        ["message"] = $"Invalid parameter(s): {string.Join(", ", problems.Properties().Select(p => p.Name))}",
        ["data"] = new JObject { ["status"] = 400, ["params"] = problems },
    }, []);

    private static Answer Error(int status, string code, string message) => new(status, new JObject
    {
        ["code"] = code,
        ["message"] = message,
        ["data"] = new JObject { ["status"] = status },
    }, []);

    /// <summary>What the store answers: status, JSON body, extra headers.</summary>
    private sealed record Answer(int Status, JToken Body, IReadOnlyList<(string Name, string Value)> Headers);
}
