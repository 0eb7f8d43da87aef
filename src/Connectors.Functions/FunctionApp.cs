using System.Globalization;
using System.Net;
using Connectors.Core.Configuration;
using Connectors.Core.Queue;
using Connectors.Functions.Hosting;
using Connectors.Functions.Protocol;
using Connectors.Functions.Timers;
using Connectors.Functions.Webhooks;
using Connectors.Functions.Worker;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;

namespace Connectors.Functions;

/// <summary>
/// The function app: the five functions over one config and one storage, and the HTTP server that
/// answers the Azure Functions custom-handler protocol (<c>GET /</c>, <c>POST /{FunctionName}</c>) and,
/// standalone, vendors' webhooks directly at <c>POST /api/webhooks/{system}</c> (the route the
/// <c>webhook</c> function has on Azure).
/// </summary>
internal sealed class FunctionApp : IAsyncDisposable
{
    /// <summary>The function names: the folder names of their <c>function.json</c>.</summary>
    public const string WebhookFunction = "webhook", SyncWorkerFunction = "sync-worker", ScheduledSyncFunction = "scheduled-sync", ReconcileFunction = "reconcile",
        LedgerSweepFunction = "ledger-sweep";

    private readonly ILogger<FunctionApp> _log;

    private FunctionApp(ConnectorHost host, HostStorage storage, FunctionAppSettings settings, TimeProvider clock, ILoggerFactory logging)
    {
        Host = host;
        Storage = storage;
        Settings = settings;
        Clock = clock;
        Logging = logging;
        _log = logging.CreateLogger<FunctionApp>();
        Ingest = new WebhookIngest(host, storage.Queue, storage.Deliveries, settings, clock, logging.CreateLogger<WebhookIngest>());
        Worker = new SyncWorker(host, storage.Queue, clock, logging.CreateLogger<SyncWorker>());
        Scheduler = new FlowScheduler(host, storage.Schedules, storage.Leases, settings, clock, logging.CreateLogger<FlowScheduler>());
        Sweep = new DeliverySweep(storage.Deliveries, storage.Schedules, storage.Leases, settings, clock, logging.CreateLogger<DeliverySweep>());
    }

    public ConnectorHost Host { get; }

    public HostStorage Storage { get; }

    public FunctionAppSettings Settings { get; }

    public TimeProvider Clock { get; }

    public ILoggerFactory Logging { get; }

    public WebhookIngest Ingest { get; }

    public SyncWorker Worker { get; }

    public FlowScheduler Scheduler { get; }

    public DeliverySweep Sweep { get; }

    /// <summary>Builds the app on <paramref name="storage"/>, which it owns from then on.</summary>
    /// <exception cref="ConfigException">A system of the config is unknown or has bad settings.</exception>
    public static FunctionApp Create(ConnectorConfig config, HostStorage storage, FunctionAppSettings settings, TimeProvider clock, ILoggerFactory logging)
    {
        settings.Validate();
        settings.CreateFolders();
        var host = ConnectorHost.Build(config, storage.State, clock, logging);
        return new FunctionApp(host, storage, settings, clock, logging);
    }

