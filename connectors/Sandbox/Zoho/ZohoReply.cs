using Microsoft.AspNetCore.Http;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Connectors.Sandbox.Zoho;

/// <summary>How the sandbox answers: Zoho's JSON bodies and its error envelope.</summary>
internal static class ZohoReply
{
    public static Task Json(HttpContext context, int status, JToken body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json;charset=UTF-8";
        return context.Response.WriteAsync(body.ToString(Formatting.None), context.RequestAborted);
    }

    /// <summary>A whole-request error: <c>{"code","details","message","status":"error"}</c>.</summary>
    public static Task Error(HttpContext context, int status, string code, string message, JObject? details = null) =>
        Json(context, status, Envelope(code, message, details));

    public static string Envelope(string code, string message) => Envelope(code, message, null).ToString(Formatting.None);

    public static Task Empty(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }

    private static JObject Envelope(string code, string message, JObject? details) =>
        new() { ["code"] = code, ["details"] = details ?? new JObject(), ["message"] = message, ["status"] = "error" };
}
