namespace Connectors.Benchmarks;

/// <summary>A shop customer as the REST Admin API returns it, with two addresses and marketing consent: about 2 KB.</summary>
internal static class ShopifyCustomer
{
    public const string Json = """
        {
          "id": 207119551,
          "email": "  Bob.Norman@Mail.Example.COM ",
          "accepts_marketing": false,
          "created_at": "2024-03-01T10:15:30-05:00",
          "updated_at": "2024-06-12T08:02:11-04:00",
          "first_name": "bob",
          "last_name": "NORMAN",
          "orders_count": 7,
          "state": "enabled",
          "total_spent": "1999.65",
          "last_order_id": 450789469,
          "note": null,
          "verified_email": true,
          "multipass_identifier": null,
          "tax_exempt": false,
          "tags": "vip, newsletter ,wholesale",
          "last_order_name": "#1001",
          "currency": "USD",
          "phone": null,
          "accepts_marketing_updated_at": "2024-03-01T10:15:30-05:00",
          "marketing_opt_in_level": null,
          "tax_exemptions": [],
          "admin_graphql_api_id": "gid://shopify/Customer/207119551",
          "email_marketing_consent": { "state": "subscribed", "opt_in_level": "single_opt_in", "consent_updated_at": "2024-03-01T10:15:30-05:00" },
          "sms_marketing_consent": { "state": "not_subscribed", "opt_in_level": "single_opt_in", "consent_updated_at": null, "consent_collected_from": "OTHER" },
          "addresses": [
            {
              "id": 207119551, "customer_id": 207119551, "first_name": null, "last_name": null, "company": "Acme Inc.",
              "address1": "Chestnut Street 92", "address2": "", "city": "Louisville", "province": "Kentucky",
              "country": "United States", "zip": "40202", "phone": "(650) 253-0000", "name": "Bob Norman",
              "province_code": "KY", "country_code": "US", "country_name": "United States", "default": true
            },
            {
              "id": 207119552, "customer_id": 207119551, "first_name": "Bob", "last_name": "Norman", "company": null,
              "address1": "1 Wellington St", "address2": "Suite 200", "city": "Ottawa", "province": "Ontario",
              "country": "Canada", "zip": "K1A 0A9", "phone": null, "name": "Bob Norman",
              "province_code": "ON", "country_code": "CA", "country_name": "Canada", "default": false
            }
          ],
          "default_address": {
            "id": 207119551, "customer_id": 207119551, "first_name": null, "last_name": null, "company": "Acme Inc.",
            "address1": "Chestnut Street 92", "address2": "", "city": "Louisville", "province": "Kentucky",
            "country": "United States", "zip": "40202", "phone": "(650) 253-0000", "name": "Bob Norman",
            "province_code": "KY", "country_code": "US", "country_name": "United States", "default": true
          }
        }
        """;

    /// <summary>25 target fields of a CRM contact, using most of the function library.</summary>
    public const string Mapping = """
        {
          "First_Name": "first_name | trim | title",
          "Last_Name": "last_name | trim | title ?? 'Unknown'",
          "Email": "email | email",
          "Email_Opt_Out": { "when": "email_marketing_consent.state == 'subscribed'", "then": false, "else": true },
          "Phone": "(phone ?? default_address.phone) | phone('US')",
          "Mailing_Street": "default_address.address1",
          "Other_Street": "default_address.address2 | empty_as_null",
          "Mailing_City": "default_address.city | trim",
          "Mailing_State": "default_address.province_code",
          "Mailing_Zip": "default_address.zip | trim",
          "Mailing_Country": "default_address.country_code | country_name",
          "Company": "default_address.company ?? 'Individual'",
          "Lead_Source": "'Online Store'",
          "Customer_Since": "created_at | date('yyyy-MM-dd', 'Europe/Berlin')",
          "Last_Updated": "updated_at | date('iso', 'UTC')",
          "Orders_Count": "orders_count",
          "Total_Spent": "total_spent | to_number",
          "Total_Spent_Display": "total_spent | currency('USD', 'en-US')",
          "Tags": "tags | split(',') | join(';')",
          "Customer_Status": { "value": "state", "map": { "enabled": "Active", "disabled": "Inactive", "invited": "Invited", "declined": "Declined" }, "default": "Unknown" },
          "Tax_Exempt": "tax_exempt",
          "Verified": "verified_email | to_bool",
          "Shop_Customer_Id": "id | to_string",
          "Email_Hash": "email | email | sha256",
          "Description": "Shop customer {id}, last order {last_order_name}"
        }
        """;
}
