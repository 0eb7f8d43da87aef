namespace Connectors.Sandbox.Typeform;

/// <summary>How the emulated Typeform account behaves. The defaults are a single NPS form under Typeform's documented limits.</summary>
public sealed class TypeformSandboxOptions
{
    /// <summary>The only personal access token the account accepts as <c>Authorization: Bearer …</c>.</summary>
    public string AccessToken { get; set; } = "tfp_sandbox_4f1c9e2b7a";

    /// <summary>The id of the account's NPS form, as in <c>https://mysite.typeform.com/to/{FormId}</c>.</summary>
    public string FormId { get; set; } = "u6nXL7";

    /// <summary>
    /// Requests per second of the sandbox clock the account allows before answering 429 (Typeform: 2 for the
    /// Responses API, per account); 0 switches the limit off.
    /// </summary>
    public double RequestsPerSecond { get; set; } = 2;
}
