namespace Connectors.Sandbox.BusinessCentral;

/// <summary>The identity and behaviour of a <see cref="BusinessCentralSandbox"/>. The defaults suit the tests and the demo.</summary>
public sealed class BusinessCentralSandboxOptions
{
    /// <summary>The Entra ID tenant the token endpoint and the API path answer for.</summary>
    public string TenantId { get; set; } = "7c1f0e4e-5b7a-4c1d-9a53-3f1b2f0c8d11";

    /// <summary>The environment's name in the API path.</summary>
    public string Environment { get; set; } = "production";

    /// <summary>The one company's id.</summary>
    public string CompanyId { get; set; } = "f64eba74-dacd-4854-a584-1834f68cfc3a";

    /// <summary>The company's display name.</summary>
    public string CompanyName { get; set; } = "CRONUS USA, Inc.";

    /// <summary>The app registration's client id that the token endpoint accepts.</summary>
    public string ClientId { get; set; } = "3e4a7f0c-1d2b-4c5e-8f90-a1b2c3d4e5f6";

    /// <summary>The client secret the token endpoint accepts.</summary>
    public string ClientSecret { get; set; } = "sandbox-client-secret-Qx7~vT2";

    /// <summary>How long an issued token is valid, on the sandbox's clock. Entra's are about an hour.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The most entities per page; Business Central online serves 20,000.</summary>
    public int MaxPageSize { get; set; } = 20_000;

    /// <summary>
    /// The status a stale <c>If-Match</c> gets, with error code <c>Request_EntityChanged</c>. 412 is the OData
    /// standard; analyses of recent Business Central builds report 409, so tests can switch to it.
    /// </summary>
    public int StaleEtagStatus { get; set; } = 412;
}
