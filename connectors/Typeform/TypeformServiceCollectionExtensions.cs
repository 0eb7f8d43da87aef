using Connectors.Core.Connectors;
using Connectors.Core.Http;
using Connectors.Core.Resilience;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Refit;

namespace Connectors.Typeform;

/// <summary>
/// Registers Typeform systems. Each system is keyed by its config name, so one container can hold several
/// accounts or forms: <c>services.AddTypeformConnector("nps", …).AddTypeformConnector("csat", …)</c>.
/// </summary>
public static class TypeformServiceCollectionExtensions
{
    /// <summary>
    /// Validates <paramref name="options"/> (throws <see cref="System.ComponentModel.DataAnnotations.ValidationException"/>
    /// naming the bad setting) and registers, keyed by <paramref name="system"/>: the typed <see cref="ITypeformApi"/>
    /// client (resilience pipeline, request pacing at <see cref="TypeformOptions.RequestsPerSecond"/>, bearer token,
    /// API-call meter), the <see cref="TypeformConnector"/> (also as <see cref="ISourceConnector"/>), and, when a
    /// webhook secret is configured, the <see cref="TypeformWebhooks"/> verifier. Uses the container's
    /// <see cref="TimeProvider"/> (the system clock if none is registered).
    /// </summary>
    public static IServiceCollection AddTypeformConnector(this IServiceCollection services, string system, TypeformOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(system);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        services.TryAddSingleton(TimeProvider.System);
        services.AddKeyedSingleton(system, (provider, _) => new TypeformRequestRate(options.RequestsPerSecond, provider.GetRequiredService<TimeProvider>()));
        var settings = new RefitSettings { ContentSerializer = new NewtonsoftContentSerializer() };
        services.AddKeyedRefitGeneratedClient<ITypeformApi>(system, settings, httpClientName: $"typeform:{system}")
            .ConfigureHttpClient(client =>
            {
                client.BaseAddress = options.BaseUrl;
                // The resilience pipeline owns timeouts, on the injected clock.
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddConnectorResilience(system, options.Resilience)
            .AddHttpMessageHandler(provider => new TypeformPacer(provider.GetRequiredKeyedService<TypeformRequestRate>(system)))
            .AddHttpMessageHandler(() => new TypeformAuth(options.AccessToken))
            .AddApiCallMeter(system);

        services.AddKeyedSingleton(system, (provider, _) => new TypeformConnector(
            system,
            options,
            provider.GetRequiredKeyedService<ITypeformApi>(system),
            provider.GetService<ILoggerFactory>()?.CreateLogger<TypeformConnector>() ?? NullLogger<TypeformConnector>.Instance));
        services.AddKeyedSingleton<ISourceConnector>(system, (provider, _) => provider.GetRequiredKeyedService<TypeformConnector>(system));

        if (!string.IsNullOrEmpty(options.WebhookSecret))
        {
            services.AddKeyedSingleton(system, (_, _) => new TypeformWebhooks(options.WebhookSecret, options.FormId));
        }
        return services;
    }

    /// <summary>The connector registered for <paramref name="system"/> by <see cref="AddTypeformConnector"/>.</summary>
    public static TypeformConnector GetTypeformConnector(this IServiceProvider services, string system)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.GetRequiredKeyedService<TypeformConnector>(system);
    }

    /// <summary>The webhook verifier registered for <paramref name="system"/> (it needs <see cref="TypeformOptions.WebhookSecret"/>).</summary>
    public static TypeformWebhooks GetTypeformWebhooks(this IServiceProvider services, string system)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.GetRequiredKeyedService<TypeformWebhooks>(system);
    }
}
