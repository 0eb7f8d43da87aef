namespace Connectors.Functions.Tests.Infrastructure;

/// <summary>
/// Something that happens again and again in a real process or server (the end-to-end tests run on the system
/// clock, as a deployment does): a queue drained, say. A test waits on it and re-checks its condition each time it
/// is raised, instead of polling on a timer.
/// </summary>
internal sealed class Signal
{
    private TaskCompletionSource _next = New();

    /// <summary>Wakes everyone waiting for the next occurrence.</summary>
    public void Raise() => Interlocked.Exchange(ref _next, New()).TrySetResult();

    /// <summary>Completes once <paramref name="condition"/> holds: checked now, and again after each occurrence.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
    public async Task WaitUntilAsync(Func<Task<bool>> condition, CancellationToken cancellationToken)
    {
        while (true)
        {
            // Taken before the check, so that an occurrence during the check is not missed.
            var next = Volatile.Read(ref _next).Task;
            if (await condition()) return;
            await next.WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Runs <paramref name="wait"/> with a safety net: <see langword="false"/> when it has not completed within
    /// <paramref name="bound"/>, which the caller turns into a failed assertion saying what never happened.
    /// </summary>
    public static async Task<bool> WithinAsync(TimeSpan bound, Func<CancellationToken, Task> wait, CancellationToken cancellationToken)
    {
        using var safety = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        safety.CancelAfter(bound);
        try
        {
            await wait(safety.Token);
            return true;
        }
        catch (OperationCanceledException) when (safety.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
