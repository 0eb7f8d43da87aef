using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Newtonsoft.Json.Linq;

namespace Connectors.Sandbox.Zoho;

/// <summary>
/// The sandbox's Zoho Accounts: the refresh-token grant (fields in the query string, as Zoho documents
/// it, or in a form body) and the access tokens it issued, which expire on the sandbox clock.
/// </summary>
internal sealed class ZohoSandboxAccounts(ZohoSandboxOptions options, TimeProvider clock, Random random, Func<Uri> apiDomain)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _tokens = new(StringComparer.Ordinal);

    public int TokensIssued
    {
        get
        {
            lock (_gate) return _tokens.Count;
        }
    }

    public IReadOnlyList<string> IssuedTokens
    {
        get
        {
            lock (_gate) return [.. _tokens.Keys];
        }
    }

    public async Task GrantAsync(HttpContext context)
    {
        var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted) : null;
        string? Field(string name) =>
            form is not null && form.TryGetValue(name, out var posted) && !StringValues.IsNullOrEmpty(posted) ? posted.ToString()
            : context.Request.Query.TryGetValue(name, out var queried) && !StringValues.IsNullOrEmpty(queried) ? queried.ToString()
            : null;

        // Zoho reports a refused grant as {"error": "..."}, with HTTP 200 (community reports; the
        // connector must not rely on the status code alone).
        if (Field("grant_type") != "refresh_token")
        {
            await ZohoReply.Json(context, 200, new JObject { ["error"] = "unsupported_grant_type" });
            return;
        }
        if (Field("client_id") != options.ClientId || Field("client_secret") != options.ClientSecret)
        {
            await ZohoReply.Json(context, 200, new JObject { ["error"] = "invalid_client" });
            return;
        }
        if (Field("refresh_token") != options.RefreshToken)
        {
            await ZohoReply.Json(context, 200, new JObject { ["error"] = "invalid_code" });
            return;
        }
        string token;
        lock (_gate)
        {
            token = $"1000.{Convert.ToHexStringLower(RandomBytes(16))}.{Convert.ToHexStringLower(RandomBytes(16))}";
            _tokens[token] = clock.GetUtcNow() + options.TokenLifetime;
        }
        await ZohoReply.Json(context, 200, new JObject
        {
            ["access_token"] = token,
            ["api_domain"] = apiDomain().ToString().TrimEnd('/'),
            ["token_type"] = "Bearer",
            ["expires_in"] = (int)options.TokenLifetime.TotalSeconds,
        });
    }

    /// <summary>Checks the call's <c>Authorization</c> header; answers 401 and returns false when it does not pass.</summary>
    public async Task<bool> AuthenticateAsync(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        const string scheme = "Zoho-oauthtoken ";
        if (!header.StartsWith(scheme, StringComparison.Ordinal))
        {
            await ZohoReply.Error(context, 401, "AUTHENTICATION_FAILURE", "Authentication failed");
            return false;
        }
        var token = header[scheme.Length..].Trim();
        bool valid;
        lock (_gate)
        {
            valid = _tokens.TryGetValue(token, out var expires) && clock.GetUtcNow() < expires;
        }
        if (!valid)
        {
            await ZohoReply.Error(context, 401, "INVALID_TOKEN", "invalid oauth token");
        }
        return valid;
    }

    /// <summary>Every token issued so far stops working, as if each had reached its hour.</summary>
    public void ExpireAll()
    {
        lock (_gate)
        {
            foreach (var token in _tokens.Keys.ToList()) _tokens[token] = DateTimeOffset.MinValue;
        }
    }

    private byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }
}
