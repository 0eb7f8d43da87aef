using System.ComponentModel.DataAnnotations;

namespace Connectors.State.Sqlite;

/// <summary>Where the embedded state store keeps its database and how long it waits for a busy file.</summary>
public sealed class SqliteStateOptions : IValidatableObject
{
    /// <summary>The longest <see cref="BusyTimeout"/> accepted: a writer that waits longer is stuck, not busy.</summary>
    public const string MaxBusyTimeout = "00:10:00";

    /// <summary>
    /// The database file. Relative paths are resolved against the current directory when the store is
    /// created; the folder is created when missing. Several processes may share one file.
    /// </summary>
    [Required]
    public string DatabasePath { get; set; } = "";

    /// <summary>
    /// How long an operation waits for another run or process that is writing to the same file before
    /// it gives up with an error. Whole seconds: Microsoft.Data.Sqlite counts its own retries of a busy
    /// file in seconds, so a fraction is rounded up.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", MaxBusyTimeout)]
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Checks the options and throws <see cref="ValidationException"/> naming the first bad setting.</summary>
    public void Validate() => Validator.ValidateObject(this, new ValidationContext(this), validateAllProperties: true);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // An in-memory database would be a different, empty database on every connection and lose
        // everything when the last one closes: the opposite of what a state store is for.
        if (DatabasePath.Trim() is ":memory:" || DatabasePath.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            yield return new ValidationResult(
                $"{nameof(DatabasePath)} must be a file path, not '{DatabasePath}'.", [nameof(DatabasePath)]);
        }
        else if (DatabasePath.Length > 0 && DatabasePath.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            yield return new ValidationResult(
                $"{nameof(DatabasePath)} contains characters that cannot appear in a path.", [nameof(DatabasePath)]);
        }
    }
}
