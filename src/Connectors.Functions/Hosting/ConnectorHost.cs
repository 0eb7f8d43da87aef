using Connectors.Core.Configuration;
using Connectors.Core.Connectors;
using Connectors.Core.Http;
using Connectors.Core.Reconciliation;
using Connectors.Core.State;
using Connectors.Core.Sync;
using Connectors.State.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Connectors.Functions.Hosting;

/// <summary>
/// The composition root of one config: its systems' connectors, the state store, the clock and the
/// sync engine, wired once and shared by every command of the process.
/// </summary>
internal sealed class ConnectorHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly ConnectorConfig _config;
    private readonly Dictionary<string, SystemType> _types;

    private ConnectorHost(ServiceProvider services, ConnectorConfig config, Dictionary<string, SystemType> types)
    {
        _services = services;
        _config = config;
        _types = types;
    }

    /// <summary>The state store.</summary>
    public ISyncStateStore State => _services.GetRequiredService<ISyncStateStore>();

    /// <summary>Builds the host; every system of the config must be of a known type with valid settings.</summary>
    public static ConnectorHost Build(ConnectorConfig config, string statePath, TimeProvider clock, ILoggerFactory logging)
    {
        var types = SystemTypes.All.ToDictionary(t => t.Name, StringComparer.OrdinalIgnoreCase);
        var services = new ServiceCollection();
        services.AddSingleton(clock);
        services.AddSingleton(logging);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddSingleton<ApiCallMeter>();
        services.AddSingleton<ISyncStateStore>(_ => new SqliteSyncStateStore(new SqliteStateOptions { DatabasePath = statePath }));
        services.AddSingleton<SyncRun>();
        services.AddSingleton<ReconcileRun>();
        var errors = new List<ConfigError>();
        foreach (var system in config.Systems.Values)
        {
            if (!types.TryGetValue(system.Type, out var type))
            {
                errors.Add(new ConfigError(system.Location, null, system.Name,
                    $"unknown system type '{system.Type}'; known types: {string.Join(", ", types.Keys)}."));
                continue;
            }
            try
            {
                type.Register(services, system);
            }
            catch (ConfigException e)
            {
                errors.AddRange(e.Errors);
            }
        }
        if (errors.Count > 0) throw new ConfigException(errors);
        var provider = services.BuildServiceProvider();
        // Resolve every system now: options are validated on first resolution, and a bad setting must
        // fail at start with its name, not in the middle of a run.
        foreach (var system in config.Systems.Values)
        {
            try
            {
                types[system.Type].Guard(system, () => types[system.Type].Resolve(provider, system.Name));
            }
            catch (ConfigException e)
            {
                errors.AddRange(e.Errors);
            }
        }
        if (errors.Count > 0)
        {
            provider.Dispose();
            throw new ConfigException(errors);
        }
        return new ConnectorHost(provider, config, types);
    }

    /// <summary>Runs one flow once.</summary>
    public async Task<SyncReport> SyncAsync(string flowName, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        var flowConfig = _config.Flow(flowName);
        var flow = _config.Compile(flowConfig);
        var source = Connector<ISourceConnector>(flowConfig.From.System, flowConfig, "read from");
        var target = Connector<ITargetConnector>(flowConfig.To.System, flowConfig, "write to");
        return await _services.GetRequiredService<SyncRun>().RunAsync(flow, source, target, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The names of the config's flows, in the order written.</summary>
    public IReadOnlyList<string> FlowNames => [.. _config.Flows.Select(f => f.Name)];

    /// <summary>
    /// Reconciles one flow once with the policies of its <c>reconcile:</c> block: the entry point of the CLI's
    /// <c>reconcile</c> command and of the <c>reconcile</c> timer function.
    /// </summary>
    /// <param name="flowName">The flow.</param>
    /// <param name="repair">Whether to repair what the policies allow, or only report.</param>
    /// <param name="workFolder">Where the run's scratch file and checkpoint live (local disk).</param>
    /// <param name="reportFolder">Where the JSON and HTML reports go.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    public async Task<ReconcileReport> ReconcileAsync(string flowName, bool repair, string workFolder, string reportFolder,
        CancellationToken cancellationToken)
    {
        var flowConfig = _config.Flow(flowName);
        var flow = _config.Compile(flowConfig);
        var source = Connector<ISourceConnector>(flowConfig.From.System, flowConfig, "read from");
        var target = Connector<ITargetConnector>(flowConfig.To.System, flowConfig, "write to");
        var options = (flowConfig.Reconciliation ?? new ReconcileConfig(flowConfig.Location)).ToOptions(repair, workFolder, reportFolder);
        return await _services.GetRequiredService<ReconcileRun>().RunAsync(flow, source, target, options, cancellationToken).ConfigureAwait(false);
    }

    private T Connector<T>(string systemName, FlowConfig flow, string verb) where T : class
    {
        var system = _config.Systems[systemName];
        return _types[system.Type].Resolve(_services, systemName) as T
            ?? throw new ConfigException([new ConfigError(flow.Location, flow.Name, null,
                $"system '{systemName}' is of type '{system.Type}', which this flow cannot {verb}.")]);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
