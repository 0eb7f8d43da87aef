namespace Connectors.Azure.Tests.Infrastructure;

/// <summary>Fresh queue and table names, so that tests running side by side never share one.</summary>
public static class TestNames
{
    /// <summary>A queue name (lowercase, short enough for its <c>-poison</c> twin).</summary>
    public static string Queue() => "q" + Guid.NewGuid().ToString("N")[..24];

    /// <summary>A table name or prefix (letters and digits).</summary>
    public static string Table() => "t" + Guid.NewGuid().ToString("N")[..20];
}
