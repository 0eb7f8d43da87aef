namespace Connectors.Core.State;

/// <summary>How a run ended.</summary>
public enum RunStatus
{
    /// <summary>Everything read was handled.</summary>
    Completed,

    /// <summary>The run stopped early for a reason that passes (throttling, an outage); the next run resumes from the watermark.</summary>
    Incomplete,

    /// <summary>The run could not go on (bad credentials, a bug); someone must look.</summary>
    Failed,
}
