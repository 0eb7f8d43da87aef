using System.ComponentModel.DataAnnotations;
using Connectors.Core.Configuration;
using Connectors.Core.Resilience;
using Connectors.Core.Schema;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Connectors.Functions.Hosting;

/// <summary>
/// A connector type whose config <c>settings</c> bind by name (case-insensitive) onto the vendor's
/// options class, so a config reads like the connector's own option names. The resilience options, when
/// given, replace the connector's own (validate asks live metadata once, without a long retry).
/// </summary>
internal sealed class SystemType(
    string name,
    Action<IServiceCollection, string, IConfiguration, ConnectorResilienceOptions?> register,
    Func<IServiceProvider, string, object> resolve,
    Func<IReadOnlyList<StreamSchema>>? schemas = null)
{
    public string Name => name;

    /// <summary>The schemas the type's connector ships; empty when it ships none.</summary>
    public IReadOnlyList<StreamSchema> Schemas => schemas?.Invoke() ?? [];

    public void Register(IServiceCollection services, SystemConfig system, ConnectorResilienceOptions? resilience = null)
    {
        var settings = new ConfigurationBuilder()
            .AddInMemoryCollection(system.Settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)))
            .Build();
        Guard(system, () => register(services, system.Name, settings, resilience));
    }

    public object Resolve(IServiceProvider services, string systemName) => resolve(services, systemName);

    /// <summary>Runs <paramref name="action"/>, turning a settings problem into a located config error.</summary>
    public T Guard<T>(SystemConfig system, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is ValidationException or OptionsValidationException or InvalidOperationException)
        {
            // Binder and validation messages name the setting, never its value.
            throw new ConfigException([new ConfigError(system.Location, null, system.Name, $"settings of type '{name}': {e.Message}")]);
        }
    }

    private void Guard(SystemConfig system, Action action) => Guard(system, () => { action(); return true; });
}
