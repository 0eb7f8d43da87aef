using System.Collections.Concurrent;
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
/// acknowledged and dropped when stale (the scheduled sync covers it), claimed in the delivery ledger so
/// that its duplicates are acknowledged without being queued again (claim, queue, mark queued: a taker
/// that dies in between leaves a claim that runs out, and the vendor's retry takes the event over), and queued as one small
/// <see cref="SyncRequest"/> per flow that listens to the stream. The records are read later by the
/// worker, as they are then: the body is never trusted for content or order.
/// </summary>
internal sealed class WebhookIngest
{
    private readonly ConnectorHost _host;
    private readonly IWorkQueue _queue;
    private readonly IDeliveryLedger _ledger;
    private readonly FunctionAppSettings _settings;
    private readonly TimeProvider _clock;
    private readonly ILogger<WebhookIngest> _log;
    private readonly ConcurrentDictionary<string, IWebhookVerifier?> _verifiers = new(StringComparer.Ordinal);

    public WebhookIngest(ConnectorHost host, IWorkQueue queue, IDeliveryLedger ledger, FunctionAppSettings settings, TimeProvider clock, ILogger<WebhookIngest> log)
    {
        _host = host;
        _queue = queue;
        _ledger = ledger;
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
        var queued = 0;
        var duplicates = 0;
        var stale = 0;
        foreach (var change in ((WebhookVerdict.Genuine)verdict).Events)
        {
            if (change.TriggeredAt is { } at && now - at > _settings.WebhookMaxAge)
            {
                // Acknowledged, not refused: a 4xx would only make the vendor retry the same stale delivery
                // (and Shopify removes subscriptions that keep failing). The scheduled sync reads the record.
                _log.LogWarning("Webhook for {System} dropped: triggered at {At}, older than {MaxAge}", request.System, at, _settings.WebhookMaxAge);
                stale++;
                continue;
            }
            var requests = _host.Config.Flows
                .Where(f => f.Webhooks && f.From.System == request.System && string.Equals(f.From.Stream, change.Stream, StringComparison.OrdinalIgnoreCase))
                .Select(f => new SyncRequest(f.Name, f.From.ToString(), change.RecordIds, change.DeliveryKey, now))
                .ToArray();
            if (requests.Length == 0) continue;
            var claim = change.DeliveryKey is { } key
                ? await _ledger.TryClaimAsync(request.System, key, _settings.WebhookClaimTimeout, cancellationToken).ConfigureAwait(false)
                : DeliveryClaim.Taken;
            if (claim == DeliveryClaim.Duplicate)
            {
                duplicates++;
                continue;
            }
            if (claim == DeliveryClaim.InProgress)
            {
                // Another instance is queueing this very event now. If it dies first, its claim runs out and
                // the vendor's retry takes the event over; acknowledging here could lose it.
                return WebhookAnswer.Json(StatusCodes.Status503ServiceUnavailable, "in-progress", "The same event is being taken in; send it again later.");
            }
            try
            {
                await _queue.EnqueueAsync(requests, cancellationToken).ConfigureAwait(false);
                queued += requests.Length;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Not queued: forget the delivery so that the vendor's retry is taken in, and ask for that retry.
                _log.LogError(e, "Webhook for {System}: queueing failed; asking the vendor to retry", request.System);
                if (change.DeliveryKey is { } taken)
                {
                    await _ledger.ForgetAsync(request.System, taken, CancellationToken.None).ConfigureAwait(false);
                }
                return WebhookAnswer.Json(StatusCodes.Status503ServiceUnavailable, "retry", "The delivery could not be queued; send it again.");
            }
            if (change.DeliveryKey is { } done)
            {
                await _ledger.MarkQueuedAsync(request.System, done, CancellationToken.None).ConfigureAwait(false);
            }
        }
        var outcome = queued > 0 ? "queued" : duplicates > 0 ? "duplicate" : stale > 0 ? "stale" : "ignored";
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
            _ => null,
        };
    });
}
