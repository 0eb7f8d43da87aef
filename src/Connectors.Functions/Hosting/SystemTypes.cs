using Connectors.BusinessCentral;
using Connectors.Shopify;
using Connectors.Typeform;
using Connectors.Zoho;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Connectors.Functions.Hosting;

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
        new("businesscentral",
            (services, system, settings) => services.AddBusinessCentral(system, settings.Get<BusinessCentralOptions>(Strict) ?? new BusinessCentralOptions()),
            (services, system) => services.GetBusinessCentralConnector(system)),
        new("typeform",
            (services, system, settings) => services.AddTypeformConnector(system, settings.Get<TypeformOptions>(Strict) ?? new TypeformOptions()),
            (services, system) => services.GetTypeformConnector(system)),
    ];
}
