using Newtonsoft.Json.Linq;

namespace Connectors.Functions.Tests.Infrastructure;

/// <summary>A timer trigger's invocation, in the shape the Azure Functions documentation gives for custom handlers.</summary>
internal static class TimerPayload
{
    public static JObject Create(bool isPastDue, string function = "scheduled-sync") => new()
    {
        ["Data"] = new JObject
        {
            ["timer"] = new JObject
            {
                ["Schedule"] = new JObject { ["AdjustForDST"] = true },
                ["ScheduleStatus"] = new JObject { ["Last"] = "2026-11-23T08:59:00Z", ["Next"] = "2026-11-23T09:00:00Z", ["LastUpdated"] = "2026-11-23T08:59:00Z" },
                ["IsPastDue"] = isPastDue,
            },
        },
        ["Metadata"] = new JObject { ["sys"] = new JObject { ["MethodName"] = function, ["UtcNow"] = "2026-11-23T09:00:00Z", ["RandGuid"] = Guid.NewGuid().ToString() } },
    };
}
