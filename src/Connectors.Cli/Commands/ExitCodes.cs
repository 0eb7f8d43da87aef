namespace Connectors.Cli.Commands;

/// <summary>What the process exit code tells a script or a scheduler.</summary>
internal static class ExitCodes
{
    /// <summary>Everything was done.</summary>
    public const int Ok = 0;

    /// <summary>The run failed and someone must look (bad credentials, a bug).</summary>
    public const int Failed = 1;

    /// <summary>The config or the command line is wrong; nothing was run.</summary>
    public const int BadConfig = 2;

    /// <summary>The run stopped early for a passing reason (throttling, an outage); the next run resumes from the watermark.</summary>
    public const int Incomplete = 3;

    /// <summary>A reconciliation completed and found drift it did not (or may not) repair.</summary>
    public const int Drift = 4;
}
