using System.Globalization;
using Newtonsoft.Json.Linq;

namespace Connectors.Sandbox.Shopify;

/// <summary>
/// An order in the emulated store. Tests change one through <see cref="ShopifySandbox.UpdateOrder"/> or
/// <see cref="ShopifySandbox.CancelOrder"/>, which stamp <see cref="UpdatedAt"/> from the sandbox clock the way
/// Shopify does; id, name and stamps are the store's to set. Totals are computed from the lines: subtotal is
/// the sum of quantity × unit price, tax is <see cref="TaxRate"/> of it (rounded to the cent), total is both.
/// </summary>
public sealed class SandboxOrder : IStoredNode
{
    /// <summary>The numeric id; the GID is <see cref="Gid"/>.</summary>
    public long Id { get; internal set; }

    /// <summary>The GraphQL global id, <c>gid://shopify/Order/{Id}</c>.</summary>
    public string Gid => $"gid://shopify/Order/{Id.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The order's name as the shop shows it, for example <c>#1001</c>.</summary>
    public string Name { get; internal set; } = "";

    /// <summary>The customer who placed it, or <see langword="null"/> for a guest checkout.</summary>
    public long? CustomerId { get; set; }

    /// <summary>The email address the order was placed with.</summary>
    public string? Email { get; set; }

    /// <summary>A note on the order.</summary>
    public string? Note { get; set; }

    /// <summary>The tags.</summary>
    public List<string> Tags { get; set; } = [];

    /// <summary>The shop's currency, ISO 4217 (<c>USD</c>).</summary>
    public string Currency { get; set; } = "USD";

    /// <summary>Shopify's <c>OrderDisplayFinancialStatus</c>: <c>PENDING</c>, <c>AUTHORIZED</c>, <c>PAID</c>, <c>REFUNDED</c>, <c>VOIDED</c>, …</summary>
    public string FinancialStatus { get; set; } = "PAID";

    /// <summary>Shopify's <c>OrderDisplayFulfillmentStatus</c>: <c>UNFULFILLED</c>, <c>PARTIALLY_FULFILLED</c>, <c>FULFILLED</c>, …</summary>
    public string FulfillmentStatus { get; set; } = "UNFULFILLED";

    /// <summary>The tax rate applied to the subtotal, for example <c>0.08</c>.</summary>
    public decimal TaxRate { get; set; }

    /// <summary>The order's lines.</summary>
    public List<SandboxLineItem> LineItems { get; set; } = [];

    /// <summary>When the order was created (whole seconds, UTC).</summary>
    public DateTimeOffset CreatedAt { get; internal set; }

    /// <summary>When the order last changed (whole seconds, UTC).</summary>
    public DateTimeOffset UpdatedAt { get; internal set; }

    /// <summary>When it was cancelled, or <see langword="null"/>.</summary>
    public DateTimeOffset? CancelledAt { get; internal set; }

    /// <summary>Shopify's <c>OrderCancelReason</c> (<c>CUSTOMER</c>, <c>DECLINED</c>, <c>FRAUD</c>, <c>INVENTORY</c>, <c>OTHER</c>, <c>STAFF</c>), or <see langword="null"/>.</summary>
    public string? CancelReason { get; internal set; }

    /// <summary>When it was closed (cancelled orders are), or <see langword="null"/>.</summary>
    public DateTimeOffset? ClosedAt { get; internal set; }

    /// <summary>The sum of quantity × unit price over the lines.</summary>
    public decimal Subtotal => LineItems.Sum(l => l.Quantity * l.UnitPrice);

    /// <summary>The tax: <see cref="TaxRate"/> of the subtotal, rounded to the cent.</summary>
    public decimal TotalTax => Math.Round(Subtotal * TaxRate, 2, MidpointRounding.AwayFromZero);

    /// <summary>What the customer pays: subtotal and tax.</summary>
    public decimal Total => Subtotal + TotalTax;

    internal SandboxOrder Clone()
    {
        var copy = (SandboxOrder)MemberwiseClone();
        copy.Tags = [.. Tags];
        copy.LineItems = [.. LineItems.Select(l => l.Clone())];
        return copy;
    }

    /// <summary>Every field the emulated schema has for an order; the answer keeps only the selected ones.</summary>
    internal JObject ToGraphQL(Func<long, JObject?> customer, Func<long, JObject?> product) => new()
    {
        ["id"] = Gid,
        ["legacyResourceId"] = Id.ToString(CultureInfo.InvariantCulture),
        ["name"] = Name,
        ["email"] = Email,
        ["phone"] = null,
        ["note"] = Note,
        ["tags"] = new JArray(Tags.Order(StringComparer.Ordinal)),
        ["createdAt"] = SandboxCustomer.Stamp(CreatedAt),
        ["updatedAt"] = SandboxCustomer.Stamp(UpdatedAt),
        ["processedAt"] = SandboxCustomer.Stamp(CreatedAt),
        ["closed"] = ClosedAt is not null,
        ["closedAt"] = SandboxCustomer.Stamp(ClosedAt),
        ["cancelledAt"] = SandboxCustomer.Stamp(CancelledAt),
        ["cancelReason"] = CancelReason,
        ["currencyCode"] = Currency,
        ["presentmentCurrencyCode"] = Currency,
        ["displayFinancialStatus"] = FinancialStatus,
        ["displayFulfillmentStatus"] = FulfillmentStatus,
        ["test"] = false,
        ["customer"] = CustomerId is { } id ? customer(id) : null,
        ["totalPriceSet"] = MoneyBag(Total, Currency),
        ["subtotalPriceSet"] = MoneyBag(Subtotal, Currency),
        ["totalTaxSet"] = MoneyBag(TotalTax, Currency),
        ["totalDiscountsSet"] = MoneyBag(0m, Currency),
        // A list here: the schema pages it as the lineItems connection by its own first/after.
        ["lineItems"] = new JArray(LineItems.Select(l => l.ToGraphQL(Currency, product))),
    };

    /// <summary>A <c>MoneyV2</c>: the amount as Shopify's Decimal (a string) and the currency code.</summary>
    internal static JObject Money(decimal amount, string currency) =>
        new() { ["amount"] = AdminSchema.Decimal(amount), ["currencyCode"] = currency };

    /// <summary>A <c>MoneyBag</c> in one currency: shop and presentment money are the same.</summary>
    internal static JObject MoneyBag(decimal amount, string currency) =>
        new() { ["shopMoney"] = Money(amount, currency), ["presentmentMoney"] = Money(amount, currency) };
}
