using Connectors.Core.Connectors;
using Connectors.Core.Http;
using Connectors.Core.Resilience;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Refit;

namespace Connectors.Zoho;

/// <summary>
/// Registers Zoho CRM systems. Each system is registered under its config name as the service key,
/// so several Zoho systems (two orgs, two data centres) live side by side in one container.
/// </summary>
public static class ZohoServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Zoho system <paramref name="system"/>: its options (named <paramref name="system"/>,
    /// validated by data annotations), the Accounts and CRM clients (source-generated Refit, resilience,
    /// a limit of <see cref="ZohoOptions.MaxConcurrency"/> calls in flight, OAuth, and the
    /// <see cref="ApiCallMeter"/> counting CRM calls under <paramref name="system"/>), the token source,
    /// the webhook verifier, and the connector — all keyed by <paramref name="system"/>. The clocks are
    /// the <see cref="TimeProvider"/> in the container (<see cref="TimeProvider.System"/> unless one is registered).
    /// </summary>
    /// <param name="services">The container.</param>
    /// <param name="system">The system's name in the config, for example <c>crm</c>.</param>
    /// <param name="resilience">Retry, Retry-After ceiling and timeouts; the defaults when <see langword="null"/>.</param>
    /// <returns>The options builder, to configure or bind the system's <see cref="ZohoOptions"/>.</returns>
    /// <example>
    /// <code>
    /// services.AddSingleton&lt;TimeProvider&gt;(clock);
    /// services.AddZohoSystem("crm").Configure(o =&gt; { o.ClientId = "…"; o.ClientSecret = "…"; o.RefreshToken = "…"; });
    /// var crm = services.BuildServiceProvider().GetZohoConnector("crm");
    /// </code>
    /// </example>
    public static OptionsBuilder<ZohoOptions> AddZohoSystem(this IServiceCollection services, string system,
        ConnectorResilienceOptions? resilience = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(system);
        resilience ??= new ConnectorResilienceOptions();
        services.TryAddSingleton(TimeProvider.System);
        var options = services.AddOptions<ZohoOptions>(system).ValidateDataAnnotations().ValidateOnStart();
        var refit = new RefitSettings { ContentSerializer = new NewtonsoftContentSerializer() };

        // Token requests are not metered: they cost no CRM API credits.
        services.AddKeyedRefitGeneratedClient<IZohoAccountsApi>(system, refit, $"zoho-accounts:{system}")
            .ConfigureHttpClient((provider, client) => Configure(client, OptionsOf(provider, system).AccountsUrl))
            .AddConnectorResilience(system, resilience);

        var crm = services.AddKeyedRefitGeneratedClient<IZohoCrmApi>(system, refit, $"zoho-crm:{system}")
            .ConfigureHttpClient((provider, client) => Configure(client, OptionsOf(provider, system).ApiDomain))
            .AddConnectorResilience(system, resilience);
        // Inside the retry, so that a call waiting out a Retry-After does not hold one of Zoho's
        // concurrency slots; the limiter lives in the pipeline, which is built once per client.
        crm.AddResilienceHandler($"{system}-concurrency", (pipeline, context) =>
            pipeline.AddConcurrencyLimiter(OptionsOf(context.ServiceProvider, system).MaxConcurrency, int.MaxValue));
        crm.AddHttpMessageHandler(provider => new ZohoAuth(system, provider.GetRequiredKeyedService<ZohoTokenSource>(system)))
            .AddApiCallMeter(system);

        // Bulk write files go to Zoho's upload host, authorised and metered like the CRM calls.
        services.AddKeyedRefitGeneratedClient<IZohoUploadApi>(system, refit, $"zoho-upload:{system}")
            .ConfigureHttpClient((provider, client) => Configure(client, OptionsOf(provider, system).UploadUrl))
            .AddConnectorResilience(system, resilience)
            .AddHttpMessageHandler(provider => new ZohoAuth(system, provider.GetRequiredKeyedService<ZohoTokenSource>(system)))
            .AddApiCallMeter(system);

        services.AddKeyedSingleton(system, (provider, _) => new ZohoTokenSource(system,
            provider.GetRequiredKeyedService<IZohoAccountsApi>(system), OptionsOf(provider, system), provider.GetRequiredService<TimeProvider>()));
        services.AddKeyedSingleton(system, (provider, _) => new ZohoWebhooks(OptionsOf(provider, system).WebhookChannels));
        // Transient: a connector is a thin adapter; the state worth sharing (token, limiter, circuit) lives in the singletons above.
        services.AddKeyedTransient(system, (provider, _) => new ZohoConnector(system, provider.GetRequiredKeyedService<IZohoCrmApi>(system),
            OptionsOf(provider, system), provider.GetService<ILogger<ZohoConnector>>(), provider.GetRequiredKeyedService<IZohoUploadApi>(system),
            provider.GetRequiredService<TimeProvider>()));
        services.AddKeyedTransient<ISourceConnector>(system, (provider, key) => provider.GetRequiredKeyedService<ZohoConnector>(key));
        services.AddKeyedTransient<ITargetConnector>(system, (provider, key) => provider.GetRequiredKeyedService<ZohoConnector>(key));
        return options;
    }

    /// <summary>The connector of the Zoho system registered as <paramref name="system"/> by <see cref="AddZohoSystem"/>.</summary>
    /// <exception cref="InvalidOperationException">No Zoho system of that name is registered.</exception>
    /// <exception cref="OptionsValidationException">The system's options are invalid.</exception>
    public static ZohoConnector GetZohoConnector(this IServiceProvider services, string system)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.GetRequiredKeyedService<ZohoConnector>(system);
    }

    /// <summary>The webhook verifier of the Zoho system registered as <paramref name="system"/>.</summary>
    public static ZohoWebhooks GetZohoWebhooks(this IServiceProvider services, string system)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.GetRequiredKeyedService<ZohoWebhooks>(system);
    }

    private static ZohoOptions OptionsOf(IServiceProvider provider, string system) =>
        provider.GetRequiredService<IOptionsMonitor<ZohoOptions>>().Get(system);

    private static void Configure(HttpClient client, Uri baseAddress)
    {
        client.BaseAddress = baseAddress;
        // The resilience pipeline owns every timeout; HttpClient's own 100 s would cut a call that is
        // legitimately waiting out a Retry-After.
        client.Timeout = Timeout.InfiniteTimeSpan;
    }
}
