using System.Globalization;
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
/// (<c>POST /admin/api/{version}/graphql.json</c>) for customers, orders (with their line items as a nested
/// connection) and products: cursor paging with opaque cursors and at most 250 per page, the
/// <c>updated_at</c> search filter, <c>sortKey: UPDATED_AT</c> with ties broken by id, <c>nodes(ids:)</c>,
/// the 60-day order window without <c>read_all_orders</c>, 401 for a missing or wrong token, and the
/// calculated-cost leaky bucket on the sandbox clock (nested connections multiply the requested cost;
/// THROTTLED when short, <c>extensions.cost</c> on every answer), bulk query operations with their JSONL result
/// streamed from a signed URL on the same server, and the counts. Faults switched on in
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

    /// <summary>All orders, ordered by id, whatever their age (copies: change them through <see cref="UpdateOrder"/>).</summary>
    public IReadOnlyList<SandboxOrder> Orders
    {
        get
        {
            lock (_endpoint.Gate) return [.. _endpoint.Orders.All.Select(o => o.Clone())];
        }
    }

    /// <summary>All products, ordered by id (copies: change them through <see cref="UpdateProduct"/>).</summary>
    public IReadOnlyList<SandboxProduct> Products
    {
        get
        {
            lock (_endpoint.Gate) return [.. _endpoint.Products.All.Select(p => p.Clone())];
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
            routes =>
            {
                routes.MapPost("/admin/api/{version}/graphql.json", context => HandleAsync(context, endpoint, options));
                routes.MapGet("/bulk-operation-results/{id}.jsonl", context => HandleResultAsync(context, endpoint, clock));
            },
            log, faults, cancellationToken).ConfigureAwait(false);
        endpoint.Server = server.BaseUrl;
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
                .Select(_ => _endpoint.Customers.Add(generator.NextIdGap(), (id, sequence) =>
                {
                    var customer = new SandboxCustomer { Id = id };
                    generator.Fill(customer, sequence, now);
                    return customer;
                }))
                .Select(c => c.Clone())];
        }
    }

    /// <summary>Adds <paramref name="count"/> deterministic products (titles, vendors, SKUs, prices).</summary>
    public IReadOnlyList<SandboxProduct> SeedProducts(int count, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var generator = new CatalogGenerator(seed);
        var now = CustomerGenerator.Truncate(_clock.GetUtcNow());
        lock (_endpoint.Gate)
        {
            return [.. Enumerable.Range(0, count)
                .Select(_ => _endpoint.Products.Add(generator.NextIdGap(), (id, sequence) =>
                {
                    var product = new SandboxProduct { Id = id, CreatedAt = now.AddDays(-90), UpdatedAt = now.AddDays(-90 + sequence % 60) };
                    generator.Fill(product, sequence);
                    return product;
                }))
                .Select(p => p.Clone())];
        }
    }

    /// <summary>
    /// Adds <paramref name="count"/> deterministic orders of the store's customers (a few guest checkouts) for its
    /// products, placed over the last month. Seed products first.
    /// </summary>
    /// <exception cref="InvalidOperationException">The store has no products to order.</exception>
    public IReadOnlyList<SandboxOrder> SeedOrders(int count, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var generator = new OrderGenerator(seed);
        var now = _clock.GetUtcNow();
        lock (_endpoint.Gate)
        {
            var customers = _endpoint.Customers.All.ToList();
            var products = _endpoint.Products.All.Where(p => p.Status == "ACTIVE").ToList();
            if (products.Count == 0) throw new InvalidOperationException("Seed products before orders: an order needs something to order.");
            return [.. Enumerable.Range(0, count)
                .Select(_ => _endpoint.Orders.Add(generator.NextIdGap(), (id, _) =>
                {
                    var order = new SandboxOrder { Id = id, Name = _endpoint.NextOrderName() };
                    generator.Fill(order, customers, products, now);
                    NumberLines(order);
                    return order;
                }))
                .Select(o => o.Clone())];
        }
    }

    /// <summary>Places an order now, filled in by <paramref name="fill"/> (lines without an id get one).</summary>
    public SandboxOrder AddOrder(Action<SandboxOrder> fill)
    {
        ArgumentNullException.ThrowIfNull(fill);
        var now = CustomerGenerator.Truncate(_clock.GetUtcNow());
        lock (_endpoint.Gate)
        {
            return _endpoint.Orders.Add(1, (id, _) =>
            {
                var order = new SandboxOrder { Id = id, Name = _endpoint.NextOrderName() };
                fill(order);
                order.CreatedAt = now;
                order.UpdatedAt = now;
                NumberLines(order);
                return order;
            }).Clone();
        }
    }

    /// <summary>Changes an order the way an edit in the Shopify admin would (lines added without an id get one), stamping <c>updatedAt</c>.</summary>
    /// <exception cref="KeyNotFoundException">No order has <paramref name="id"/>.</exception>
    public SandboxOrder UpdateOrder(long id, Action<SandboxOrder> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_endpoint.Gate)
        {
            var order = _endpoint.Orders.Find(id) ?? throw new KeyNotFoundException($"The sandbox store has no order {id}.");
            _endpoint.Orders.Change(order, o =>
            {
                change(o);
                NumberLines(o);
                o.UpdatedAt = CustomerGenerator.Truncate(_clock.GetUtcNow());
            });
            return order.Clone();
        }
    }

    /// <summary>
    /// Cancels an order as <c>orderCancel</c> with a refund would: <c>cancelledAt</c>, <c>cancelReason</c> and
    /// <c>closedAt</c> set to now, a paid order refunded and an unpaid one voided, <c>updatedAt</c> stamped.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No order has <paramref name="id"/>.</exception>
    public SandboxOrder CancelOrder(long id, string reason = "CUSTOMER")
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        lock (_endpoint.Gate)
        {
            var order = _endpoint.Orders.Find(id) ?? throw new KeyNotFoundException($"The sandbox store has no order {id}.");
            var now = CustomerGenerator.Truncate(_clock.GetUtcNow());
            _endpoint.Orders.Change(order, o =>
            {
                o.CancelledAt = now;
                o.CancelReason = reason;
                o.ClosedAt = now;
                o.FinancialStatus = o.FinancialStatus is "PAID" or "PARTIALLY_PAID" or "PARTIALLY_REFUNDED" ? "REFUNDED" : "VOIDED";
                o.UpdatedAt = now;
            });
            return order.Clone();
        }
    }

    /// <summary>A copy of one order, or <see langword="null"/>.</summary>
    public SandboxOrder? FindOrder(long id)
    {
        lock (_endpoint.Gate) return _endpoint.Orders.Find(id)?.Clone();
    }

    /// <summary>Adds a product now, filled in by <paramref name="fill"/>.</summary>
    public SandboxProduct AddProduct(Action<SandboxProduct> fill)
    {
        ArgumentNullException.ThrowIfNull(fill);
        var now = CustomerGenerator.Truncate(_clock.GetUtcNow());
        lock (_endpoint.Gate)
        {
            return _endpoint.Products.Add(1, (id, _) =>
            {
                var product = new SandboxProduct { Id = id };
                fill(product);
                product.CreatedAt = now;
                product.UpdatedAt = now;
                return product;
            }).Clone();
        }
    }

    /// <summary>Changes a product as an edit in the Shopify admin would, stamping <c>updatedAt</c>.</summary>
    /// <exception cref="KeyNotFoundException">No product has <paramref name="id"/>.</exception>
    public SandboxProduct UpdateProduct(long id, Action<SandboxProduct> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_endpoint.Gate)
        {
            var product = _endpoint.Products.Find(id) ?? throw new KeyNotFoundException($"The sandbox store has no product {id}.");
            _endpoint.Products.Change(product, p =>
            {
                change(p);
                p.UpdatedAt = CustomerGenerator.Truncate(_clock.GetUtcNow());
            });
            return product.Clone();
        }
    }

    /// <summary>Creates a customer now, filled in by <paramref name="fill"/>.</summary>
    public SandboxCustomer AddCustomer(Action<SandboxCustomer> fill)
    {
        ArgumentNullException.ThrowIfNull(fill);
        var now = CustomerGenerator.Truncate(_clock.GetUtcNow());
        lock (_endpoint.Gate)
        {
            return _endpoint.Customers.Add(1, (id, _) =>
            {
                var customer = new SandboxCustomer { Id = id };
                fill(customer);
                customer.CreatedAt = now;
                customer.UpdatedAt = now;
                return customer;
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

    /// <summary>How many bulk query operations were created so far.</summary>
    public int BulkOperationCount
    {
        get
        {
            lock (_endpoint.Gate) return _endpoint.BulkOperations.Count;
        }
    }

    /// <summary>
    /// Makes the next bulk query operation fail when its run ends, with <paramref name="errorCode"/> as its
    /// <c>errorCode</c> (<c>ACCESS_DENIED</c>, <c>INTERNAL_SERVER_ERROR</c> or <c>TIMEOUT</c>) and no data.
    /// </summary>
    public void FailNextBulkOperation(string errorCode = "INTERNAL_SERVER_ERROR")
    {
        ArgumentException.ThrowIfNullOrEmpty(errorCode);
        lock (_endpoint.Gate) _endpoint.FailNextBulkOperation = errorCode;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private void NumberLines(SandboxOrder order)
    {
        foreach (var line in order.LineItems.Where(l => l.Id == 0)) line.Id = _endpoint.NextLineItemId();
    }

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
        var (status, body) = endpoint.Execute(query, request["variables"] as JObject ?? [], version);
        await AnswerAsync(context, status, body).ConfigureAwait(false);
    }

    /// <summary>Nodes written per turn of the sandbox lock while a result file streams: the store stays answerable meanwhile.</summary>
    private const int ResultBatch = 1000;

    // A completed operation's JSONL, written from the store batch by batch straight into the response (no file, no
    // whole-result string). Like a signed storage URL, it needs the signature in the URL, not the access token.
    private static async Task HandleResultAsync(HttpContext context, AdminGraphQLEndpoint endpoint, TimeProvider clock)
    {
        SandboxBulkOperation? operation = null;
        if (long.TryParse(context.Request.RouteValues["id"] as string, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            lock (endpoint.Gate)
            {
                operation = endpoint.FindBulkOperation(id);
                var signature = context.Request.Query["signature"].ToString();
                if (operation is not null && (operation.Status(clock.GetUtcNow()) != "COMPLETED"
                    || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(signature), Encoding.ASCII.GetBytes(operation.Signature))))
                {
                    operation = null;
                }
            }
        }
        if (operation is null)
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            context.Response.ContentType = "application/xml; charset=utf-8";
            await context.Response.WriteAsync("<?xml version='1.0' encoding='UTF-8'?><Error><Code>AccessDenied</Code><Message>Access denied.</Message></Error>",
                context.RequestAborted).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/jsonl";
        using var writer = new BulkResultWriter(operation.Plan, operation.GroupObjects);
        for (var start = 0; start < operation.Ids.Count; start += ResultBatch)
        {
            lock (endpoint.Gate)
            {
                for (var i = start; i < Math.Min(start + ResultBatch, operation.Ids.Count); i++)
                {
                    // A node deleted since the operation ran is left out; one changed since is written as it is now.
                    if (operation.Node(operation.Ids[i]) is { } node) writer.WriteNode(node);
                }
                writer.EndBatch();
            }
            await context.Response.Body.WriteAsync(writer.Written, context.RequestAborted).ConfigureAwait(false);
            writer.Clear();
        }
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
