using Newtonsoft.Json.Linq;

namespace Connectors.Sandbox.Shopify;

/// <summary>A customer's default address in the emulated store (Shopify's <c>MailingAddress</c>).</summary>
public sealed class SandboxAddress
{
    /// <summary>The first street line.</summary>
    public string? Address1 { get; set; }

    /// <summary>The second street line (apartment, suite).</summary>
    public string? Address2 { get; set; }

    /// <summary>The city.</summary>
    public string? City { get; set; }

    /// <summary>The province or state name, where the country has them.</summary>
    public string? Province { get; set; }

    /// <summary>The province or state code, for example <c>NY</c> or <c>ON</c>.</summary>
    public string? ProvinceCode { get; set; }

    /// <summary>The postal code.</summary>
    public string? Zip { get; set; }

    /// <summary>The country's name.</summary>
    public string? Country { get; set; }

    /// <summary>The ISO 3166-1 alpha-2 country code (Shopify's <c>countryCodeV2</c>).</summary>
    public string? CountryCode { get; set; }

    /// <summary>The company at this address.</summary>
    public string? Company { get; set; }

    /// <summary>The phone number for this address.</summary>
    public string? Phone { get; set; }

    internal SandboxAddress Clone() => (SandboxAddress)MemberwiseClone();

    internal JObject ToGraphQL(long customerId, string? firstName, string? lastName) => new()
    {
        ["id"] = $"gid://shopify/MailingAddress/{customerId + 1}?model_name=CustomerAddress",
        ["address1"] = Address1,
        ["address2"] = Address2,
        ["city"] = City,
        ["province"] = Province,
        ["provinceCode"] = ProvinceCode,
        ["zip"] = Zip,
        ["country"] = Country,
        ["countryCodeV2"] = CountryCode,
        ["company"] = Company,
        ["phone"] = Phone,
        ["firstName"] = firstName,
        ["lastName"] = lastName,
        ["name"] = string.Join(' ', new[] { firstName, lastName }.Where(n => !string.IsNullOrEmpty(n))),
    };
}
