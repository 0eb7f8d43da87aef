using System.ComponentModel.DataAnnotations;

namespace Connectors.State.Sqlite.Queue;

/// <summary>Where the durable local queue keeps its messages, and which queue of the file it is.</summary>
public sealed class SqliteQueueOptions
{
    /// <summary>
    /// The queue's database file (a folder is created when missing). Several processes may share it:
    /// a message is handed to one receiver at a time. Keep it apart from the state database, so that
    /// enqueuing never waits for a sync's commit.
    /// </summary>
    [Required]
    public string DatabasePath { get; set; } = "";

    /// <summary>The queue's name; its poison queue is <c>&lt;name&gt;-poison</c> in the same file.</summary>
    [Required]
    [RegularExpression("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", ErrorMessage = "QueueName must be 3-63 lowercase letters, digits and hyphens.")]
    public string QueueName { get; set; } = "crm-sync-requests";

    /// <summary>How long an operation waits for another process writing to the file before it fails.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Checks the options and throws <see cref="ValidationException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true))
        {
            throw new ValidationException($"SQLite queue options: {string.Join("; ", results.Select(r => r.ErrorMessage))}");
        }
    }
}
