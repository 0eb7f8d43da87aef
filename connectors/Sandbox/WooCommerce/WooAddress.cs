using Newtonsoft.Json.Linq;

namespace Connectors.Sandbox.WooCommerce;

/// <summary>A billing or shipping address as WooCommerce keeps it: every field a string, empty when not given.</summary>
public sealed class WooAddress
{
    /// <summary>The first name.</summary>
    public string FirstName { get; set; } = "";

    /// <summary>The last name.</summary>
    public string LastName { get; set; } = "";

    /// <summary>The company.</summary>
    public string Company { get; set; } = "";

    /// <summary>Address line 1.</summary>
    public string Address1 { get; set; } = "";

    /// <summary>Address line 2.</summary>
    public string Address2 { get; set; } = "";

    /// <summary>The city.</summary>
    public string City { get; set; } = "";

    /// <summary>The state, province or district: an ISO code or a name.</summary>
    public string State { get; set; } = "";

    /// <summary>The postal code.</summary>
    public string Postcode { get; set; } = "";

    /// <summary>The ISO 3166-1 alpha-2 country code.</summary>
    public string Country { get; set; } = "";

    /// <summary>The email address (billing addresses only).</summary>
    public string Email { get; set; } = "";

    /// <summary>The phone number.</summary>
    public string Phone { get; set; } = "";

    internal WooAddress Clone() => (WooAddress)MemberwiseClone();

    internal JObject ToJson(bool withEmail)
    {
        var json = new JObject
        {
            ["first_name"] = FirstName,
            ["last_name"] = LastName,
            ["company"] = Company,
            ["address_1"] = Address1,
            ["address_2"] = Address2,
            ["city"] = City,
            ["state"] = State,
            ["postcode"] = Postcode,
            ["country"] = Country,
        };
        if (withEmail) json["email"] = Email;
        json["phone"] = Phone;
        return json;
    }
}
