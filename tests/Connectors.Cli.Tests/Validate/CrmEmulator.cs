using Connectors.Core.Configuration;
using Connectors.Core.Resilience;
using Connectors.Functions.Hosting;
using Connectors.Sandbox.Zoho;
using Microsoft.Extensions.Logging.Abstractions;

namespace Connectors.Cli.Tests.Validate;

/// <summary>
/// The Zoho CRM emulator the validate tests ask for live field metadata: its Contacts carry one custom
/// field (<c>Shopify_Id</c>) that the built-in schema cannot know, and its Lead_Source picklist lacks some
/// of Zoho's default values, so that live and built-in checks tell apart.
/// </summary>
public sealed class CrmEmulator : IAsyncLifetime
{
    /// <summary>A loopback port nothing listens on: a CRM that cannot be reached, refused at once.</summary>
    public const string Unreachable = "http://127.0.0.1:1/";

    public ZohoSandbox Crm { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var options = new ZohoSandboxOptions();
        options.ExtraContactFields.Add(new ZohoSandboxField("Shopify_Id", "text", 50, Unique: true));
        Crm = await ZohoSandbox.StartAsync(options, TimeProvider.System, CancellationToken.None);
    }

    public ValueTask DisposeAsync() => Crm.DisposeAsync();

    /// <summary>The references of <see cref="ConfigText.Systems"/>, resolving to this emulator or to nowhere.</summary>
    public Dictionary<string, string> Settings(bool reachable) => new()
    {
        ["SHOP_URL"] = "http://127.0.0.1:9/",
        ["SHOP_TOKEN"] = "shpat_test",
        ["ZOHO_ACCOUNTS_URL"] = reachable ? Crm.AccountsUrl.ToString() : Unreachable,
        ["ZOHO_API_DOMAIN"] = reachable ? Crm.ApiDomain.ToString() : Unreachable,
        ["ZOHO_CLIENT_ID"] = Crm.ClientId,
        ["ZOHO_CLIENT_SECRET"] = Crm.ClientSecret,
        ["ZOHO_REFRESH_TOKEN"] = Crm.RefreshToken,
    };

    /// <summary>Checks config text as <c>connectors validate</c> does, without waiting between attempts, so that an unreachable CRM fails at once.</summary>
    public static async Task<ConfigCheckReport> CheckAsync(string yaml, IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken)
    {
        await using var catalog = new SystemCatalog(TimeProvider.System, NullLoggerFactory.Instance, NoRetries);
        return await ConfigCheck.RunAsync(yaml, "connectors.yaml", new Secrets(settings), SystemTypes.DefaultMappings, catalog, cancellationToken);
    }

    /// <summary>One immediate retry (the pipeline needs at least one), so that a refused connection fails at once.</summary>
    public static ConnectorResilienceOptions NoRetries => new()
    {
        MaxRetries = 1, BaseDelay = TimeSpan.Zero, AttemptTimeout = TimeSpan.FromSeconds(10), TotalTimeout = TimeSpan.FromSeconds(20),
    };

    /// <summary>References resolve from a dictionary, as the environment would.</summary>
    public sealed class Secrets(IReadOnlyDictionary<string, string> values) : ISecretResolver
    {
        public string? Resolve(string kind, string name) => values.GetValueOrDefault(name);
    }
}
