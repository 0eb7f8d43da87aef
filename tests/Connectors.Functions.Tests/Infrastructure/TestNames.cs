namespace Connectors.Functions.Tests.Infrastructure;

/// <summary>Fresh queue and table names, so that tests running side by side never share one.</summary>
internal static class TestNames
{
    public static string Queue() => "q" + Guid.NewGuid().ToString("N")[..24];

    public static string Table() => "t" + Guid.NewGuid().ToString("N")[..16];
}
