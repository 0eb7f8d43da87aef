using Connectors.Shopify;
using Connectors.Zoho;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Connectors.Cli.Hosting;

/// <summary>Every connector type a config may name.</summary>
internal static class SystemTypes
{
    private static readonly Action<BinderOptions> Strict = binder => binder.ErrorOnUnknownConfiguration = true;

    public static IReadOnlyList<SystemType> All { get; } =
    [
        new("shopify",
            (services, system, settings) => services.AddShopifyConnector(system, settings.Get<ShopifyOptions>(Strict) ?? new ShopifyOptions()),
            (services, system) => services.GetShopifyConnector(system)),
        new("zoho",
            (services, system, settings) => services.AddZohoSystem(system).Bind(settings, Strict),
            (services, system) => services.GetZohoConnector(system)),
    ];
}
