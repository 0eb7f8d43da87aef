using Connectors.Core.Webhooks;
using Connectors.Core.Connectors;
using Connectors.Core.Http;
using Connectors.Core.Resilience;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Refit;

namespace Connectors.Shopify;

/// <summary>
/// Registers Shopify systems. Each system is keyed by its config name, so one container can hold several
/// stores: <c>services.AddShopifyConnector("shop-eu", …).AddShopifyConnector("shop-us", …)</c>.
/// </summary>
public static class ShopifyServiceCollectionExtensions
{
    /// <summary>
    /// Validates <paramref name="options"/> (throws <see cref="System.ComponentModel.DataAnnotations.ValidationException"/>
    /// naming the bad setting) and registers, keyed by <paramref name="system"/>: the typed
    /// <see cref="IShopifyAdminApi"/> client (resilience pipeline, access-token handler, API-call meter), the named
    /// client bulk results are downloaded with (<c>shopify-files:{system}</c>: resilience and meter, no token),
    /// the <see cref="ShopifyConnector"/> (also as <see cref="ISourceConnector"/>), and, when a webhook
    /// secret is configured, the <see cref="ShopifyWebhooks"/> verifier. Uses the container's
    /// <see cref="TimeProvider"/> (the system clock if none is registered).
    /// </summary>
    public static IServiceCollection AddShopifyConnector(this IServiceCollection services, string system, ShopifyOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(system);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        services.TryAddSingleton(TimeProvider.System);
        var settings = new RefitSettings { ContentSerializer = new NewtonsoftContentSerializer() };
        services.AddKeyedRefitGeneratedClient<IShopifyAdminApi>(system, settings, httpClientName: $"shopify:{system}")
            .ConfigureHttpClient(client =>
            {
                client.BaseAddress = options.ShopUrl;
                // The resilience pipeline owns timeouts, on the injected clock.
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddConnectorResilience(system, options.Resilience)
            .AddHttpMessageHandler(() => new ShopifyAuth(options.AccessToken))
            .AddApiCallMeter(system);
        // Bulk operation results live behind signed URLs on Shopify's storage host: no access token goes there, but the
        // download is retried and counted against the system like any other call.
        services.AddHttpClient(ResultFilesClientName(system), client => client.Timeout = Timeout.InfiniteTimeSpan)
            .AddConnectorResilience(system, options.Resilience)
            .AddApiCallMeter(system);

        services.AddKeyedSingleton(system, (provider, _) => new ShopifyConnector(
            system,
            options,
            provider.GetRequiredKeyedService<IShopifyAdminApi>(system),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetService<ILoggerFactory>()?.CreateLogger<ShopifyConnector>() ?? NullLogger<ShopifyConnector>.Instance,
            provider.GetRequiredService<IHttpClientFactory>().CreateClient(ResultFilesClientName(system))));
        services.AddKeyedSingleton<ISourceConnector>(system, (provider, _) => provider.GetRequiredKeyedService<ShopifyConnector>(system));

        if (!string.IsNullOrEmpty(options.WebhookSecret))
        {
            var secrets = new WebhookSecrets(options.WebhookSecret, options.PreviousWebhookSecret, options.PreviousWebhookSecretValidUntil);
            services.AddKeyedSingleton(system, (provider, _) => new ShopifyWebhooks(secrets, provider.GetRequiredService<TimeProvider>()));
        }
        return services;
    }

    private static string ResultFilesClientName(string system) => $"shopify-files:{system}";

    /// <summary>The connector registered for <paramref name="system"/> by <see cref="AddShopifyConnector"/>.</summary>
    public static ShopifyConnector GetShopifyConnector(this IServiceProvider services, string system)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.GetRequiredKeyedService<ShopifyConnector>(system);
    }

    /// <summary>The webhook verifier registered for <paramref name="system"/> (it needs <see cref="ShopifyOptions.WebhookSecret"/>).</summary>
    public static ShopifyWebhooks GetShopifyWebhooks(this IServiceProvider services, string system)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.GetRequiredKeyedService<ShopifyWebhooks>(system);
    }
}
