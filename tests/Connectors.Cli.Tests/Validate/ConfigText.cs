namespace Connectors.Cli.Tests.Validate;

/// <summary>
/// The configs of the validate tests: a fixed systems section (lines 1–15) and the flows a case writes
/// from line 16 on, so that every expected line number can be read off the case itself.
/// </summary>
internal static class ConfigText
{
    public const string Systems = """
        version: 1
        systems:
          shop:
            type: shopify
            settings:
              shopUrl: ${env:SHOP_URL}
              accessToken: ${secret:SHOP_TOKEN}
          crm:
            type: zoho
            settings:
              accountsUrl: ${env:ZOHO_ACCOUNTS_URL}
              apiDomain: ${env:ZOHO_API_DOMAIN}
              clientId: ${env:ZOHO_CLIENT_ID}
              clientSecret: ${secret:ZOHO_CLIENT_SECRET}
              refreshToken: ${secret:ZOHO_REFRESH_TOKEN}

        """;

    /// <summary>
    /// Lines 16–23: flow <c>f</c> from shop customers to CRM contacts, matched on Email, mapping Email
    /// (rule at 22:14) and Last_Name (23:18); <paramref name="more"/> continues at line 24.
    /// </summary>
    public static string ContactsFlow(string more = "", string match = "[Email]", string from = "shop.customers", string to = "crm.Contacts") => Systems + $"""
        flows:
          f:
            from: {from}
            to: {to}
            match: {match}
            mapping:
              Email: defaultEmailAddress.emailAddress | email
              Last_Name: lastName | trim
        {more}
        """;

    /// <summary>Lines 16–21: flow <c>f</c> whose mapping (from line 22 on) is <paramref name="mapping"/>, written with its own indentation.</summary>
    public static string Flow(string mapping, string from = "shop.customers", string to = "crm.Contacts", string match = "[Email]") => Systems + $"""
        flows:
          f:
            from: {from}
            to: {to}
            match: {match}
            mapping:
        {mapping}
        """;
}
