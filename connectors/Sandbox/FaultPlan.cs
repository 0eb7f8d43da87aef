using Microsoft.AspNetCore.Http;

namespace Connectors.Sandbox;

/// <summary>Faults switched on for a test; each is used up after its number of matching requests.</summary>
public sealed class FaultPlan
{
    private readonly Lock _gate = new();
    private readonly List<(Fault Fault, int Left)> _faults = [];

    /// <summary>Switches a fault on.</summary>
    public void Add(Fault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        lock (_gate) _faults.Add((fault, fault.Times));
    }

    /// <summary>Switches every fault off.</summary>
    public void Clear()
    {
        lock (_gate) _faults.Clear();
    }

    internal Fault? Take(HttpRequest request)
    {
        lock (_gate)
        {
            for (var i = 0; i < _faults.Count; i++)
            {
                var (fault, left) = _faults[i];
                if (!fault.Matches(request)) continue;
                if (left <= 1) _faults.RemoveAt(i); else _faults[i] = (fault, left - 1);
                return fault;
            }
        }
        return null;
    }
}