    /// <summary>The HTTP server on 127.0.0.1:<paramref name="port"/> (0: a free port), not started.</summary>
    public WebApplication BuildServer(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(Logging);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, port);
            kestrel.AddServerHeader = false;
        });
        var web = builder.Build();
        web.MapGet("/", () => Results.Text("connectors function app: ok", "text/plain"));
        web.MapPost("/api/webhooks/{system}", DirectWebhookAsync);
        web.MapPost("/{function}", InvokeAsync);
        return web;
    }

    /// <summary>A vendor's webhook sent straight to us (standalone): the same ingest as the <c>webhook</c> function.</summary>
    private async Task DirectWebhookAsync(HttpContext context, string system)
    {
        var body = await BoundedBody.ReadAsync(context.Request, Ingest.MaxBodyBytes, context.RequestAborted).ConfigureAwait(false);
        var answer = body is null
            ? Ingest.TooLarge(system)
            : await Ingest.HandleAsync(new WebhookRequest(system, HeadersOf(context.Request.Headers), body, context.Request.QueryString.Value), context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = answer.Status;
        context.Response.ContentType = answer.ContentType;
        await context.Response.WriteAsync(answer.Body, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>One invocation from the Functions host.</summary>
    private async Task InvokeAsync(HttpContext context, string function)
    {
        var cancellationToken = context.RequestAborted;
        // The envelope carries the webhook body as an escaped JSON string, so it may be several times its size.
        var limit = (int)Math.Min(int.MaxValue, 4L * Ingest.MaxBodyBytes + 64 * 1024);
        var raw = await BoundedBody.ReadAsync(context.Request, limit, cancellationToken).ConfigureAwait(false);
        int status;
        InvocationResult result;
        if (raw is null)
        {
            (status, result) = function == WebhookFunction
                ? (200, Answer(Ingest.TooLarge("(forwarded)")))
                : (413, Failure($"The invocation is over {limit} bytes."));
        }
        else
        {
            Invocation invocation;
            try
            {
                invocation = Invocation.Parse(raw);
            }
            catch (FormatException e)
            {
                await WriteAsync(context, 400, Failure(e.Message)).ConfigureAwait(false);
                return;
            }
            (status, result) = function switch
            {
                WebhookFunction => (200, await WebhookAsync(invocation, cancellationToken).ConfigureAwait(false)),
                SyncWorkerFunction => await SyncWorkerAsync(invocation, cancellationToken).ConfigureAwait(false),
                ScheduledSyncFunction => await TimerAsync(FlowTimer.Schedule, invocation, cancellationToken).ConfigureAwait(false),
                ReconcileFunction => await TimerAsync(FlowTimer.Reconcile, invocation, cancellationToken).ConfigureAwait(false),
                LedgerSweepFunction => await SweepAsync(cancellationToken).ConfigureAwait(false),
                _ => (404, Failure($"No function named '{function}'.")),
            };
        }
        await WriteAsync(context, status, result).ConfigureAwait(false);
    }

    /// <summary>The <c>webhook</c> function: the HTTP trigger's request is in <c>Data.req</c>, the answer goes to <c>Outputs.res</c>.</summary>
    private async Task<InvocationResult> WebhookAsync(Invocation invocation, CancellationToken cancellationToken)
    {
        var req = invocation.Trigger("req");
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (Invocation.Property(req, "Headers") is JObject given)
        {
            foreach (var header in given.Properties())
            {
                // The host sends each header as a list of values.
                headers[header.Name] = header.Value is JArray values ? string.Join(",", values.Select(v => (string?)v)) : Invocation.Text(header.Value) ?? "";
            }
        }
        var system = Invocation.Text(Invocation.Property(Invocation.Property(req, "Params"), "system"))
            ?? Invocation.Text(Invocation.Property(invocation.Metadata, "system"))
            ?? "";
        var body = System.Text.Encoding.UTF8.GetBytes(Invocation.Text(Invocation.Property(req, "Body")) ?? "");
        var query = Invocation.Property(req, "Url") is { } url && Uri.TryCreate(Invocation.Text(url), UriKind.Absolute, out var address) ? address.Query : null;
        var answer = body.Length > Ingest.MaxBodyBytes
            ? Ingest.TooLarge(system)
            : await Ingest.HandleAsync(new WebhookRequest(system, headers, body, query), cancellationToken).ConfigureAwait(false);
        return Answer(answer);
    }

    /// <summary>
    /// The <c>sync-worker</c> function: one queue message in <c>Data.msg</c>. A failure answers 500, so that
    /// the host returns the message to the queue; on its last attempt the records are dead-lettered first,
    /// as the host then moves the message to the poison queue.
    /// </summary>
    private async Task<(int, InvocationResult)> SyncWorkerAsync(Invocation invocation, CancellationToken cancellationToken)
    {
        var body = Invocation.Text(invocation.Trigger("msg"));
        if (body is null) return (400, Failure("The invocation carries no queue message."));
        SyncRequest request;
        try
        {
            request = SyncRequest.FromJson(body);
        }
        catch (FormatException e)
        {
            return (500, Failure($"The message is not a sync request: {e.Message}"));
        }
        var dequeueCount = long.TryParse(invocation.MetadataText("DequeueCount"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) ? count : 1;
        var message = new ReceivedMessage(invocation.MetadataText("Id") ?? Guid.NewGuid().ToString("N"), invocation.MetadataText("PopReceipt") ?? "",
            body, dequeueCount, null, null);
        var outcomes = await Worker.HandleAsync([new SyncDelivery(message, request)], cancellationToken).ConfigureAwait(false);
        if (outcomes.SingleOrDefault() is DeliveryOutcome.Handled)
        {
            var done = new InvocationResult();
            done.Logs.Add($"Flow {request.Flow}: synced {request.RecordIds.Count} record(s) (attempt {dequeueCount}).");
            return (200, done);
        }
        var reason = outcomes.SingleOrDefault() is DeliveryOutcome.Failed failed ? failed.Reason : "The worker gave no outcome.";
        if (dequeueCount >= Settings.MaxDequeueCount)
        {
            await Worker.OnPoisonedAsync(new PoisonedMessage(message, request, reason), cancellationToken).ConfigureAwait(false);
        }
        return (500, Failure($"Flow {request.Flow}: attempt {dequeueCount} of {Settings.MaxDequeueCount} failed: {reason}"));
    }

    /// <summary>
    /// The timer functions: the flows whose timer is due run now, and the logs say what each run did (a
    /// reconciliation's counts and report files among it). A failed run answers 500 so that the invocation shows as
    /// failed (timers are not retried); a reconciliation stopped early by its credit budget is not a failure.
    /// </summary>
    private async Task<(int, InvocationResult)> TimerAsync(FlowTimer timer, Invocation invocation, CancellationToken cancellationToken)
    {
        var result = new InvocationResult();
        var hostPastDue = Invocation.Property(invocation.Trigger("timer"), "IsPastDue") is JValue { Type: JTokenType.Boolean } pastDue && (bool)pastDue;
        if (hostPastDue) result.Logs.Add("The host reports this invocation past due; each flow catches up once.");
        var runs = await Scheduler.RunDueAsync(timer, cancellationToken).ConfigureAwait(false);
        foreach (var run in runs) result.Logs.Add(run.Summary);
        if (runs.Count == 0) result.Logs.Add("No flow is due.");
        return (runs.Any(r => r.Failed) ? 500 : 200, result);
    }

    /// <summary>
    /// The <c>ledger-sweep</c> function: the delivery ledger forgets what is older than the retention window, when the
    /// day's sweep is due. A failed sweep answers 500 so that the invocation shows as failed.
    /// </summary>
    private async Task<(int, InvocationResult)> SweepAsync(CancellationToken cancellationToken)
    {
        var run = await Sweep.RunDueAsync(cancellationToken).ConfigureAwait(false);
        var result = new InvocationResult();
        result.Logs.Add(run.Summary);
        return (run.IsFailure ? 500 : 200, result);
    }

    private static InvocationResult Answer(WebhookAnswer answer) => new InvocationResult().Http("res", answer.Status, answer.Body, answer.ContentType);

    private InvocationResult Failure(string reason)
    {
        _log.LogWarning("Invocation failed: {Reason}", reason);
        var result = new InvocationResult();
        result.Logs.Add(reason);
        return result;
    }

    private static Dictionary<string, string> HeadersOf(IHeaderDictionary headers)
    {
        var byName = new Dictionary<string, string>(headers.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in headers) byName[name] = values.ToString();
        return byName;
    }

    private static async Task WriteAsync(HttpContext context, int status, InvocationResult result)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(result.ToJson(), context.RequestAborted).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync().ConfigureAwait(false);
        await Storage.DisposeAsync().ConfigureAwait(false);
    }
}
