using System.ComponentModel.DataAnnotations;

namespace Connectors.Azure.State;

/// <summary>Where and how <see cref="AzureTableSyncStateStore"/> keeps state. Validated when the store is created.</summary>
public sealed class AzureTableStateOptions
{
    /// <summary>
    /// The start of the table names: the store uses <c>&lt;prefix&gt;State</c> (watermarks, links, dead
    /// letters, partitioned by flow) and <c>&lt;prefix&gt;Runs</c>. A letter, then letters and digits.
    /// </summary>
    [Required]
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{0,40}$", ErrorMessage = "TablePrefix must be a letter followed by up to 40 letters and digits.")]
    public string TablePrefix { get; set; } = "connectors";

    /// <summary>How many link queries run at once when many links are read.</summary>
    [Range(1, 64)]
    public int ReadConcurrency { get; set; } = 8;

    /// <summary>
    /// How many link versions (ETags) the store remembers for optimistic concurrency. A link written
    /// after its version was forgotten is written unconditionally; the flow lease still keeps writers apart.
    /// </summary>
    [Range(0, 10_000_000)]
    public int MaxTrackedVersions { get; set; } = 200_000;

    /// <summary>Create the tables if missing, on first use.</summary>
    public bool CreateIfMissing { get; set; } = true;

    /// <summary>Checks the options and throws with the name of the first bad setting.</summary>
    /// <exception cref="ValidationException">A setting is out of range.</exception>
    public void Validate()
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true))
        {
            throw new ValidationException($"Azure table state options: {string.Join("; ", results.Select(r => r.ErrorMessage))}");
        }
    }
}
