using System.Globalization;
using Newtonsoft.Json.Linq;

namespace Connectors.Sandbox.Shopify;

/// <summary>
/// A customer in the emulated store. Tests change one through <see cref="ShopifySandbox.UpdateCustomer"/>,
/// which stamps <see cref="UpdatedAt"/> from the sandbox clock the way Shopify does; id and stamps are the
/// store's to set.
/// </summary>
public sealed class SandboxCustomer : IStoredNode
{
    /// <summary>The numeric id (what webhooks carry); the GID is <see cref="Gid"/>.</summary>
    public long Id { get; internal set; }

    /// <summary>The GraphQL global id, <c>gid://shopify/Customer/{Id}</c>.</summary>
    public string Gid => $"gid://shopify/Customer/{Id.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The first name.</summary>
    public string? FirstName { get; set; }

    /// <summary>The last name.</summary>
    public string? LastName { get; set; }

    /// <summary>The email address, unique in the store.</summary>
    public string? Email { get; set; }

    /// <summary>The phone number in E.164 form, for example <c>+12125550123</c>.</summary>
    public string? Phone { get; set; }

    /// <summary>A note about the customer.</summary>
    public string? Note { get; set; }

    /// <summary>The account state: <c>ENABLED</c>, <c>DISABLED</c>, <c>INVITED</c> or <c>DECLINED</c>.</summary>
    public string State { get; set; } = "ENABLED";

    /// <summary>The tags.</summary>
    public List<string> Tags { get; set; } = [];

    /// <summary>The default address, or <see langword="null"/>.</summary>
    public SandboxAddress? DefaultAddress { get; set; }

    /// <summary>Email marketing state: <c>SUBSCRIBED</c>, <c>NOT_SUBSCRIBED</c>, <c>UNSUBSCRIBED</c> or <c>PENDING</c>.</summary>
    public string EmailMarketingState { get; set; } = "NOT_SUBSCRIBED";

    /// <summary>Email marketing opt-in level: <c>SINGLE_OPT_IN</c>, <c>CONFIRMED_OPT_IN</c>, <c>UNKNOWN</c>, or <see langword="null"/>.</summary>
    public string? EmailMarketingOptInLevel { get; set; }

    /// <summary>When the email marketing consent last changed.</summary>
    public DateTimeOffset? EmailMarketingUpdatedAt { get; set; }

    /// <summary>When the customer was created (whole seconds, UTC).</summary>
    public DateTimeOffset CreatedAt { get; internal set; }

    /// <summary>When the customer last changed (whole seconds, UTC).</summary>
    public DateTimeOffset UpdatedAt { get; internal set; }

    internal SandboxCustomer Clone()
    {
        var copy = (SandboxCustomer)MemberwiseClone();
        copy.Tags = [.. Tags];
        copy.DefaultAddress = DefaultAddress?.Clone();
        return copy;
    }

    /// <summary>Every field the emulated schema has for a customer; the answer keeps only the selected ones.</summary>
    internal JObject ToGraphQL()
    {
        var displayName = string.Join(' ', new[] { FirstName, LastName }.Where(n => !string.IsNullOrEmpty(n)));
        return new JObject
        {
            ["id"] = Gid,
            ["legacyResourceId"] = Id.ToString(CultureInfo.InvariantCulture),
            ["firstName"] = FirstName,
            ["lastName"] = LastName,
            ["displayName"] = displayName.Length > 0 ? displayName : Email ?? Phone ?? "",
            ["email"] = Email,
            ["phone"] = Phone,
            ["createdAt"] = Stamp(CreatedAt),
            ["updatedAt"] = Stamp(UpdatedAt),
            ["note"] = Note,
            ["state"] = State,
            ["tags"] = new JArray(Tags.Order(StringComparer.Ordinal)),
            ["verifiedEmail"] = Email is not null,
            ["defaultAddress"] = DefaultAddress?.ToGraphQL(Id, FirstName, LastName),
            ["defaultEmailAddress"] = Email is null ? null : new JObject
            {
                ["emailAddress"] = Email,
                ["marketingState"] = EmailMarketingState,
                ["marketingOptInLevel"] = EmailMarketingOptInLevel,
                ["marketingUpdatedAt"] = Stamp(EmailMarketingUpdatedAt),
            },
            ["defaultPhoneNumber"] = Phone is null ? null : new JObject { ["phoneNumber"] = Phone },
            ["emailMarketingConsent"] = Email is null ? null : new JObject
            {
                ["marketingState"] = EmailMarketingState,
                ["marketingOptInLevel"] = EmailMarketingOptInLevel,
                ["consentUpdatedAt"] = Stamp(EmailMarketingUpdatedAt),
            },
        };
    }

    /// <summary>Shopify's DateTime format: ISO 8601, UTC, whole seconds.</summary>
    internal static string? Stamp(DateTimeOffset? value) =>
        value?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
