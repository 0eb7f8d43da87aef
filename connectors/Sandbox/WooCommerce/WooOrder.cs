using System.Globalization;
using Newtonsoft.Json.Linq;

namespace Connectors.Sandbox.WooCommerce;

/// <summary>
/// An order in the emulated store. Tests change one through <see cref="WooCommerceSandbox.UpdateOrder"/>, which stamps
/// <see cref="ModifiedAt"/> from the sandbox clock as WooCommerce does on every save; id and stamps are the store's.
/// Totals are computed from the lines: subtotal + tax + shipping − discount.
/// </summary>
public sealed class WooOrder
{
    /// <summary>The order's id (a post id, or an HPOS order id).</summary>
    public long Id { get; internal set; }

    /// <summary>The status: <c>pending</c>, <c>processing</c>, <c>on-hold</c>, <c>completed</c>, <c>cancelled</c>, <c>refunded</c>, <c>failed</c>, or <c>trash</c>.</summary>
    public string Status { get; set; } = "processing";

    /// <summary>The ISO 4217 currency.</summary>
    public string Currency { get; set; } = "EUR";

    /// <summary>The customer's user id, 0 for a guest checkout.</summary>
    public long CustomerId { get; set; }

    /// <summary>The billing address, with the buyer's email and phone.</summary>
    public WooAddress Billing { get; set; } = new();

    /// <summary>The shipping address.</summary>
    public WooAddress Shipping { get; set; } = new();

    /// <summary>The payment method's id, for example <c>stripe</c>.</summary>
    public string PaymentMethod { get; set; } = "bacs";

    /// <summary>The payment method's title.</summary>
    public string PaymentMethodTitle { get; set; } = "Direct bank transfer";

    /// <summary>The gateway's transaction id.</summary>
    public string TransactionId { get; set; } = "";

    /// <summary>The note the customer left at checkout.</summary>
    public string CustomerNote { get; set; } = "";

    /// <summary>The shipping charge, tax excluded.</summary>
    public decimal ShippingTotal { get; set; }

    /// <summary>The discount, tax excluded.</summary>
    public decimal DiscountTotal { get; set; }

    /// <summary>The product lines.</summary>
    public List<WooLineItem> LineItems { get; set; } = [];

    /// <summary>When the order was placed (whole seconds, UTC).</summary>
    public DateTimeOffset CreatedAt { get; internal set; }

    /// <summary>When the order was last saved (whole seconds, UTC).</summary>
    public DateTimeOffset ModifiedAt { get; internal set; }

    /// <summary>When it was paid, or <see langword="null"/>.</summary>
    public DateTimeOffset? PaidAt { get; set; }

    /// <summary>When it was completed, or <see langword="null"/>.</summary>
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>The grand total: lines, tax and shipping, less the discount.</summary>
    public decimal Total => LineItems.Sum(l => l.Price * l.Quantity + l.Tax) + ShippingTotal - DiscountTotal;

    internal WooOrder Clone()
    {
        var copy = (WooOrder)MemberwiseClone();
        copy.Billing = Billing.Clone();
        copy.Shipping = Shipping.Clone();
        copy.LineItems = [.. LineItems.Select(l => l.Clone())];
        return copy;
    }

    /// <summary>WooCommerce's money format: a decimal string with the store's two decimals.</summary>
    internal static string Money(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>The order as <c>GET /wp-json/wc/v3/orders/{id}</c> returns it.</summary>
    internal JObject ToJson(WooCommerceSandbox store) => new()
    {
        ["id"] = Id,
        ["parent_id"] = 0,
        ["status"] = Status,
        ["currency"] = Currency,
        ["version"] = store.Version,
        ["prices_include_tax"] = false,
        ["date_created"] = store.Local(CreatedAt),
        ["date_modified"] = store.Local(ModifiedAt),
        ["discount_total"] = Money(DiscountTotal),
        ["discount_tax"] = Money(0),
        ["shipping_total"] = Money(ShippingTotal),
        ["shipping_tax"] = Money(0),
        ["cart_tax"] = Money(LineItems.Sum(l => l.Tax)),
        ["total"] = Money(Total),
        ["total_tax"] = Money(LineItems.Sum(l => l.Tax)),
        ["customer_id"] = CustomerId,
        ["order_key"] = $"wc_order_{Id.ToString("x", CultureInfo.InvariantCulture).PadLeft(13, 'a')}",
        ["billing"] = Billing.ToJson(withEmail: true),
        ["shipping"] = Shipping.ToJson(withEmail: false),
        ["payment_method"] = PaymentMethod,
        ["payment_method_title"] = PaymentMethodTitle,
        ["transaction_id"] = TransactionId,
        ["customer_ip_address"] = "",
        ["customer_user_agent"] = "",
        ["created_via"] = "checkout",
        ["customer_note"] = CustomerNote,
        ["date_completed"] = store.Local(CompletedAt),
        ["date_paid"] = store.Local(PaidAt),
        ["cart_hash"] = "",
        ["number"] = Id.ToString(CultureInfo.InvariantCulture),
        ["meta_data"] = new JArray(),
        ["line_items"] = new JArray(LineItems.Select(l => l.ToJson())),
        ["tax_lines"] = new JArray(),
        ["shipping_lines"] = new JArray(),
        ["fee_lines"] = new JArray(),
        ["coupon_lines"] = new JArray(),
        ["refunds"] = new JArray(),
        ["payment_url"] = $"{store.HomeUrl}checkout/order-pay/{Id.ToString(CultureInfo.InvariantCulture)}/",
        ["is_editable"] = Status is "pending" or "on-hold",
        ["needs_payment"] = Status is "pending" or "failed",
        ["needs_processing"] = true,
        ["date_created_gmt"] = WooCommerceSandbox.Gmt(CreatedAt),
        ["date_modified_gmt"] = WooCommerceSandbox.Gmt(ModifiedAt),
        ["date_completed_gmt"] = WooCommerceSandbox.Gmt(CompletedAt),
        ["date_paid_gmt"] = WooCommerceSandbox.Gmt(PaidAt),
        ["currency_symbol"] = Currency == "EUR" ? "€" : Currency == "GBP" ? "£" : "$",
        ["_links"] = store.Links("orders", Id),
    };
}
