namespace Connectors.Core.Connectors;

/// <summary>A connector call failed as a whole. Its message never carries a secret.</summary>
public sealed class ConnectorException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ConnectorException(string system, ConnectorErrorCode code, string message, string? vendorCode = null,
        TimeSpan? retryAfter = null, Exception? innerException = null)
        : base($"{system}: {message}", innerException)
    {
        System = system;
        Code = code;
        VendorCode = vendorCode;
        RetryAfter = retryAfter;
    }

    /// <summary>The system the call went to, as named in the config.</summary>
    public string System { get; }

    /// <summary>Why the call failed.</summary>
    public ConnectorErrorCode Code { get; }

    /// <summary>The vendor's own error code, when it gave one.</summary>
    public string? VendorCode { get; }

    /// <summary>How long the vendor asked us to wait, when it said.</summary>
    public TimeSpan? RetryAfter { get; }
}
