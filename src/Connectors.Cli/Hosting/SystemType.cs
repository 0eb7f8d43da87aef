using System.ComponentModel.DataAnnotations;
using Connectors.Core.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Connectors.Cli.Hosting;

/// <summary>
/// A connector type whose config <c>settings</c> bind by name (case-insensitive) onto the vendor's
/// options class, so a config reads like the connector's own option names.
/// </summary>
internal sealed class SystemType(
    string name,
    Action<IServiceCollection, string, IConfiguration> register,
    Func<IServiceProvider, string, object> resolve)
{
    public string Name => name;

    public void Register(IServiceCollection services, SystemConfig system)
    {
        var settings = new ConfigurationBuilder()
            .AddInMemoryCollection(system.Settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)))
            .Build();
        Guard(system, () => register(services, system.Name, settings));
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
