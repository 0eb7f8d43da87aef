using System.ComponentModel.DataAnnotations;

namespace Connectors.Azure.Lease;

/// <summary>Where <see cref="AzureFlowLease"/> keeps its leases, and who this instance is. Validated when the lease is created.</summary>
public sealed class AzureFlowLeaseOptions
{
    /// <summary>The table that holds one row per leased flow: a letter, then 2 to 62 letters and digits.</summary>
    [Required]
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$", ErrorMessage = "TableName must be a letter followed by 2 to 62 letters and digits.")]
    public string TableName { get; set; } = "connectorsLeases";

    /// <summary>
    /// Who this instance is, as shown to others that find the lease taken (a host and process, say).
    /// It is for diagnostics only: exclusion rests on the lease row's ETag, not on this name.
    /// </summary>
    [Required(AllowEmptyStrings = false)]
    [StringLength(200)]
    public string Holder { get; set; } = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>Create the table if missing, on first use.</summary>
    public bool CreateIfMissing { get; set; } = true;

    /// <summary>Checks the options and throws with the name of the first bad setting.</summary>
    /// <exception cref="ValidationException">A setting is out of range.</exception>
    public void Validate()
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true))
        {
            throw new ValidationException($"Azure flow lease options: {string.Join("; ", results.Select(r => r.ErrorMessage))}");
        }
    }
}
