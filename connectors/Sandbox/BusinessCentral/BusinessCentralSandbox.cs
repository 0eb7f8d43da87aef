using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Connectors.Sandbox.BusinessCentral;

/// <summary>
/// An emulator of Dynamics 365 Business Central API v2.0 and its Entra ID token endpoint, on loopback, for one
/// company's <c>customers</c>, <c>salesOrders</c> and <c>salesOrderLines</c>. It follows the documented
/// behaviour (shared reference erp.md §C.1): client-credentials tokens that expire on the sandbox clock (401
/// after), a fresh weak <c>@odata.etag</c> and a <c>lastModifiedDateTime</c> (UTC, <c>Z</c>) on every change,
/// PATCH only with <c>If-Match</c> (none: 400 <c>BadRequest_InvalidToken</c>; stale: <c>Request_EntityChanged</c>),
/// <c>$filter</c>, <c>$orderby</c>, <c>$top</c>, <c>$expand=salesOrderLines</c>, and server-driven paging under
/// <c>Prefer: odata.maxpagesize</c> with key-based <c>@odata.nextLink</c>s. Throttling (429 with Retry-After)
/// and outages come from <see cref="Faults"/>.
/// </summary>
public sealed partial class BusinessCentralSandbox : IAsyncDisposable
{
    /// <summary>The scope the token endpoint accepts.</summary>
    public const string Scope = "https://api.businesscentral.dynamics.com/.default";

    private const string EtagField = "@odata.etag";
    private const string StampField = "lastModifiedDateTime";
    private const string LinesField = "salesOrderLines";
    private const string JsonContentType = "application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8";

    private static readonly JsonSerializerSettings BodySettings = new() { DateParseHandling = DateParseHandling.None };
    private static readonly string[] FirstNames = ["Ada", "Bram", "Chloé", "Dario", "Elif", "Farah", "Goran", "Hana", "Ivo", "Jun", "Kaia", "Luis"];
    private static readonly string[] LastNames = ["Okafor", "Lindqvist", "Moreau", "Tanaka", "Novak", "Silva", "Haddad", "Kowalski", "Byrne", "Rossi"];
    private static readonly string[] Cities = ["Atlanta", "Chicago", "Denver", "Miami", "Seattle", "Boston", "Austin", "Portland"];

    private readonly BusinessCentralSandboxOptions _options;
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, JObject> _customers = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, JObject> _orders = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<JObject>> _lines = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, DateTimeOffset> _tokens = new(StringComparer.Ordinal);
    private readonly Random _newIds = new(20_261_123);
    private SandboxServer? _server;
    private long _rowVersion = 1_932_959_450;
    private int _customerNumbers;
    private int _orderNumbers = 101_000;
    private int _tokensIssued;
    private int _wildcardWrites;

    private BusinessCentralSandbox(BusinessCentralSandboxOptions options, TimeProvider clock)
    {
        _options = options;
        _clock = clock;
    }

    /// <summary>Every request received, token requests included.</summary>
    public RequestLog Log { get; } = new();

    /// <summary>Faults to answer instead of the emulated behaviour (429 with Retry-After, 503, …).</summary>
    public FaultPlan Faults { get; } = new();

    /// <summary>The server's root address.</summary>
    public Uri BaseUrl => _server!.BaseUrl;

    /// <summary>The token endpoint, <c>{root}/{tenant}/oauth2/v2.0/token</c>, as Entra ID's.</summary>
    public Uri TokenEndpoint => new(BaseUrl, $"{_options.TenantId}/oauth2/v2.0/token");

    /// <summary>The API root, <c>{root}/v2.0/{tenant}/{environment}/api/v2.0</c>, as Business Central online's.</summary>
    public Uri ApiBaseUrl => new(BaseUrl, $"v2.0/{_options.TenantId}/{_options.Environment}/api/v2.0");

    /// <summary>The tenant.</summary>
    public string TenantId => _options.TenantId;

    /// <summary>The environment.</summary>
    public string Environment => _options.Environment;

    /// <summary>The one company's id.</summary>
    public string CompanyId => _options.CompanyId;

    /// <summary>The client id the token endpoint accepts.</summary>
    public string ClientId => _options.ClientId;

