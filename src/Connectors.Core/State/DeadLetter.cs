using Connectors.Core.Records;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.State;

/// <summary>A record that could not be synced, kept with its reason so that it can be fixed and replayed.</summary>
/// <param name="Flow">The flow's name.</param>
/// <param name="Source">The source record's key.</param>
/// <param name="Code">A machine-readable reason: the vendor's code (<c>INVALID_DATA</c>) or ours (<c>MAPPING_FAILED</c>).</param>
/// <param name="Field">The field that was blamed, when one was.</param>
/// <param name="Message">The reason in words.</param>
/// <param name="Record">The original source record as read.</param>
/// <param name="At">When it was dead-lettered (our clock).</param>
public sealed record DeadLetter(string Flow, RecordKey Source, string Code, string? Field, string Message, JObject Record, DateTimeOffset At);
