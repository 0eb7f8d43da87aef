using Connectors.Core.Flows;
using Connectors.Core.Mapping;
using Connectors.Core.Records;
using Connectors.Core.State;
using Connectors.Core.Validation;
using Newtonsoft.Json.Linq;

namespace Connectors.Core.Sync;

/// <summary>
/// What a flow makes of one source record before anything is sent: mapped and validated, then compared
/// with the fingerprint of what was last written. The one path <see cref="SyncRun"/> and
/// <see cref="SyncPlan"/> share, so that a plan shows exactly what a run would do.
/// </summary>
internal abstract record PreparedRecord
{
    /// <summary>Maps and validates <paramref name="record"/> and compares it with its <paramref name="link"/>.</summary>
    public static PreparedRecord Of(Flow flow, Record record, Link? link, MappingContext context)
    {
        JObject payload;
        try
        {
            payload = flow.Mapping.Apply(record.Data, context);
        }
        catch (MappingException e)
        {
            return new Failed("MAPPING_FAILED", e.Field, e.Reason, []);
        }
        var failures = flow.Validation.Validate(payload);
        if (failures.Count > 0)
        {
            return new Failed("VALIDATION_FAILED", failures[0].Field, string.Join("; ", failures), failures);
        }
        var fingerprint = Fingerprint.Of(payload);
        if (link is not null && link.Fingerprint == fingerprint) return new Unchanged();
        return new Ready(payload, fingerprint);
    }

    /// <summary>The record cannot be sent: it is dead-lettered with this code, field and message.</summary>
    /// <param name="Code"><c>MAPPING_FAILED</c> or <c>VALIDATION_FAILED</c>.</param>
    /// <param name="Field">The first field at fault.</param>
    /// <param name="Message">Every reason, for the dead letter.</param>
    /// <param name="Failures">The validation rules broken, each with its value; empty for a mapping failure.</param>
    public sealed record Failed(string Code, string? Field, string Message, IReadOnlyList<ValidationFailure> Failures) : PreparedRecord;

    /// <summary>The mapped payload equals what was last written: nothing to send.</summary>
    public sealed record Unchanged : PreparedRecord;

    /// <summary>The payload to send, and its fingerprint to remember once written.</summary>
    public sealed record Ready(JObject Payload, Fingerprint Fingerprint) : PreparedRecord;
}
