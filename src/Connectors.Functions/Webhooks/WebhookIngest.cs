using System.Collections.Concurrent;
using Connectors.BusinessCentral;
using Connectors.Core.Queue;
using Connectors.Functions.Hosting;
using Connectors.Shopify;
using Connectors.WooCommerce;
using Connectors.Zoho;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Connectors.Functions.Webhooks;

/// <summary>
/// The <c>webhook</c> function: takes a vendor's delivery in or refuses it, and answers at once. A
/// delivery is verified by its system's verifier (401 when forged or unsigned), bounded in size (413),
/// acknowledged and dropped when stale (the scheduled sync covers it), and handed to the
/// <see cref="DeliveryIntake"/>, which claims it in the delivery ledger so that its duplicates are
/// acknowledged without being queued again and queues a small <see cref="SyncRequest"/> for each flow that
/// listens to the stream, by groups. The answer waits until the event is queued. The records are read
/// later by the worker, as they are then: the body is never trusted for content or order.
/// </summary>
internal sealed class WebhookIngest
{
    private readonly ConnectorHost _host;
    private readonly DeliveryIntake _intake;
    private readonly FunctionAppSettings _settings;
    private readonly TimeProvider _clock;
    private readonly ILogger<WebhookIngest> _log;
    private readonly ConcurrentDictionary<string, IWebhookVerifier?> _verifiers = new(StringComparer.Ordinal);

    public WebhookIngest(ConnectorHost host, IWorkQueue queue, IDeliveryLedger ledger, FunctionAppSettings settings, TimeProvider clock, ILogger<WebhookIngest> log)
    {
        _host = host;
        _intake = new DeliveryIntake(queue, ledger, settings, log);
        _settings = settings;
        _clock = clock;
        _log = log;
    }

    /// <summary>The largest body taken in, in bytes.</summary>
    public int MaxBodyBytes => _settings.WebhookMaxBodyBytes;

    /// <summary>The answer to a body that was over <see cref="MaxBodyBytes"/>; it was not read past the limit.</summary>
    public WebhookAnswer TooLarge(string system)
    {
        _log.LogWarning("Webhook for {System} refused: the body is over {Limit} bytes", system, MaxBodyBytes);
        return WebhookAnswer.Json(StatusCodes.Status413PayloadTooLarge, "refused", $"The body is over {MaxBodyBytes} bytes.");
    }

    /// <summary>Takes one delivery in or refuses it.</summary>
    public async Task<WebhookAnswer> HandleAsync(WebhookRequest request, CancellationToken cancellationToken)
    {
        if (request.Body.Length > MaxBodyBytes) return TooLarge(request.System);
        if (VerifierOf(request.System) is not { } verifier)
        {
            return WebhookAnswer.Json(StatusCodes.Status404NotFound, "unknown", $"No system named '{request.System}' takes webhooks here.");
        }
        WebhookVerdict verdict = verifier.Verify(request);
        switch (verdict)
        {
            case WebhookVerdict.Handshake handshake:
                return new WebhookAnswer(StatusCodes.Status200OK, handshake.Echo, "text/plain");
            case WebhookVerdict.Forged forged:
                _log.LogWarning("Webhook for {System} refused: {Reason}", request.System, forged.Reason);
                return WebhookAnswer.Json(StatusCodes.Status401Unauthorized, "refused", forged.Reason);
        }

        var now = _clock.GetUtcNow();
        var stale = 0;
        var events = ((WebhookVerdict.Genuine)verdict).Events;
        var taking = new List<Task<IntakeOutcome>>(events.Count);
        foreach (var change in events)
        {
            if (change.TriggeredAt is { } at && now - at > _settings.WebhookMaxAge)
            {
                // Acknowledged, not refused: a 4xx would only make the vendor retry the same stale delivery
                // (and Shopify removes subscriptions that keep failing). The scheduled sync reads the record.
                _log.LogWarning("Webhook for {System} dropped: triggered at {At}, older than {MaxAge}", request.System, at, _settings.WebhookMaxAge);
                stale++;
                continue;
            }
            var requests = new List<SyncRequest>(1);
            foreach (var flow in _host.Config.Flows)
            {
                if (flow.Webhooks && flow.From.System == request.System && string.Equals(flow.From.Stream, change.Stream, StringComparison.OrdinalIgnoreCase))
                {
                    requests.Add(new SyncRequest(flow.Name, flow.From.ToString(), change.RecordIds, change.DeliveryKey, now));
                }
            }
            if (requests.Count == 0) continue;
            taking.Add(_intake.TakeAsync(request.System, change.DeliveryKey, requests, cancellationToken));
        }
        // Most deliveries carry one event: its outcome is awaited as it is, with nothing to gather.
        IntakeOutcome[] outcomes = taking is [var one] ? [await one.ConfigureAwait(false)] : await Task.WhenAll(taking).ConfigureAwait(false);
        if (outcomes.Contains(IntakeOutcome.Failed))
        {
            return WebhookAnswer.Json(StatusCodes.Status503ServiceUnavailable, "retry", "The delivery could not be queued; send it again.");
        }
        if (outcomes.Contains(IntakeOutcome.InProgress))
        {
            // Another instance is queueing this very event now. If it dies first, its claim runs out and
            // the vendor's retry takes the event over; acknowledging here could lose it.
            return WebhookAnswer.Json(StatusCodes.Status503ServiceUnavailable, "in-progress", "The same event is being taken in; send it again later.");
        }
        var outcome = outcomes.Contains(IntakeOutcome.Queued) ? "queued"
            : outcomes.Contains(IntakeOutcome.Duplicate) ? "duplicate"
            : stale > 0 ? "stale" : "ignored";
        return WebhookAnswer.Json(StatusCodes.Status200OK, outcome);
    }

    private IWebhookVerifier? VerifierOf(string system) => _verifiers.GetOrAdd(system, name =>
    {
        if (!_host.Config.Systems.TryGetValue(name, out var config)) return null;
        return config.Type.ToLowerInvariant() switch
        {
            "shopify" => _host.Services.GetKeyedService<ShopifyWebhooks>(name) is { } shopify ? new ShopifyWebhookVerifier(shopify) : null,
            "zoho" => _host.Services.GetKeyedService<ZohoWebhooks>(name) is { } zoho ? new ZohoWebhookVerifier(zoho) : null,
            "woocommerce" => _host.Services.GetKeyedService<WooCommerceWebhooks>(name) is { } woo ? new WooCommerceWebhookVerifier(woo) : null,
            "businesscentral" => _host.Services.GetKeyedService<BusinessCentralWebhooks>(name) is { } bc ? new BusinessCentralWebhookVerifier(bc) : null,
            _ => null,
        };
    });
}
