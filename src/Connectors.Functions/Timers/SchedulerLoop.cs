using Connectors.Functions.Hosting;
using Microsoft.Extensions.Logging;

namespace Connectors.Functions.Timers;

/// <summary>The standalone stand-in for the Functions host's timer triggers: ticks, and runs what is due (the flows' timers, the ledger's sweep).</summary>
internal sealed class SchedulerLoop(FlowScheduler scheduler, DeliverySweep sweep, FunctionAppSettings settings, TimeProvider clock, ILogger<SchedulerLoop> log)
{
    /// <summary>Ticks until <paramref name="cancellationToken"/> is cancelled; a failing tick is logged and the next one comes.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            foreach (var timer in new[] { FlowTimer.Schedule, FlowTimer.Reconcile })
            {
                try
                {
                    foreach (var run in await scheduler.RunDueAsync(timer, cancellationToken).ConfigureAwait(false))
                    {
                        if (run.Failed) log.LogError("{Timer} run: {Summary}", timer, run.Summary);
                        else log.LogInformation("{Timer} run: {Summary}", timer, run.Summary);
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    log.LogError(e, "The {Timer} tick failed; the next tick tries again", timer);
                }
            }
            try
            {
                // The sweep logs what it did itself; a failed sweep waits for the next day.
                await sweep.RunDueAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogError(e, "The ledger sweep's tick failed; the next tick tries again");
            }
            try
            {
                await Task.Delay(settings.SchedulerTick, clock, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
