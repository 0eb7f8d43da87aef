using Connectors.Functions.Hosting;
using Connectors.Core.Sync;
using Connectors.Core.Sync.TwoWay;
using Spectre.Console;

namespace Connectors.Cli.Commands;

/// <summary>Runs a sync with a live progress line, so a long first load shows it is alive.</summary>
internal static class RunWithProgress
{
    public static async Task<SyncReport> SyncAsync(IAnsiConsole console, ConnectorHost host, string flow, CancellationToken cancellationToken)
    {
        SyncReport? report = null;
        await console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new SpinnerColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask($"{flow}: starting").IsIndeterminate();
                var progress = new Progress<SyncProgress>(p =>
                    task.Description = $"{flow}: read {p.Read:N0}, written {p.Written:N0}, unchanged {p.Unchanged:N0}, failed {p.Failed:N0}");
                report = await host.SyncAsync(flow, progress, cancellationToken);
                task.StopTask();
            });
        return report!;
    }

    public static async Task<TwoWayReport> SyncTwoWayAsync(IAnsiConsole console, ConnectorHost host, string flow, CancellationToken cancellationToken)
    {
        TwoWayReport? report = null;
        await console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new SpinnerColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask($"{flow}: starting").IsIndeterminate();
                var progress = new Progress<SyncProgress>(p =>
                    task.Description = $"{flow}: read {p.Read:N0}, written {p.Written:N0}, unchanged {p.Unchanged:N0}, failed {p.Failed:N0}");
                report = await host.SyncTwoWayAsync(flow, progress, cancellationToken);
                task.StopTask();
            });
        return report!;
    }
}
