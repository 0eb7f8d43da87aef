using Connectors.BusinessCentral;
using Connectors.Core.Configuration;
using Connectors.Core.Resilience;
using Connectors.Shopify;
using Connectors.Typeform;
using Connectors.WooCommerce;
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
            (services, system, settings, resilience) => services.AddShopifyConnector(system,
                With(settings.Get<ShopifyOptions>(Strict) ?? new ShopifyOptions(), o => o.Resilience = resilience ?? o.Resilience)),
            (services, system) => services.GetShopifyConnector(system),
            () => ShopifySchemas.BuiltIn),
        new("zoho",
            (services, system, settings, resilience) => services.AddZohoSystem(system, resilience).Bind(settings, Strict),
            (services, system) => services.GetZohoConnector(system),
            () => ZohoSchemas.BuiltIn),
        new("businesscentral",
            (services, system, settings, resilience) => services.AddBusinessCentral(system,
                With(settings.Get<BusinessCentralOptions>(Strict) ?? new BusinessCentralOptions(), o => o.Resilience = resilience ?? o.Resilience)),
            (services, system) => services.GetBusinessCentralConnector(system)),
        new("typeform",
            (services, system, settings, resilience) => services.AddTypeformConnector(system,
                With(settings.Get<TypeformOptions>(Strict) ?? new TypeformOptions(), o => o.Resilience = resilience ?? o.Resilience)),
            (services, system) => services.GetTypeformConnector(system)),
        new("woocommerce",
            (services, system, settings, resilience) => services.AddWooCommerceConnector(system,
                With(settings.Get<WooCommerceOptions>(Strict) ?? new WooCommerceOptions(), o => o.Resilience = resilience ?? o.Resilience)),
            (services, system) => services.GetWooCommerceConnector(system),
            () => WooCommerceSchemas.BuiltIn),
    ];

    /// <summary>The default mappings every connector of this build ships, for <c>mapping: { use: … }</c>.</summary>
    public static DefaultMappingCatalog DefaultMappings { get; } = new(ZohoDefaultMappings.All);

    private static T With<T>(T options, Action<T> change)
    {
        change(options);
        return options;
    }
}
