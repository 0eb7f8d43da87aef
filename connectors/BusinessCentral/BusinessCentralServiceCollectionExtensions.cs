using Connectors.Core.Http;
using Connectors.Core.Resilience;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Refit;

namespace Connectors.BusinessCentral;

/// <summary>
/// Registers Business Central systems: their token holder, HTTP pipelines, connector and, when a webhook
/// clientState is configured, their <see cref="BusinessCentralWebhooks"/>, keyed by system name.
/// </summary>
public static class BusinessCentralServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Business Central system <paramref name="system"/>. Resolve its connector with
    /// <see cref="GetBusinessCentralConnector"/> (or <c>GetRequiredKeyedService&lt;BusinessCentralConnector&gt;(system)</c>).
    /// The API client's handlers, outermost first: resilience (retries 429/503/504, honouring Retry-After, on the
    /// container's <see cref="TimeProvider"/>), the bearer token, the API-call meter. When
    /// <see cref="BusinessCentralOptions.WebhookClientState"/> is set, the system's <see cref="BusinessCentralWebhooks"/>
    /// too (<see cref="GetBusinessCentralWebhooks"/>).
    /// </summary>
    /// <param name="services">The container.</param>
    /// <param name="system">The system's name in the config.</param>
    /// <param name="options">The options; validated here, so a bad config fails at start.</param>
    /// <exception cref="System.ComponentModel.DataAnnotations.ValidationException">A setting is missing or out of range.</exception>
    public static IServiceCollection AddBusinessCentral(this IServiceCollection services, string system, BusinessCentralOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(system);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        services.TryAddSingleton(TimeProvider.System);
        var settings = new RefitSettings { ContentSerializer = new NewtonsoftContentSerializer() };

        // The token endpoint is Entra ID, not Business Central: resilient, but not metered as the system's calls.
        services.AddKeyedRefitGeneratedClient<IBusinessCentralTokenApi>(system, settings, $"{system}-token")
            .ConfigureHttpClient(client => ConfigureClient(client, options.EffectiveTokenEndpoint))
            .AddConnectorResilience($"{system}-token", options.Resilience);
        services.AddKeyedSingleton(system, (provider, _) => new BusinessCentralAuth(system,
            provider.GetRequiredKeyedService<IBusinessCentralTokenApi>(system), options, provider.GetRequiredService<TimeProvider>()));

        services.AddKeyedRefitGeneratedClient<IBusinessCentralApi>(system, settings, $"{system}-api")
            .ConfigureHttpClient(client => ConfigureClient(client, options.EffectiveBaseUrl))
            .AddConnectorResilience(system, options.Resilience)
            .AddHttpMessageHandler(provider => new BusinessCentralAuthHandler(provider.GetRequiredKeyedService<BusinessCentralAuth>(system)))
            .AddApiCallMeter(system);

        // Transient, so that each use gets a client from the factory's current handler (DNS changes are seen);
        // the token, the only state worth keeping, lives in the keyed BusinessCentralAuth singleton.
        services.AddKeyedTransient(system, (provider, _) => new BusinessCentralConnector(system,
            provider.GetRequiredKeyedService<IBusinessCentralApi>(system), options,
            provider.GetService<ILogger<BusinessCentralConnector>>()));

        if (!string.IsNullOrEmpty(options.WebhookClientState))
        {
            var (clientState, companyId) = (options.WebhookClientState, options.CompanyId);
            services.AddKeyedSingleton(system, (_, _) => new BusinessCentralWebhooks(clientState, companyId));
        }
        return services;
    }

    /// <summary>The connector of the Business Central system registered as <paramref name="system"/>.</summary>
    /// <param name="services">The built container.</param>
    /// <param name="system">The system's name in the config.</param>
    public static BusinessCentralConnector GetBusinessCentralConnector(this IServiceProvider services, string system) =>
        services.GetRequiredKeyedService<BusinessCentralConnector>(system);

    /// <summary>The webhook reader of the Business Central system registered as <paramref name="system"/> (it needs <see cref="BusinessCentralOptions.WebhookClientState"/>).</summary>
    /// <param name="services">The built container.</param>
    /// <param name="system">The system's name in the config.</param>
    public static BusinessCentralWebhooks GetBusinessCentralWebhooks(this IServiceProvider services, string system) =>
        services.GetRequiredKeyedService<BusinessCentralWebhooks>(system);

    private static void ConfigureClient(HttpClient client, Uri baseAddress)
    {
        client.BaseAddress = baseAddress;
        // The resilience pipeline's timeouts (on the container's clock) govern; HttpClient's own 100 s would cut
        // a call that is waiting out a Retry-After.
        client.Timeout = Timeout.InfiniteTimeSpan;
    }
}
