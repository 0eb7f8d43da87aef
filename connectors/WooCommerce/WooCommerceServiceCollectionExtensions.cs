using Connectors.Core.Webhooks;
using Connectors.Core.Connectors;
using Connectors.Core.Http;
using Connectors.Core.Resilience;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Refit;

namespace Connectors.WooCommerce;

/// <summary>
/// Registers WooCommerce systems. Each system is keyed by its config name, so one container can hold several
/// stores: <c>services.AddWooCommerceConnector("shop-eu", …).AddWooCommerceConnector("shop-us", …)</c>.
/// </summary>
public static class WooCommerceServiceCollectionExtensions
{
    /// <summary>
    /// Validates <paramref name="options"/> (throws <see cref="System.ComponentModel.DataAnnotations.ValidationException"/>
    /// naming the bad setting) and registers, keyed by <paramref name="system"/>: the typed <see cref="IWooCommerceApi"/>
    /// client (resilience pipeline, Basic auth with the REST API key, API-call meter), the <see cref="WooCommerceConnector"/>
    /// (also as <see cref="ISourceConnector"/>), and, when a webhook secret is configured, the <see cref="WooCommerceWebhooks"/>
    /// verifier. Uses the container's <see cref="TimeProvider"/> (the system clock if none is registered).
    /// </summary>
    public static IServiceCollection AddWooCommerceConnector(this IServiceCollection services, string system, WooCommerceOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(system);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        services.TryAddSingleton(TimeProvider.System);
        var settings = new RefitSettings { ContentSerializer = new NewtonsoftContentSerializer() };
        services.AddKeyedRefitGeneratedClient<IWooCommerceApi>(system, settings, httpClientName: $"woocommerce:{system}")
            .ConfigureHttpClient(client =>
            {
                client.BaseAddress = options.StoreUrl;
                // The resilience pipeline owns timeouts, on the injected clock.
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddConnectorResilience(system, options.Resilience)
            .AddHttpMessageHandler(() => new WooCommerceAuth(options.ConsumerKey, options.ConsumerSecret))
            .AddApiCallMeter(system);

        services.AddKeyedSingleton(system, (provider, _) => new WooCommerceConnector(
            system,
            options,
            provider.GetRequiredKeyedService<IWooCommerceApi>(system),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetService<ILoggerFactory>()?.CreateLogger<WooCommerceConnector>() ?? NullLogger<WooCommerceConnector>.Instance));
        services.AddKeyedSingleton<ISourceConnector>(system, (provider, _) => provider.GetRequiredKeyedService<WooCommerceConnector>(system));

        if (!string.IsNullOrEmpty(options.WebhookSecret))
        {
            var secrets = new WebhookSecrets(options.WebhookSecret, options.PreviousWebhookSecret, options.PreviousWebhookSecretValidUntil);
            services.AddKeyedSingleton(system, (provider, _) => new WooCommerceWebhooks(secrets, provider.GetRequiredService<TimeProvider>()));
        }
        return services;
    }

    /// <summary>The connector registered for <paramref name="system"/> by <see cref="AddWooCommerceConnector"/>.</summary>
    public static WooCommerceConnector GetWooCommerceConnector(this IServiceProvider services, string system)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.GetRequiredKeyedService<WooCommerceConnector>(system);
    }

    /// <summary>The webhook verifier registered for <paramref name="system"/> (it needs <see cref="WooCommerceOptions.WebhookSecret"/>).</summary>
    public static WooCommerceWebhooks GetWooCommerceWebhooks(this IServiceProvider services, string system)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.GetRequiredKeyedService<WooCommerceWebhooks>(system);
    }
}
