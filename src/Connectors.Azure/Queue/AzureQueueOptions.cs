using System.ComponentModel.DataAnnotations;

namespace Connectors.Azure.Queue;

/// <summary>Which Azure Storage queue carries the sync requests. Validated when the queue is created.</summary>
public sealed class AzureQueueOptions
{
    /// <summary>
    /// The queue's name: 3 to 56 lowercase letters, digits and single hyphens, starting and ending with a
    /// letter or digit (56, so that <c>&lt;name&gt;-poison</c> still fits the service's 63).
    /// </summary>
    [Required]
    [RegularExpression("^(?!.*--)[a-z0-9][a-z0-9-]{1,54}[a-z0-9]$",
        ErrorMessage = "QueueName must be 3-56 lowercase letters, digits and single hyphens, starting and ending with a letter or digit.")]
    public string QueueName { get; set; } = "crm-sync-requests";

    /// <summary>Create the queue (and its poison queue, when first needed) if missing.</summary>
    public bool CreateIfMissing { get; set; } = true;

    /// <summary>
    /// How long a message lives in the queue before the service deletes it unread; <see langword="null"/>:
    /// forever, so that no request is dropped silently while the worker is down (the service's own default is 7 days).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "3650.00:00:00")]
    public TimeSpan? MessageTimeToLive { get; set; }

    /// <summary>How many messages <c>EnqueueAsync</c> of many requests sends at once.</summary>
    [Range(1, 64)]
    public int SendConcurrency { get; set; } = 8;

    /// <summary>Checks the options and throws with the name of the first bad setting.</summary>
    /// <exception cref="ValidationException">A setting is out of range.</exception>
    public void Validate()
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true))
        {
            throw new ValidationException($"Azure queue options: {string.Join("; ", results.Select(r => r.ErrorMessage))}");
        }
    }
}