    /// <summary>The client secret the token endpoint accepts.</summary>
    public string ClientSecret => _options.ClientSecret;

    /// <summary>How many tokens the token endpoint has issued.</summary>
    public int TokensIssued => Volatile.Read(ref _tokensIssued);

    /// <summary>How many writes came with <c>If-Match: *</c>, which skips the concurrency check.</summary>
    public int WildcardWrites => Volatile.Read(ref _wildcardWrites);

    /// <summary>A copy of every customer, by number.</summary>
    public IReadOnlyList<JObject> Customers
    {
        get
        {
            lock (_gate) return [.. _customers.Values.OrderBy(c => (string?)c["number"], StringComparer.Ordinal).Select(c => (JObject)c.DeepClone())];
        }
    }

    /// <summary>A copy of every sales order with its <c>salesOrderLines</c>, by number.</summary>
    public IReadOnlyList<JObject> SalesOrders
    {
        get
        {
            lock (_gate) return [.. _orders.Values.OrderBy(o => (string?)o["number"], StringComparer.Ordinal).Select(o => WithLines(o, true))];
        }
    }

    /// <summary>Starts the emulator on a random loopback port.</summary>
    /// <param name="options">Identity and behaviour.</param>
    /// <param name="clock">The clock of token lifetimes and <c>lastModifiedDateTime</c> stamps.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<BusinessCentralSandbox> StartAsync(BusinessCentralSandboxOptions options, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        var sandbox = new BusinessCentralSandbox(options, clock);
        sandbox._server = await SandboxServer.StartAsync(sandbox.Map, sandbox.Log, sandbox.Faults, cancellationToken).ConfigureAwait(false);
        return sandbox;
    }

    /// <summary>
    /// Adds <paramref name="count"/> customers, the same ones for the same <paramref name="seed"/>: names, e-mail
    /// addresses (<c>first.last.N@example.com</c>), cities, and <c>lastModifiedDateTime</c> stamps up to a day
    /// before the clock's now, in an order unlike their numbers.
    /// </summary>
    /// <returns>Copies of the customers added.</returns>
    public IReadOnlyList<JObject> Seed(int count, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var random = new Random(seed);
        var now = _clock.GetUtcNow();
        var added = new List<JObject>(count);
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                var first = FirstNames[random.Next(FirstNames.Length)];
                var last = LastNames[random.Next(LastNames.Length)];
                var id = NewId(random);
                var customer = NewEntity(EntitySchema.Customer, id);
                customer["number"] = NextCustomerNumber();
                customer["displayName"] = $"{first} {last}";
                customer["email"] = $"{Ascii(first)}.{Ascii(last)}.{_customerNumbers}@example.com".ToLowerInvariant();
                customer["phoneNumber"] = $"+1 555 {random.Next(100, 999)} {random.Next(1000, 9999)}";
                customer["city"] = Cities[random.Next(Cities.Length)];
                customer["country"] = "US";
                customer["currencyCode"] = "USD";
                var stamp = now - TimeSpan.FromMilliseconds(random.NextInt64(1, 86_400_000));
                Touch(customer, stamp);
                _customers[id] = customer;
                added.Add((JObject)customer.DeepClone());
            }
        }
        return added;
    }

    /// <summary>
    /// Changes a customer or sales order the way a Business Central user would: applies <paramref name="change"/>,
    /// then gives it a new etag and the clock's now as <c>lastModifiedDateTime</c>.
    /// </summary>
    /// <returns>A copy of the entity after the change.</returns>
    /// <exception cref="KeyNotFoundException">No customer or sales order has that id.</exception>
    public JObject Edit(string id, Action<JObject> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_gate)
        {
            var entity = (_customers.GetValueOrDefault(id) ?? _orders.GetValueOrDefault(id))
                ?? throw new KeyNotFoundException($"No customer or sales order has id {id}.");
            change(entity);
            Touch(entity, _clock.GetUtcNow());
            return (JObject)entity.DeepClone();
        }
    }

    /// <summary>
    /// Creates a customer the way a Business Central user would: every field at its default, then
    /// <paramref name="fields"/>, the next number, a new etag and the clock's now as <c>lastModifiedDateTime</c>.
    /// </summary>
    /// <returns>A copy of the customer.</returns>
    /// <exception cref="ArgumentException">Business Central would refuse a field; the message holds its error code.</exception>
    public JObject Insert(JObject fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        lock (_gate)
        {
            var customer = NewEntity(EntitySchema.Customer, NewId(_newIds));
            if (EntitySchema.Customer.Apply(fields, customer) is { } error)
            {
                throw new ArgumentException($"Business Central would refuse this customer: {error.Code}: {error.Message}", nameof(fields));
            }
            customer["number"] = NextCustomerNumber();
            Touch(customer, _clock.GetUtcNow());
            _customers[(string)customer["id"]!] = customer;
            return (JObject)customer.DeepClone();
        }
    }

    /// <summary>Deletes a customer or sales order as a user would; it no longer shows in any read.</summary>
    /// <returns>Whether it existed.</returns>
    public bool Delete(string id)
    {
        lock (_gate)
        {
            _lines.Remove(id);
            return _customers.Remove(id) | _orders.Remove(id);
        }
    }

    /// <summary>Deletes every customer and sales order, so that one emulator can serve many independent test cases.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _customers.Clear();
            _orders.Clear();
            _lines.Clear();
        }
    }

    /// <summary>A copy of the customer or sales order with that id, or <see langword="null"/>.</summary>
    public JObject? Find(string id)
    {
        lock (_gate)
        {
            return _customers.TryGetValue(id, out var customer) ? (JObject)customer.DeepClone()
                : _orders.TryGetValue(id, out var order) ? WithLines(order, true)
                : null;
        }
    }

    /// <summary>Invalidates every issued token, as a revoked consent or a key rollover would; the next API call gets 401.</summary>
    public void RevokeTokens()
    {
        lock (_gate) _tokens.Clear();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync().ConfigureAwait(false);
    }

    private void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/{tenant}/oauth2/v2.0/token", IssueTokenAsync);
        routes.Map("/v2.0/{tenant}/{environment}/api/v2.0/{**rest}", ServeApiAsync);
    }

    private async Task IssueTokenAsync(HttpContext context)
    {
        var tenant = (string?)context.Request.RouteValues["tenant"];
        if (!context.Request.HasFormContentType)
        {
            await WriteTokenErrorAsync(context, 400, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'.");
            return;
        }
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        string? clientId = form["client_id"], scope = form["scope"];
        if (!string.Equals(tenant, _options.TenantId, StringComparison.OrdinalIgnoreCase))
        {
            await WriteTokenErrorAsync(context, 400, "invalid_request", 90002, $"Tenant '{tenant}' not found.");
        }
        else if (form["grant_type"] != "client_credentials")
        {
            await WriteTokenErrorAsync(context, 400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.");
        }
        else if (!string.Equals(clientId, _options.ClientId, StringComparison.OrdinalIgnoreCase))
        {
            await WriteTokenErrorAsync(context, 400, "unauthorized_client", 700016,
                $"Application with identifier '{clientId}' was not found in the directory '{tenant}'.");
        }
        else if (form["client_secret"] != _options.ClientSecret)
        {
            await WriteTokenErrorAsync(context, 401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent "
                + $"in the request is the client secret value, not the client secret ID, for a secret added to app '{clientId}'.");
        }
        else if (scope != Scope)
        {
            await WriteTokenErrorAsync(context, 400, "invalid_scope", 1002012, $"The provided value for scope {scope} is not valid. "
                + "Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).");
        }
        else
        {
            var token = $"eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.{RandomNumberGenerator.GetHexString(48, lowercase: true)}";
            lock (_gate)
            {
                _tokens[token] = _clock.GetUtcNow() + _options.TokenLifetime;
                _tokensIssued++;
            }
            var seconds = (int)_options.TokenLifetime.TotalSeconds;
            await WriteJsonAsync(context, 200, new JObject
            {
                ["token_type"] = "Bearer",
                ["expires_in"] = seconds,
                ["ext_expires_in"] = seconds,
                ["access_token"] = token,
            }, "application/json; charset=utf-8");
        }
    }

    private async Task ServeApiAsync(HttpContext context)
    {
        var request = context.Request;
        if (!Authorized(request))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\"";
            await WriteReplyAsync(context, Error(401, "Authentication_InvalidCredentials", "The credentials provided are incorrect"));
            return;
        }
        var rest = (string?)request.RouteValues["rest"] ?? "";
        if (!string.Equals((string?)request.RouteValues["tenant"], _options.TenantId, StringComparison.OrdinalIgnoreCase)
            || !string.Equals((string?)request.RouteValues["environment"], _options.Environment, StringComparison.OrdinalIgnoreCase))
        {
            await WriteReplyAsync(context, Error(404, "BadRequest_NotFound", "The requested environment could not be found."));
            return;
        }
        JObject? body = null;
        if (HttpMethods.IsPost(request.Method) || HttpMethods.IsPatch(request.Method))
        {
            body = await ReadBodyAsync(request, context.RequestAborted);
            if (body is null)
            {
                await WriteReplyAsync(context, Error(400, "BadRequest", "The request body is not a JSON object."));
                return;
            }
        }
        Reply reply;
        lock (_gate)
        {
            reply = Dispatch(request, rest, body);
        }
        await WriteReplyAsync(context, reply);
    }

    private Reply Dispatch(HttpRequest request, string rest, JObject? body)
    {
        if (rest == "companies" && HttpMethods.IsGet(request.Method))
        {
            return new Reply(200, new JObject
            {
                ["@odata.context"] = $"{ApiBaseUrl}/$metadata#companies",
                ["value"] = new JArray(new JObject
                {
                    ["id"] = _options.CompanyId,
                    ["systemVersion"] = "27.0.38460.41254",
                    ["name"] = _options.CompanyName,
                    ["displayName"] = _options.CompanyName,
                    ["businessProfileId"] = "",
                }),
            });
        }
        var path = EntityPath().Match(rest);
        if (!path.Success)
        {
            return Error(404, "BadRequest_NotFound", $"Resource not found for the segment '{rest.Split('/')[^1]}'.");
        }
        if (!string.Equals(path.Groups["company"].Value, _options.CompanyId, StringComparison.OrdinalIgnoreCase))
        {
            return Error(404, "BadRequest_NotFound", $"Cannot find the company with id {path.Groups["company"].Value}.");
        }
        var set = path.Groups["set"].Value;
        var id = path.Groups["id"].Success ? path.Groups["id"].Value : null;
        var lines = path.Groups["lines"].Success;
        var store = set == "customers" ? _customers : _orders;
        var schema = set == "customers" ? EntitySchema.Customer : EntitySchema.SalesOrder;
        var context = $"{ApiBaseUrl}/$metadata#companies({_options.CompanyId})/{set}";
        var ifMatch = request.Headers.IfMatch.ToString();
        return (request.Method, id, lines) switch
        {
            ("GET", null, false) => List(request, store, schema, context),
            ("POST", null, false) => set == "customers" ? CreateCustomer(body!, context) : CreateOrder(body!, request, context),
            ("GET", { } one, false) => store.TryGetValue(one, out var found)
                ? Entity(200, set == "salesOrders" ? WithLines(found, Expands(request)) : (JObject)found.DeepClone(), context)
                : NotFound(schema, one),
            ("PATCH", { } one, false) => Update(store, schema, one, ifMatch, body!, context),
            ("DELETE", { } one, false) => Delete(store, schema, one, ifMatch),
            ("GET", { } order, true) when set == "salesOrders" => _orders.ContainsKey(order)
                ? new Reply(200, new JObject { ["@odata.context"] = $"{context}({order})/{LinesField}", ["value"] = new JArray(_lines[order].Select(l => l.DeepClone())) })
                : NotFound(schema, order),
            ("POST", { } order, true) when set == "salesOrders" => AddLine(order, body!, $"{context}({order})/{LinesField}"),
            _ => Error(405, "BadRequest_MethodNotAllowed", $"'{request.Method}' requests for '{set}' are not allowed."),
        };
    }

    private Reply List(HttpRequest request, Dictionary<string, JObject> store, EntitySchema schema, string context)
    {
        var query = request.Query;
        IEnumerable<JObject> items = store.Values;
        if (query["$filter"].ToString() is { Length: > 0 } filterText)
        {
            Func<JObject, bool> filter;
            try
            {
                filter = ODataFilter.Parse(filterText);
            }
            catch (FormatException e)
            {
                return Error(400, "BadRequest_NotFound", $"Bad Request - Error in query syntax. {e.Message}");
            }
            items = items.Where(filter);
        }
        var order = ParseOrder(query["$orderby"].ToString());
        if (order is null) return Error(400, "BadRequest_NotFound", "Bad Request - Error in query syntax. Only a property name and asc or desc are supported in $orderby.");
        var sorted = items.OrderBy(e => e, Comparer<JObject>.Create((a, b) => CompareKeys(order, a, b))).ToList();

        int? left = int.TryParse(query["$top"], NumberStyles.None, CultureInfo.InvariantCulture, out var top) ? top : null;
        if (query["$skiptoken"].ToString() is { Length: > 0 } skipToken)
        {
            if (ReadSkipToken(skipToken) is not { } resume) return Error(400, "BadRequest_NotFound", "The skip token is not valid.");
            sorted = [.. sorted.Where(e => CompareKeys(order, e, resume.Key) > 0)];
            left = resume.Left;
        }
        var pageSize = PageSize(request, out var preferred);
        var take = Math.Min(pageSize, left ?? int.MaxValue);
        var page = sorted.Take(take).ToList();
        var remaining = left is { } l ? l - page.Count : (int?)null;
        var expand = Expands(request);
        var reply = new JObject
        {
            ["@odata.context"] = context,
            ["value"] = new JArray(page.Select(e => schema == EntitySchema.SalesOrder ? WithLines(e, expand) : (JObject)e.DeepClone())),
        };
        if (sorted.Count > page.Count && remaining is not <= 0 && page.Count > 0)
        {
            reply["@odata.nextLink"] = NextLink(request, WriteSkipToken(order, page[^1], remaining));
        }
        return new Reply(200, reply, preferred ? $"odata.maxpagesize={pageSize.ToString(CultureInfo.InvariantCulture)}" : null);
    }

    private Reply CreateCustomer(JObject body, string context)
    {
        var customer = NewEntity(EntitySchema.Customer, NewIdFor(body, _customers));
        if (EntitySchema.Customer.Apply(body, customer) is { } error) return Error(400, error.Code, error.Message);
        var number = (string?)customer["number"];
        if (string.IsNullOrEmpty(number))
        {
            customer["number"] = NextCustomerNumber();
        }
        else if (_customers.Values.Any(c => string.Equals((string?)c["number"], number, StringComparison.OrdinalIgnoreCase)))
        {
            return Error(409, "Internal_EntityWithSameKeyExists", $"The Customer already exists. Identification fields and values: No.='{number}'");
        }
        Touch(customer, _clock.GetUtcNow());
        _customers[(string)customer["id"]!] = customer;
        return Entity(201, (JObject)customer.DeepClone(), context);
    }

    private Reply CreateOrder(JObject body, HttpRequest request, string context)
    {
        var id = NewIdFor(body, _orders);
        var order = NewEntity(EntitySchema.SalesOrder, id);
        if (EntitySchema.SalesOrder.Apply(body, order, LinesField) is { } error) return Error(400, error.Code, error.Message);
        if (ResolveCustomer(order) is { } customerError) return customerError;
        var lines = new List<JObject>();
        if (body[LinesField] is { } given)
        {
            if (given is not JArray array || array.Any(l => l is not JObject)) return Error(400, "BadRequest", $"'{LinesField}' must be an array of lines.");
            foreach (var line in array.Cast<JObject>())
            {
                if (NewLine(id, line, lines.Count) is not { } created) return LineError(line);
                lines.Add(created);
            }
        }
        var today = _clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if ((string?)order["orderDate"] == "0001-01-01") order["orderDate"] = today;
        if ((string?)order["postingDate"] == "0001-01-01") order["postingDate"] = today;
        order["number"] = (++_orderNumbers).ToString(CultureInfo.InvariantCulture);
        order["status"] = "Draft";
        _lines[id] = lines;
        Total(order);
        Touch(order, _clock.GetUtcNow());
        _orders[id] = order;
        return Entity(201, WithLines(order, Expands(request)), context);
    }

    private Reply AddLine(string orderId, JObject body, string context)
    {
        if (!_orders.TryGetValue(orderId, out var order)) return NotFound(EntitySchema.SalesOrder, orderId);
        var lines = _lines[orderId];
        if (NewLine(orderId, body, lines.Count) is not { } line) return LineError(body);
        lines.Add(line);
        Total(order);
        Touch(order, _clock.GetUtcNow());
        return Entity(201, (JObject)line.DeepClone(), context);
    }

    private Reply Update(Dictionary<string, JObject> store, EntitySchema schema, string id, string ifMatch, JObject body, string context)
    {
        if (!store.TryGetValue(id, out var entity)) return NotFound(schema, id);
        if (Precondition(entity, ifMatch, required: true) is { } refused) return refused;
        if (body.ContainsKey(LinesField)) return Error(400, "BadRequest", "Deep update is not supported; write the lines through their own entity set.");
        var changed = (JObject)entity.DeepClone();
        if (schema.Apply(body, changed) is { } error) return Error(400, error.Code, error.Message);
        if (schema == EntitySchema.SalesOrder && (body.ContainsKey("customerId") || body.ContainsKey("customerNumber"))
            && ResolveCustomer(changed) is { } customerError)
        {
            return customerError;
        }
        Touch(changed, _clock.GetUtcNow());
        store[id] = changed;
        return Entity(200, schema == EntitySchema.SalesOrder ? WithLines(changed, false) : (JObject)changed.DeepClone(), context);
    }

    private Reply Delete(Dictionary<string, JObject> store, EntitySchema schema, string id, string ifMatch)
    {
        if (!store.TryGetValue(id, out var entity)) return NotFound(schema, id);
        // Delete checks the etag only when one is given (unlike PATCH, which requires it).
        if (ifMatch.Length > 0 && Precondition(entity, ifMatch, required: false) is { } refused) return refused;
        store.Remove(id);
        _lines.Remove(id);
        return new Reply(204, null);
    }

    private Reply? Precondition(JObject entity, string ifMatch, bool required)
    {
        if (ifMatch.Length == 0)
        {
            return required
                ? Error(400, "BadRequest_InvalidToken", "Could not validate the client concurrency token required by the service. "
                    + "Please provide a valid token in the client request.")
                : null;
        }
        if (ifMatch == "*")
        {
            Interlocked.Increment(ref _wildcardWrites);
            return null;
        }
        return ifMatch == (string?)entity[EtagField]
            ? null
            : Error(_options.StaleEtagStatus, "Request_EntityChanged", "Another user has already changed the record.");
    }

    private Reply? ResolveCustomer(JObject order)
    {
        var customerId = (string?)order["customerId"];
        var customerNumber = (string?)order["customerNumber"];
        JObject? customer;
        if (customerId is { } cid && cid != "00000000-0000-0000-0000-000000000000")
        {
            customer = _customers.GetValueOrDefault(cid);
            if (customer is null) return Error(400, "Internal_RecordNotFound", $"The Customer does not exist. Identification fields and values: SystemId='{{{cid}}}'");
        }
        else if (!string.IsNullOrEmpty(customerNumber))
        {
            customer = _customers.Values.FirstOrDefault(c => string.Equals((string?)c["number"], customerNumber, StringComparison.OrdinalIgnoreCase));
            if (customer is null) return Error(400, "Internal_RecordNotFound", $"The Customer does not exist. Identification fields and values: No.='{customerNumber}'");
        }
        else
        {
            return Error(400, "Application_DialogException", "A customerNumber or a customerID must be provided.");
        }
        order["customerId"] = customer["id"]!.DeepClone();
        order["customerNumber"] = customer["number"]!.DeepClone();
        order["customerName"] = customer["displayName"]!.DeepClone();
        order["billToCustomerId"] = customer["id"]!.DeepClone();
        order["billToCustomerNumber"] = customer["number"]!.DeepClone();
        order["billToName"] = customer["displayName"]!.DeepClone();
        return null;
    }

    private JObject? NewLine(string orderId, JObject body, int index)
    {
        var line = EntitySchema.SalesOrderLine.Defaults();
        if (EntitySchema.SalesOrderLine.Apply(body, line) is not null) return null;
        line["id"] = NewId(_newIds);
        line["documentId"] = orderId;
        line["sequence"] = (index + 1) * 10_000;
        if ((string?)line["lineType"] == "Comment" && !body.ContainsKey("lineType")) line["lineType"] = "Item";
        var amount = Math.Round((decimal)line["quantity"]! * (decimal)line["unitPrice"]! - (decimal)line["discountAmount"]!, 2);
        line["amountExcludingTax"] = amount;
        line["amountIncludingTax"] = amount;
        return line;
    }

    private static Reply LineError(JObject body)
    {
        var (code, message) = EntitySchema.SalesOrderLine.Apply(body, EntitySchema.SalesOrderLine.Defaults())!.Value;
        return Error(400, code, message);
    }

    private void Total(JObject order)
    {
        var total = _lines[(string)order["id"]!].Sum(l => (decimal)l["amountExcludingTax"]!) - (decimal)order["discountAmount"]!;
        order["totalAmountExcludingTax"] = total;
        order["totalTaxAmount"] = 0m;
        order["totalAmountIncludingTax"] = total;
    }

    private JObject WithLines(JObject order, bool expand)
    {
        var copy = (JObject)order.DeepClone();
        if (expand) copy[LinesField] = new JArray(_lines.GetValueOrDefault((string)order["id"]!, []).Select(l => l.DeepClone()));
        return copy;
    }

    /// <summary>A new entity with the etag first, as Business Central orders its properties.</summary>
    private static JObject NewEntity(EntitySchema schema, string id)
    {
        var entity = new JObject { [EtagField] = "" };
        entity.Merge(schema.Defaults());
        entity["id"] = id;
        return entity;
    }

    /// <summary>A new version: the etag changes (a row version inside, as Business Central's) and the stamp is <paramref name="at"/>.</summary>
    private void Touch(JObject entity, DateTimeOffset at)
    {
        var version = ++_rowVersion;
        var key = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes($"{entity["id"]}:{version}")));
        var inner = $"'44;{key};{version.ToString(CultureInfo.InvariantCulture)};'";
        entity[EtagField] = $"W/\"{Convert.ToBase64String(Encoding.UTF8.GetBytes(inner))}\"";
        entity[StampField] = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    }

    private string NewIdFor(JObject body, Dictionary<string, JObject> store) =>
        // Business Central lets a client choose the id (SystemId) of a new record.
        body["id"] is JValue { Type: JTokenType.String } given && Guid.TryParse((string?)given, out var chosen) && !store.ContainsKey(chosen.ToString())
            ? chosen.ToString()
            : NewId(_newIds);

    private static string NewId(Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes).ToString();
    }

    private string NextCustomerNumber() => $"C{(++_customerNumbers).ToString("D5", CultureInfo.InvariantCulture)}";

    private bool Authorized(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return false;
        lock (_gate)
        {
            return _tokens.TryGetValue(header["Bearer ".Length..].Trim(), out var expires) && _clock.GetUtcNow() < expires;
        }
    }

    private int PageSize(HttpRequest request, out bool preferred)
    {
        foreach (var preference in request.Headers["Prefer"].SelectMany(v => (v ?? "").Split(',')))
        {
            var parts = preference.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length == 2 && parts[0].Equals("odata.maxpagesize", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size > 0)
            {
                preferred = true;
                return Math.Min(size, _options.MaxPageSize);
            }
        }
        preferred = false;
        return _options.MaxPageSize;
    }

    /// <summary>The sort keys of <c>$orderby</c> (default: the number, as the primary key), always ending with the id.</summary>
    private static List<(string Field, bool Descending)>? ParseOrder(string orderBy)
    {
        var keys = new List<(string, bool)>();
        foreach (var clause in orderBy.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = clause.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length > 2 || (parts.Length == 2 && parts[1] is not ("asc" or "desc"))) return null;
            keys.Add((parts[0], parts.Length == 2 && parts[1] == "desc"));
        }
        if (keys.Count == 0) keys.Add(("number", false));
        keys.Add(("id", false));
        return keys;
    }

    private static int CompareKeys(List<(string Field, bool Descending)> order, JObject a, JObject b)
    {
        foreach (var (field, descending) in order)
        {
            var c = ODataFilter.Compare(a[field], b[field]);
            if (c != 0) return descending ? -c : c;
        }
        return 0;
    }

    private static string WriteSkipToken(List<(string Field, bool Descending)> order, JObject last, int? left)
    {
        var key = new JObject();
        foreach (var (field, _) in order) key[field] = last[field]?.DeepClone();
        var token = new JObject { ["key"] = key, ["left"] = left };
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(token.ToString(Formatting.None))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private static (JObject Key, int? Left)? ReadSkipToken(string token)
    {
        try
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=');
            var json = JsonConvert.DeserializeObject<JObject>(Encoding.UTF8.GetString(Convert.FromBase64String(base64)), BodySettings);
            return json?["key"] is JObject key ? (key, (int?)json["left"]) : null;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }

    /// <summary>The request's own address with <c>$skiptoken</c> replaced, as Business Central builds its next links.</summary>
    private static string NextLink(HttpRequest request, string skipToken)
    {
        var query = (request.QueryString.Value ?? "").TrimStart('?')
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !p.StartsWith("$skiptoken=", StringComparison.OrdinalIgnoreCase) && !p.StartsWith("%24skiptoken=", StringComparison.OrdinalIgnoreCase))
            .Append($"$skiptoken={skipToken}");
        return $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}?{string.Join('&', query)}";
    }

    private static bool Expands(HttpRequest request) =>
        request.Query["$expand"].ToString().Split(',', StringSplitOptions.TrimEntries).Contains(LinesField, StringComparer.OrdinalIgnoreCase);

    private static async Task<JObject?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(cancellationToken);
        try
        {
            return JsonConvert.DeserializeObject<JToken>(text, BodySettings) as JObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static Reply Entity(int status, JObject entity, string context)
    {
        var reply = new JObject { ["@odata.context"] = $"{context}/$entity" };
        foreach (var property in entity.Properties().ToList()) reply.Add(property.Name, property.Value);
        return new Reply(status, reply);
    }

    private static Reply NotFound(EntitySchema schema, string id) =>
        Error(404, "Internal_RecordNotFound", $"The {schema.Caption} does not exist. Identification fields and values: SystemId='{{{id}}}'");

    private static Reply Error(int status, string code, string message) =>
        // Business Central appends a correlation id to every message.
        new(status, new JObject { ["error"] = new JObject { ["code"] = code, ["message"] = $"{message}  CorrelationId:  {Guid.NewGuid()}." } });

    private static async Task WriteReplyAsync(HttpContext context, Reply reply)
    {
        if (reply.PreferenceApplied is { } applied) context.Response.Headers["Preference-Applied"] = applied;
        if (reply.Body is null)
        {
            context.Response.StatusCode = reply.Status;
            return;
        }
        await WriteJsonAsync(context, reply.Status, reply.Body, JsonContentType);
    }

    private static Task WriteTokenErrorAsync(HttpContext context, int status, string error, int code, string description) =>
        WriteJsonAsync(context, status, new JObject
        {
            ["error"] = error,
            ["error_description"] = $"AADSTS{code.ToString(CultureInfo.InvariantCulture)}: {description}",
            ["error_codes"] = new JArray(code),
        }, "application/json; charset=utf-8");

    private static async Task WriteJsonAsync(HttpContext context, int status, JToken body, string contentType)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        await context.Response.WriteAsync(body.ToString(Formatting.None), context.RequestAborted);
    }

    private static string Ascii(string name) => name.Normalize(NormalizationForm.FormD)
        .Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark).Aggregate(new StringBuilder(), (s, c) => s.Append(c)).ToString();

    [GeneratedRegex(@"^companies\((?<company>[^)]+)\)/(?<set>customers|salesOrders)(?:\((?<id>[0-9A-Fa-f\-]{36})\))?(?<lines>/salesOrderLines)?$",
        RegexOptions.CultureInvariant)]
    private static partial Regex EntityPath();

    private sealed record Reply(int Status, JToken? Body, string? PreferenceApplied = null);
}
