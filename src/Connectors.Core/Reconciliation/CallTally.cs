using Connectors.Core.Connectors;
using Connectors.Core.Http;

namespace Connectors.Core.Reconciliation;

/// <summary>
/// Counts, per system, the calls a run made (from the <see cref="ApiCallMeter"/>) and the fewest calls
/// its work needed, kind by kind at the vendor's per-call limit, and the credits it reserved.
/// </summary>
internal sealed class CallTally(ApiCallMeter meter, IEnumerable<string> systems)
{
    private readonly Dictionary<string, long> _startCalls = systems.Distinct(StringComparer.Ordinal).ToDictionary(s => s, meter.CallsTo, StringComparer.Ordinal);
    private readonly Dictionary<string, long> _minimum = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _credits = new(StringComparer.Ordinal);

    /// <summary>Adds the fewest calls that <paramref name="records"/> records of one kind of call needed: ⌈records / per call⌉, at least one.</summary>
    public void Used(string system, long records, int perCall) => AddMinimum(system, Math.Max(1, (records + Math.Max(1, perCall) - 1) / Math.Max(1, perCall)));

    /// <summary>Adds a number of calls the work needed whatever the records (a count, a bulk job's steps).</summary>
    public void AddMinimum(string system, long calls)
    {
        lock (_minimum) _minimum[system] = _minimum.GetValueOrDefault(system) + calls;
    }

    /// <summary>Records credits spent on <paramref name="system"/>.</summary>
    public void Spent(string system, long credits)
    {
        lock (_credits) _credits[system] = _credits.GetValueOrDefault(system) + credits;
    }

    /// <summary>The account of every system, calls made since the tally started.</summary>
    public IReadOnlyList<ApiCallAccount> Accounts() =>
        [.. _startCalls.Select(s => new ApiCallAccount(s.Key, meter.CallsTo(s.Key) - s.Value, _minimum.GetValueOrDefault(s.Key), _credits.GetValueOrDefault(s.Key)))];

    /// <summary>Records a call's page size when the connector states its limits, else the fallback.</summary>
    public static int PerCall(object connector, ApiOperation operation, string stream, int fallback) =>
        connector is IApiLimits limits ? limits.RecordsPerCall(operation, stream) : fallback;

    /// <summary>The credits of one call when the connector states them, else none.</summary>
    public static int Credits(object connector, ApiOperation operation, int records) =>
        connector is IApiLimits limits ? limits.CreditsPerCall(operation, records) : 0;
}
