using System.Collections.Concurrent;
using Connectors.Core.Conflicts;
using Connectors.Core.Configuration;
using Connectors.Core.Flows;
using Connectors.Core.Connectors;
using Connectors.Core.Http;
using Connectors.Core.Reconciliation;
using Connectors.Core.State;
using Connectors.Core.Sync;
using Connectors.Core.Sync.TwoWay;
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
    private readonly ConcurrentDictionary<string, Flow> _compiled = new(StringComparer.Ordinal);

    private ConnectorHost(ServiceProvider services, ConnectorConfig config, Dictionary<string, SystemType> types)
    {
        _services = services;
        _config = config;
        _types = types;
    }

    /// <summary>The state store.</summary>
    public ITwoWayStateStore State => _services.GetRequiredService<ITwoWayStateStore>();

    /// <summary>The config the host was built from.</summary>
    public ConnectorConfig Config => _config;

    /// <summary>The container, for the systems' keyed services (webhook verifiers).</summary>
    public IServiceProvider Services => _services;

    /// <summary>Builds the host on the SQLite state store at <paramref name="statePath"/>; every system of the config must be of a known type with valid settings.</summary>
    public static ConnectorHost Build(ConnectorConfig config, string statePath, TimeProvider clock, ILoggerFactory logging) =>
        Build(config, services =>
        {
            services.AddSingleton(_ => new SqliteSyncStateStore(new SqliteStateOptions { DatabasePath = statePath }));
            services.AddSingleton<ISyncStateStore>(provider => provider.GetRequiredService<SqliteSyncStateStore>());
            services.AddSingleton<ITwoWayStateStore>(provider => provider.GetRequiredService<SqliteSyncStateStore>());
        }, clock, logging);

    /// <summary>
    /// Builds the host on a state store owned by the caller (the Azure Table store when the app runs on
    /// Azure Storage); the host does not dispose it.
    /// </summary>
    public static ConnectorHost Build(ConnectorConfig config, ITwoWayStateStore state, TimeProvider clock, ILoggerFactory logging) =>
        Build(config, services => services.AddSingleton<ISyncStateStore>(state).AddSingleton(state), clock, logging);

    private static ConnectorHost Build(ConnectorConfig config, Action<IServiceCollection> addState, TimeProvider clock, ILoggerFactory logging)
    {
        var types = SystemTypes.All.ToDictionary(t => t.Name, StringComparer.OrdinalIgnoreCase);
        var services = new ServiceCollection();
        services.AddSingleton(clock);
        services.AddSingleton(logging);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddSingleton<ApiCallMeter>();
        addState(services);
        services.AddSingleton<SyncRun>();
        services.AddSingleton<TwoWaySync>();
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
        var (flow, source, target) = Resolve(flowName);
        return await _services.GetRequiredService<SyncRun>().RunAsync(flow, source, target, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Plans one flow: what a run would do with at most <paramref name="limit"/> changed records, writing nothing.</summary>
    public async Task<PlanReport> PlanAsync(string flowName, int limit, CancellationToken cancellationToken)
    {
        var (flow, source, target) = Resolve(flowName);
        return await new SyncPlan(State).PlanAsync(flow, source, target, limit, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Syncs the named source records of one flow as they are now (the webhook path); the watermark stays.</summary>
    public async Task<SyncReport> SyncIdsAsync(string flowName, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var (flow, source, target) = Resolve(flowName);
        return await _services.GetRequiredService<SyncRun>().RunForIdsAsync(flow, source, target, ids, cancellationToken).ConfigureAwait(false);
    }

    private (Flow Flow, ISourceConnector Source, ITargetConnector Target) Resolve(string flowName)
    {
        var flowConfig = _config.Flow(flowName);
        // Compiled once per process: the worker runs the same flow for every queue batch.
        var flow = _compiled.GetOrAdd(flowName, _ => _config.Compile(flowConfig));
        return (flow,
            Connector<ISourceConnector>(flowConfig.From.System, flowConfig, "read from"),
            Connector<ITargetConnector>(flowConfig.To.System, flowConfig, "write to"));
    }

    /// <summary>Whether the flow of that name is two-way.</summary>
    /// <exception cref="ConfigException">No such flow.</exception>
    public bool IsTwoWay(string flowName) => _config.Flow(flowName).Direction == FlowDirection.TwoWay;

    /// <summary>Runs one two-way flow once.</summary>
    /// <exception cref="ConfigException">The flow is not two-way, a mapping does not compile, or a system cannot be read and written.</exception>
    public async Task<TwoWayReport> SyncTwoWayAsync(string flowName, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        var flowConfig = _config.Flow(flowName);
        var flow = _config.CompileTwoWay(flowConfig);
        var left = new SideConnectors(Connector<ISourceConnector>(flowConfig.From.System, flowConfig, "read from"),
            Connector<ITargetConnector>(flowConfig.From.System, flowConfig, "write to"));
        var right = new SideConnectors(Connector<ISourceConnector>(flowConfig.To.System, flowConfig, "read from"),
            Connector<ITargetConnector>(flowConfig.To.System, flowConfig, "write to"));
        return await _services.GetRequiredService<TwoWaySync>().RunAsync(flow, left, right, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The two-way flows of the config, in the order written.</summary>
    public IEnumerable<FlowConfig> TwoWayFlows => _config.Flows.Where(f => f.Direction == FlowDirection.TwoWay);

    /// <summary>Finds a waiting conflict by id among the config's two-way flows.</summary>
    public async Task<Conflict?> FindConflictAsync(string id, CancellationToken cancellationToken)
    {
        foreach (var flow in TwoWayFlows)
        {
            if (await State.GetConflictAsync(flow.Name, id, cancellationToken).ConfigureAwait(false) is { } conflict) return conflict;
        }
        return null;
    }

    /// <summary>
    /// Records the decision on a waiting conflict and runs its flow, so that the decision syncs now; the run's
    /// report says what was written. <see langword="null"/> when no two-way flow has a conflict of that id.
    /// </summary>
    /// <param name="id">The conflict's id.</param>
    /// <param name="take">A system of the conflict's flow (its side's values win), or <c>merged</c>.</param>
    /// <param name="clock">The clock the decision is stamped with.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <exception cref="ConfigException"><paramref name="take"/> names neither side of the flow.</exception>
    public async Task<(Conflict Conflict, TwoWayReport Report)?> ResolveConflictAsync(string id, string take, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clock);
        if (await FindConflictAsync(id, cancellationToken).ConfigureAwait(false) is not { } conflict) return null;
        var flow = _config.Flow(conflict.Flow);
        var choice = take switch
        {
            "merged" => ConflictTake.Merged,
            _ when take == flow.From.System && take != flow.To.System => ConflictTake.Left,
            _ when take == flow.To.System && take != flow.From.System => ConflictTake.Right,
            "left" => ConflictTake.Left,
            "right" => ConflictTake.Right,
            _ => throw new ConfigException([new ConfigError(flow.Location, flow.Name, null,
                $"'{take}' is not a side of this flow: take {flow.From.System}, {flow.To.System} or merged.")]),
        };
        await State.ResolveConflictAsync(conflict.Flow, conflict.Id, new ConflictDecision(choice, clock.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        var report = await SyncTwoWayAsync(conflict.Flow, null, cancellationToken).ConfigureAwait(false);
        return (conflict, report);
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
