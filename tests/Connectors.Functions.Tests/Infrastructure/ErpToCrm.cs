using System.Text;
using Connectors.Sandbox.BusinessCentral;
using Connectors.Sandbox.Zoho;
using Newtonsoft.Json.Linq;

namespace Connectors.Functions.Tests.Infrastructure;

/// <summary>
/// A Business Central company and a CRM emulator on loopback, a config that flows the company's customers into the
/// CRM's contacts on webhooks, and notification bodies in the shape Business Central posts them
/// (api-reference v2.0, dynamics-subscriptions).
/// </summary>
internal sealed class ErpToCrm : SourceToCrm<BusinessCentralSandbox>
{
    public const string Flow = "erp-customers-to-crm";
    public const string ClientState = "b2c-webhook-client-state-7f3e";

    /// <summary>The id Business Central gave the test's subscription, as its notifications repeat it.</summary>
    public const string SubscriptionId = "c670ea73cacb459bb51dc1740da2f1db";

    public const string ConfigYaml = $$"""
        systems:
          erp:
            type: businesscentral
            settings:
              tenantId: ${env:BC_TENANT_ID}
              environment: ${env:BC_ENVIRONMENT}
              companyId: ${env:BC_COMPANY_ID}
              clientId: ${env:BC_CLIENT_ID}
              clientSecret: ${secret:BC_CLIENT_SECRET}
              tokenEndpoint: ${env:BC_TOKEN_ENDPOINT}
              baseUrl: ${env:BC_BASE_URL}
              webhookClientState: ${secret:BC_WEBHOOK_CLIENT_STATE}
        {{CrmSystemYaml}}
        flows:
          erp-customers-to-crm:
            from: erp.customers
            to: crm.Contacts
            match: [Email]
            webhooks: true
            schedule: "0 */15 * * * *"
            mapping:
              Email: email | trim | lower
              Last_Name: displayName | trim
              Phone: phoneNumber
        """;

    private ErpToCrm(BusinessCentralSandbox erp, ZohoSandbox crm, string folder)
        : base(erp, crm, folder, ConfigYaml)
    {
    }

    public BusinessCentralSandbox Erp => Source;

    protected override Dictionary<string, string> SourceEnvironment => new()
    {
        ["BC_TENANT_ID"] = Erp.TenantId,
        ["BC_ENVIRONMENT"] = Erp.Environment,
        ["BC_COMPANY_ID"] = Erp.CompanyId,
        ["BC_CLIENT_ID"] = Erp.ClientId,
        ["BC_CLIENT_SECRET"] = Erp.ClientSecret,
        ["BC_TOKEN_ENDPOINT"] = Erp.TokenEndpoint.ToString(),
        ["BC_BASE_URL"] = Erp.ApiBaseUrl.ToString(),
        ["BC_WEBHOOK_CLIENT_STATE"] = ClientState,
    };

    public static async Task<ErpToCrm> StartAsync(TimeProvider clock, CancellationToken cancellationToken)
    {
        var erp = await BusinessCentralSandbox.StartAsync(new BusinessCentralSandboxOptions(), clock, cancellationToken);
        return await StartWithCrmAsync(erp, (source, crm, folder) => new ErpToCrm(source, crm, folder), clock, cancellationToken);
    }

    /// <summary>
    /// One notification of the batch Business Central posts: the entity <paramref name="id"/> of
    /// <paramref name="entitySet"/> in the emulator's company, or for a <c>collection</c> change (<paramref name="id"/>
    /// <see langword="null"/>) the entity set with the <c>$filter</c> that selects the changed records.
    /// </summary>
    public JObject Change(string entitySet, string? id, string changeType, string lastModifiedDateTime, string clientState = ClientState)
    {
        var resource = id is null
            ? $"/api/v2.0/companies({Erp.CompanyId})/{entitySet}?$filter=lastModifiedDateTime%20gt%20{lastModifiedDateTime}"
            : $"/api/v2.0/companies({Erp.CompanyId})/{entitySet}({id})";
        return new JObject
        {
            ["subscriptionId"] = SubscriptionId,
            ["clientState"] = clientState,
            ["expirationDateTime"] = "2026-11-26T09:00:00Z",
            ["resource"] = resource,
            ["changeType"] = changeType,
            ["lastModifiedDateTime"] = lastModifiedDateTime,
        };
    }

    /// <summary>The body Business Central posts: <c>{"value":[…]}</c>.</summary>
    public static byte[] Batch(params JObject[] changes) =>
        Encoding.UTF8.GetBytes(new JObject { ["value"] = new JArray(changes) }.ToString(Newtonsoft.Json.Formatting.None));

    /// <summary>A notification batch as Business Central would POST it to the app's <c>/api/webhooks/erp</c>.</summary>
    public static HttpRequestMessage Post(Uri server, byte[] body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, "api/webhooks/erp")) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return request;
    }
}
