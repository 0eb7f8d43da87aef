using Connectors.Core.Configuration;
using Connectors.Functions.Hosting;
using Connectors.Sandbox.Zoho;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Connectors.Functions.Tests.Infrastructure;

/// <summary>
/// A source system's emulator and a CRM emulator on loopback, a scratch folder with a config that flows the source into
/// the CRM, and the function app on that config. A subclass names the source: its emulator, its half of the config and
/// the environment its references read.
/// </summary>
/// <typeparam name="TSource">The source system's emulator.</typeparam>
internal abstract class SourceToCrm<TSource> : IAsyncDisposable
    where TSource : IAsyncDisposable
{
    /// <summary>The config's <c>crm:</c> system, indented to stand under <c>systems:</c>; <see cref="Environment"/> fills its references.</summary>
    protected const string CrmSystemYaml = """
          crm:
            type: zoho
            settings:
              accountsUrl: ${env:ZOHO_ACCOUNTS_URL}
              apiDomain: ${env:ZOHO_API_DOMAIN}
              clientId: ${env:ZOHO_CLIENT_ID}
              clientSecret: ${secret:ZOHO_CLIENT_SECRET}
              refreshToken: ${secret:ZOHO_REFRESH_TOKEN}
        """;

    protected SourceToCrm(TSource source, ZohoSandbox crm, string folder, string config)
    {
        Source = source;
        Crm = crm;
        Folder = folder;
        Config = config;
    }

    public ZohoSandbox Crm { get; }

    /// <summary>A scratch folder for this test: the config file, SQLite files.</summary>
    public string Folder { get; }

    /// <summary>This world's config file, as written to <see cref="ConfigPath"/>.</summary>
    public string Config { get; }

    public string ConfigPath => Path.Combine(Folder, "connectors.yaml");

    /// <summary>The references of <see cref="Config"/>, pointing at the emulators.</summary>
    public Dictionary<string, string> Environment => new(SourceEnvironment)
    {
        ["ZOHO_ACCOUNTS_URL"] = Crm.AccountsUrl.ToString(),
        ["ZOHO_API_DOMAIN"] = Crm.ApiDomain.ToString(),
        ["ZOHO_CLIENT_ID"] = Crm.ClientId,
        ["ZOHO_CLIENT_SECRET"] = Crm.ClientSecret,
        ["ZOHO_REFRESH_TOKEN"] = Crm.RefreshToken,
    };

    protected TSource Source { get; }

    /// <summary>The references of the source's half of <see cref="Config"/>, pointing at <see cref="Source"/>.</summary>
    protected abstract Dictionary<string, string> SourceEnvironment { get; }

    public ConnectorConfig LoadConfig() => ConfigLoader.Parse(Config, ConfigPath, new DictionarySecrets(Environment));

    /// <summary>The function app on SQLite files in <see cref="Folder"/>, or on <paramref name="storage"/>, which it owns from then on.</summary>
    public FunctionApp BuildApp(TimeProvider clock, FunctionAppSettings? settings = null, HostStorage? storage = null, ILoggerFactory? logging = null)
    {
        settings ??= new FunctionAppSettings();
        storage ??= HostStorage.Local(Path.Combine(Folder, "state.db"), settings.QueueName, clock);
        return FunctionApp.Create(LoadConfig(), storage, settings, clock, logging ?? NullLoggerFactory.Instance);
    }

    public async ValueTask DisposeAsync()
    {
        await Source.DisposeAsync();
        await Crm.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A child process may still be letting go of a file; the temp folder is cleaned by the system.
        }
    }

    /// <summary>
    /// Starts the CRM emulator next to the started <paramref name="source"/>, makes the scratch folder, and writes into it
    /// the config of the world <paramref name="create"/> makes of the source, the CRM and the folder.
    /// </summary>
    protected static async Task<TWorld> StartWithCrmAsync<TWorld>(TSource source, Func<TSource, ZohoSandbox, string, TWorld> create, TimeProvider clock,
        CancellationToken cancellationToken)
        where TWorld : SourceToCrm<TSource>
    {
        var crm = await ZohoSandbox.StartAsync(new ZohoSandboxOptions(), clock, cancellationToken);
        var folder = Directory.CreateTempSubdirectory("connectors-functions-tests-").FullName;
        var world = create(source, crm, folder);
        await File.WriteAllTextAsync(world.ConfigPath, world.Config, cancellationToken);
        return world;
    }

    private sealed class DictionarySecrets(Dictionary<string, string> values) : ISecretResolver
    {
        public string? Resolve(string kind, string name) => values.GetValueOrDefault(name);
    }
}
