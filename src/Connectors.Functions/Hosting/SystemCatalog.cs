using Connectors.Core.Configuration;
using Connectors.Core.Connectors;
using Connectors.Core.Http;
using Connectors.Core.Resilience;
using Connectors.Core.Schema;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Connectors.Functions.Hosting;

/// <summary>
/// The system types of this build for <see cref="ConfigCheck"/>: their built-in schemas, and each system's
/// connector built on its own, so that one system with bad settings does not keep the others from being
/// asked for their live metadata.
/// </summary>
internal sealed class SystemCatalog(TimeProvider clock, ILoggerFactory logging, ConnectorResilienceOptions resilience) : ISystemCatalog, IAsyncDisposable
{
    /// <summary>How hard validate tries to reach a system: once more after a failure, for at most 20 seconds in all.</summary>
    public static ConnectorResilienceOptions QuickResilience => new()
    {
        MaxRetries = 1,
        BaseDelay = TimeSpan.FromMilliseconds(500),
        AttemptTimeout = TimeSpan.FromSeconds(10),
        TotalTimeout = TimeSpan.FromSeconds(20),
    };

    private readonly Dictionary<string, SystemType> _types = SystemTypes.All.ToDictionary(t => t.Name, StringComparer.OrdinalIgnoreCase);
    private readonly List<ServiceProvider> _providers = [];

    /// <inheritdoc />
    public IReadOnlyList<StreamSchema>? BuiltInStreams(string systemType) => _types.GetValueOrDefault(systemType)?.Schemas;

    /// <inheritdoc />
    public SystemConnection Connect(SystemConfig system)
    {
        ArgumentNullException.ThrowIfNull(system);
        if (!_types.TryGetValue(system.Type, out var type))
        {
            return new SystemConnection(null, [new ConfigError(system.Location, null, system.Name,
                $"unknown system type '{system.Type}'; known types: {string.Join(", ", _types.Keys)}.")]);
        }
        var services = new ServiceCollection();
        services.AddSingleton(clock);
        services.AddSingleton(logging);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddSingleton<ApiCallMeter>();
        try
        {
            type.Register(services, system, resilience);
            var provider = services.BuildServiceProvider();
            _providers.Add(provider);
            var connector = type.Guard(system, () => type.Resolve(provider, system.Name));
            return new SystemConnection(connector as IDescribeStreams, []);
        }
        catch (ConfigException e)
        {
            return new SystemConnection(null, e.Errors);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var provider in _providers) await provider.DisposeAsync().ConfigureAwait(false);
    }
}
