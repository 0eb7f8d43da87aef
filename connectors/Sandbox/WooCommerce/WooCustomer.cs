using Newtonsoft.Json.Linq;

namespace Connectors.Sandbox.WooCommerce;

/// <summary>
/// A customer (a WordPress user) in the emulated store. Tests change one through
/// <see cref="WooCommerceSandbox.UpdateCustomer"/>, which stamps <see cref="ModifiedAt"/> from the sandbox clock the way
/// WooCommerce's customer data store writes its <c>last_update</c> meta; id and stamps are the store's to set.
/// </summary>
public sealed class WooCustomer
{
    /// <summary>The WordPress user id.</summary>
    public long Id { get; internal set; }

    /// <summary>The email address, unique in the store.</summary>
    public string Email { get; set; } = "";

    /// <summary>The first name.</summary>
    public string FirstName { get; set; } = "";

    /// <summary>The last name.</summary>
    public string LastName { get; set; } = "";

    /// <summary>The login name.</summary>
    public string Username { get; set; } = "";

    /// <summary>The WordPress role: <c>customer</c> for shop customers, <c>subscriber</c>, <c>administrator</c>, <c>shop_manager</c>….</summary>
    public string Role { get; set; } = "customer";

    /// <summary>The billing address (with email and phone).</summary>
    public WooAddress Billing { get; set; } = new();

    /// <summary>The shipping address.</summary>
    public WooAddress Shipping { get; set; } = new();

    /// <summary>Whether the customer has paid for an order.</summary>
    public bool IsPayingCustomer { get; set; }

    /// <summary>When the user registered (whole seconds, UTC).</summary>
    public DateTimeOffset CreatedAt { get; internal set; }

    /// <summary>
    /// When WooCommerce last saved the customer (whole seconds, UTC), or <see langword="null"/> for a user it never
    /// stamped: the API then answers <c>date_modified</c> and <c>date_modified_gmt</c> null.
    /// </summary>
    public DateTimeOffset? ModifiedAt { get; internal set; }

    internal WooCustomer Clone()
    {
        var copy = (WooCustomer)MemberwiseClone();
        copy.Billing = Billing.Clone();
        copy.Shipping = Shipping.Clone();
        return copy;
    }

    /// <summary>The customer as <c>GET /wp-json/wc/v3/customers/{id}</c> returns it.</summary>
    internal JObject ToJson(WooCommerceSandbox store) => new()
    {
        ["id"] = Id,
        ["date_created"] = store.Local(CreatedAt),
        ["date_created_gmt"] = WooCommerceSandbox.Gmt(CreatedAt),
        ["date_modified"] = store.Local(ModifiedAt),
        ["date_modified_gmt"] = WooCommerceSandbox.Gmt(ModifiedAt),
        ["email"] = Email,
        ["first_name"] = FirstName,
        ["last_name"] = LastName,
        ["role"] = Role,
        ["username"] = Username,
        ["billing"] = Billing.ToJson(withEmail: true),
        ["shipping"] = Shipping.ToJson(withEmail: false),
        ["is_paying_customer"] = IsPayingCustomer,
        ["avatar_url"] = $"https://secure.gravatar.com/avatar/{Id:x8}?s=96&d=mm&r=g",
        ["meta_data"] = new JArray(),
        ["_links"] = store.Links("customers", Id),
    };
}
