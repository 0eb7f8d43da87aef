using System.ComponentModel.DataAnnotations;

namespace Connectors.Core.Queue;

/// <summary>
/// How <see cref="QueueListener"/> polls and retries. The names and defaults follow the Azure
/// Functions queue trigger (host.json <c>extensions.queues</c>), so that the standalone poller and
/// the function app treat a message the same way.
/// </summary>
public sealed class QueueListenerOptions
{
    /// <summary>The most messages fetched by one poll (the queue service allows 32).</summary>
    [Range(1, 32)]
    public int BatchSize { get; set; } = 16;

    /// <summary>
    /// Fetch the next batch when the messages in flight drop to this number; the most in flight is
    /// <see cref="BatchSize"/> + this. <see langword="null"/>: half of <see cref="BatchSize"/>.
    /// </summary>
    [Range(0, 1000)]
    public int? NewBatchThreshold { get; set; }

    /// <summary>The first wait after a poll that found nothing; later waits double up to <see cref="MaxPollingInterval"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan MinPollingInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest wait between polls of an empty queue.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan MaxPollingInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a failed message stays hidden before its next attempt (zero: at once).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.Zero;

    /// <summary>Attempts, the first included, before a message moves to the poison queue.</summary>
    [Range(1, 1000)]
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>
    /// How long a received message stays hidden while it is being handled. The listener extends it
    /// every half of this while the handler runs, so a long run keeps its messages, and a crashed
    /// instance's messages come back after at most this long.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The refill threshold in force: <see cref="NewBatchThreshold"/> or its default.</summary>
    public int EffectiveNewBatchThreshold => NewBatchThreshold ?? BatchSize / 2;

    /// <summary>Checks the options and throws with the name of the first bad setting.</summary>
    /// <exception cref="ValidationException">A setting is out of range.</exception>
    public void Validate()
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true))
        {
            throw new ValidationException($"Queue listener options: {string.Join("; ", results.Select(r => r.ErrorMessage))}");
        }
        if (MinPollingInterval > MaxPollingInterval)
        {
            throw new ValidationException("Queue listener options: MinPollingInterval must not exceed MaxPollingInterval.");
        }
    }
}
