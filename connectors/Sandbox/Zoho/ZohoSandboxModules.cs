using Newtonsoft.Json.Linq;

namespace Connectors.Sandbox.Zoho;

/// <summary>
/// The modules of the sandbox org besides Contacts, with the standard fields a sync writes (shared reference
/// zoho-crm.md §3.4, §4) and the custom fields this org declared: external ids for the shop's records
/// (<c>Shopify_Product_Id</c>, <c>Shopify_Order_Id</c>, <c>Feedback_Response_Id</c>, unique like every external
/// field) and the latest survey score on a contact.
/// </summary>
public static class ZohoSandboxModules
{
    /// <summary>Custom fields of the org's Contacts: the latest NPS score, its comment and when it was given.</summary>
    public static IReadOnlyList<ZohoSandboxField> FeedbackContactFields { get; } =
    [
        new("Latest_NPS", "integer"),
        new("Latest_NPS_Comment", "textarea", 32000),
        new("Latest_NPS_At", "datetime"),
    ];

    /// <summary>Products: <c>Product_Name</c> mandatory and the system duplicate-check field.</summary>
    public static IReadOnlyList<ZohoSandboxField> ProductFields { get; } =
    [
        new("Product_Name", "text", 200, Mandatory: true),
        new("Product_Code", "text", 40),
        new("Shopify_Product_Id", "text", 50, Unique: true),
        new("Product_Active", "boolean"),
        new("Product_Category", "picklist", 120),
        new("Manufacturer", "picklist", 120),
        new("Unit_Price", "currency"),
        new("Description", "textarea", 32000),
        .. SystemFields,
    ];

    /// <summary>One row of a sales order's <c>Ordered_Items</c>: a product (mandatory), a quantity, a price; totals are computed.</summary>
    public static IReadOnlyList<ZohoSandboxField> OrderedItemFields { get; } =
    [
        new("Product_Name", "lookup", Mandatory: true, LookupModule: "Products"),
        new("Quantity", "double", Mandatory: true),
        new("List_Price", "currency"),
        new("Discount", "currency"),
        new("Description", "textarea", 2000),
        new("Total", "currency", ReadOnly: true),
        new("Net_Total", "currency", ReadOnly: true),
        new("Sequence_Number", "integer", ReadOnly: true),
    ];

    /// <summary>Sales Orders: <c>Subject</c> and <c>Ordered_Items</c> mandatory on insert, <c>Subject</c> the system duplicate-check field.</summary>
    public static IReadOnlyList<ZohoSandboxField> SalesOrderFields { get; } =
    [
        new("Subject", "text", 250, Mandatory: true),
        new("Shopify_Order_Id", "text", 50, Unique: true),
        new("Contact_Name", "lookup", LookupModule: "Contacts"),
        new("Account_Name", "lookup"),
        new("Status", "picklist", 120, PickListValues: ["Created", "Approved", "Delivered", "Cancelled"]),
        new("Payment_Status", "picklist", 120, PickListValues: ["Pending", "Authorized", "Paid", "Partially Paid", "Partially Refunded", "Refunded", "Voided", "Expired"]),
        new("Fulfillment_Status", "picklist", 120, PickListValues: ["Unfulfilled", "Partially Fulfilled", "Fulfilled", "In Progress", "On Hold", "Scheduled", "Restocked"]),
        new("Cancellation_Reason", "text", 255),
        new("Currency", "picklist", 3),
        new("Customer_No", "text", 40),
        new("Due_Date", "date"),
        new("Ordered_Items", "subform", Mandatory: true, Rows: OrderedItemFields),
        new("Tax", "currency"),
        new("Discount", "currency"),
        new("Adjustment", "currency"),
        new("Sub_Total", "currency", ReadOnly: true),
        new("Grand_Total", "currency", ReadOnly: true),
        new("Description", "textarea", 32000),
        .. SystemFields,
    ];

    /// <summary>Cases: <c>Subject</c>, <c>Status</c> and <c>Case_Origin</c> mandatory, <c>Subject</c> the system duplicate-check field.</summary>
    public static IReadOnlyList<ZohoSandboxField> CaseFields { get; } =
    [
        new("Subject", "text", 255, Mandatory: true),
        new("Status", "picklist", 120, Mandatory: true),
        new("Case_Origin", "picklist", 120, Mandatory: true),
        new("Priority", "picklist", 120),
        new("Type", "picklist", 120),
        new("Case_Reason", "picklist", 120),
        new("Related_To", "lookup", LookupModule: "Contacts"),
        new("Email", "email", 100),
        new("Description", "textarea", 32000),
        new("Feedback_Response_Id", "text", 100, Unique: true),
        new("Feedback_Score", "integer"),
        .. SystemFields,
    ];

    private static IEnumerable<ZohoSandboxField> SystemFields =>
    [
        new("Owner", "ownerlookup", ReadOnly: true),
        new("Created_Time", "datetime", ReadOnly: true),
        new("Modified_Time", "datetime", ReadOnly: true),
        new("Created_By", "ownerlookup", ReadOnly: true),
        new("Modified_By", "ownerlookup", ReadOnly: true),
    ];

    /// <summary>
    /// The totals Zoho computes on a sales order: each row's <c>Total</c> (quantity × list price) and <c>Net_Total</c>
    /// (less its discount), the order's <c>Sub_Total</c> (sum of net totals) and <c>Grand_Total</c>
    /// (sub-total + tax − discount + adjustment), rounded to the cent.
    /// </summary>
    internal static void ComputeSalesOrder(JObject order)
    {
        var subTotal = 0m;
        if (order["Ordered_Items"] is JArray rows)
        {
            var sequence = 0;
            foreach (var row in rows.OfType<JObject>())
            {
                var total = Math.Round(Number(row["Quantity"]) * Number(row["List_Price"]), 2, MidpointRounding.AwayFromZero);
                var net = total - Number(row["Discount"]);
                row["Total"] = total;
                row["Net_Total"] = net;
                row["Sequence_Number"] = ++sequence;
                subTotal += net;
            }
        }
        order["Sub_Total"] = subTotal;
        order["Grand_Total"] = subTotal + Number(order["Tax"]) - Number(order["Discount"]) + Number(order["Adjustment"]);
    }

    private static decimal Number(JToken? value) => value is JValue { Type: JTokenType.Integer or JTokenType.Float } number ? number.Value<decimal>() : 0m;
}
