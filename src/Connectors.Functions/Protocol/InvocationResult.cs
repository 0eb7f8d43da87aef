using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Connectors.Functions.Protocol;

/// <summary>
/// The handler's answer to an invocation: <c>{"Outputs":{…},"Logs":[…],"ReturnValue":…}</c>, in
/// PascalCase as the documentation writes it (the host reads it case-insensitively).
/// </summary>
internal sealed class InvocationResult
{
    /// <summary>One entry per output binding, by binding name.</summary>
    public JObject Outputs { get; } = [];

    /// <summary>Lines for the invocation's log.</summary>
    public List<string> Logs { get; } = [];

    /// <summary>The value of a <c>$return</c> binding.</summary>
    public JToken? ReturnValue { get; set; }

    /// <summary>Sets the HTTP output binding <paramref name="binding"/> to a response.</summary>
    public InvocationResult Http(string binding, int status, string body, string contentType)
    {
        Outputs[binding] = new JObject
        {
            ["statusCode"] = status,
            ["body"] = body,
            ["headers"] = new JObject { ["Content-Type"] = contentType },
        };
        return this;
    }

    /// <summary>The JSON text.</summary>
    public string ToJson() => new JObject
    {
        ["Outputs"] = Outputs,
        ["Logs"] = new JArray(Logs),
        ["ReturnValue"] = ReturnValue ?? JValue.CreateNull(),
    }.ToString(Formatting.None);
}
