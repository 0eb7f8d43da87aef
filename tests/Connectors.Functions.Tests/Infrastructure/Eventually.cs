namespace Connectors.Functions.Tests.Infrastructure;

/// <summary>
/// Waits for real processes and servers (the end-to-end tests run on the system clock, as a deployment
/// does) to reach a state, checking it every 100 ms up to a bound; the bound fails the test, it never passes it.
/// </summary>
internal static class Eventually
{
    public static async Task<bool> TrueAsync(Func<Task<bool>> condition, TimeSpan within, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition()) return true;
            await Task.Delay(100, cancellationToken);
        }
        return await condition();
    }
}
