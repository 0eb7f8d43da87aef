using BenchmarkDotNet.Running;
using Connectors.Benchmarks;

// `reconcile` runs the end-to-end reconciliation benchmark, `emulators` is the process it starts to host
// the emulators; anything else goes to BenchmarkDotNet's micro benchmarks.
switch (args)
{
    case ["reconcile", .. var rest]:
        return await ReconcileBenchmark.RunAsync(rest);
    case ["emulators", .. var rest]:
        return await BenchEmulators.RunAsync(rest);
    default:
        BenchmarkSwitcher.FromAssembly(typeof(ReconcileBenchmark).Assembly).Run(args);
        return 0;
}
