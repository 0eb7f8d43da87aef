using System.ComponentModel.DataAnnotations;

namespace Connectors.Core.Resilience;

/// <summary>How hard a connector tries before it gives up on a call. Validated when the client is built.</summary>
public sealed class ConnectorResilienceOptions
{
    /// <summary>Retries after the first attempt, for transient failures (5xx, 408, 429, network errors).</summary>
    [Range(0, 20)]
    public int MaxRetries { get; set; } = 5;

    /// <summary>The first backoff; later ones grow exponentially, with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest Retry-After we wait out. A vendor asking for more makes the call fail as throttled,
    /// so that the run stops cleanly and resumes from its watermark next time instead of hanging.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Whether a POST is retried after a server error, a timeout or a lost connection. A POST that
    /// creates a record may have succeeded before the failure, so retrying it can create the record
    /// twice; turn this off for vendors whose create is not idempotent, and the next run finds the
    /// record by its match key instead. A 429 (the vendor did not take the request) is always retried.
    /// </summary>
    public bool RetryPosts { get; set; } = true;

    /// <summary>How long one attempt may take.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a call may take, all retries and waits included.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The share of failed calls within <see cref="BreakDuration"/>-long windows that opens the circuit.</summary>
    [Range(0.01, 1.0)]
    public double BreakFailureRatio { get; set; } = 0.5;

    /// <summary>How long an open circuit stays open before one trial call.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Checks the options and throws with the name of the first bad setting.</summary>
    public void Validate()
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true))
        {
            throw new ValidationException($"Resilience options: {string.Join("; ", results.Select(r => r.ErrorMessage))}");
        }
        if (AttemptTimeout > TotalTimeout)
        {
            throw new ValidationException("Resilience options: AttemptTimeout must not exceed TotalTimeout.");
        }
    }
}
