namespace Connectors.Core.Connectors;

/// <summary>Machine-readable reasons a whole connector call failed.</summary>
public enum ConnectorErrorCode
{
    /// <summary>The vendor refused our credentials even after a refresh; someone must re-authorise.</summary>
    AuthenticationFailed,

    /// <summary>The vendor throttled us for longer than the configured maximum wait.</summary>
    Throttled,

    /// <summary>The vendor kept failing (5xx, timeouts, open circuit) after all retries.</summary>
    Unavailable,

    /// <summary>The vendor rejected the request as a whole; retrying the same request will not help.</summary>
    InvalidRequest,

    /// <summary>The vendor answered with something we could not understand.</summary>
    UnexpectedResponse,
}
