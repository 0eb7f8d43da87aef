using Connectors.Core.Connectors;

namespace Connectors.Core.Sync.TwoWay;

/// <summary>The connector of one side of a two-way flow: it is read from and written to.</summary>
/// <param name="Reader">Reads the side's changes and records by id.</param>
/// <param name="Writer">Writes the side's records (conditionally, when given a version).</param>
public sealed record SideConnectors(ISourceConnector Reader, ITargetConnector Writer)
{
    /// <summary>Finds records by field, when the connector can; else matching uses the records read in the run only.</summary>
    public IRecordLookup? Lookup => Reader as IRecordLookup;

    /// <summary>The connector when it is both a source and a target, as most are.</summary>
    public static SideConnectors Of<T>(T connector) where T : ISourceConnector, ITargetConnector => new(connector, connector);
}
