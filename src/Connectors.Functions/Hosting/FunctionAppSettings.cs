using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Connectors.Functions.Hosting;

/// <summary>
/// The function app's settings: app settings in Azure, environment variables standalone. Validated
/// up front, so that a bad value fails at start with its name.
/// </summary>
internal sealed class FunctionAppSettings : IValidatableObject
{
    /// <summary>The port the Functions host gives the handler; standalone, the port to listen on.</summary>
    public const string PortVariable = "FUNCTIONS_CUSTOMHANDLER_PORT";

    /// <summary>The port when <see cref="PortVariable"/> is unset.</summary>
    public const int DefaultPort = 5088;

    /// <summary>The loopback port to listen on (0: any free port).</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = DefaultPort;

    /// <summary>The storage account's connection string (<c>ConnectorsStorage</c>); none: SQLite files beside the state database.</summary>
    public string? StorageConnectionString { get; set; }

    /// <summary>The work queue's name (<c>ConnectorsQueueName</c>).</summary>
    [Required]
    public string QueueName { get; set; } = "crm-sync-requests";

    /// <summary>The start of the table names on Azure Storage (<c>ConnectorsTablePrefix</c>).</summary>
    [Required]
    public string TablePrefix { get; set; } = "connectors";

    /// <summary>The largest webhook body taken in, in bytes (<c>ConnectorsWebhookMaxBodyBytes</c>); a larger one is answered 413.</summary>
    [Range(1, 64 * 1024 * 1024)]
    public int WebhookMaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// How old a delivery may be, by the vendor's own stamp (Shopify's <c>X-Shopify-Triggered-At</c>), and still
    /// be queued (<c>ConnectorsWebhookMaxAge</c>). An older one is acknowledged and dropped: the scheduled sync
    /// reads the record anyway, and a replayed old delivery must not be taken for news.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan WebhookMaxAge { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long a claimed, not yet queued delivery holds off its duplicates (<c>ConnectorsWebhookClaimTimeout</c>);
    /// after it, a taker is presumed dead and the vendor's retry takes the delivery over.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan WebhookClaimTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long the delivery ledger remembers a delivery it took in (<c>ConnectorsWebhookDeliveryRetention</c>): the
    /// <c>ledger-sweep</c> timer forgets the deliveries claimed longer ago, and one that comes again after that is taken in
    /// as new. Vendors retry for hours (Shopify 8 times over 4 hours, WooCommerce not at all), so a week holds every retry
    /// with room to spare. Longer than <see cref="WebhookClaimTimeout"/>, so that no claim still holding off its duplicates
    /// is forgotten, and at least <see cref="WebhookMaxAge"/>, so that a delivery stamped by its vendor is dropped as stale
    /// before its ledger row can be forgotten.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "366.00:00:00")]
    public TimeSpan WebhookDeliveryRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// The most webhook events taken in by one group (<c>ConnectorsWebhookIntakeGroup</c>): one ledger transaction
    /// per partition and one queue message per flow and <see cref="WebhookIdsPerMessage"/> records for the whole group.
    /// </summary>
    [Range(1, 10_000)]
    public int WebhookIntakeGroup { get; set; } = 500;

    /// <summary>The most record ids in one queued message (<c>ConnectorsWebhookIdsPerMessage</c>): what the worker reads back in one call.</summary>
    [Range(1, 1_000)]
    public int WebhookIdsPerMessage { get; set; } = 100;

    /// <summary>How many taken-in events an instance remembers to settle their duplicates without storage (<c>ConnectorsWebhookRecentDeliveries</c>).</summary>
    [Range(0, 10_000_000)]
    public int WebhookRecentDeliveries { get; set; } = 100_000;

    /// <summary>Attempts per queue message before it is poisoned (<c>ConnectorsMaxDequeueCount</c>); as host.json's <c>maxDequeueCount</c>.</summary>
    [Range(1, 1000)]
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>How long a failed message waits before its next attempt standalone (<c>ConnectorsVisibilityTimeout</c>); as host.json's <c>visibilityTimeout</c>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between polls of an empty queue standalone (<c>ConnectorsMaxPollingInterval</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan MaxPollingInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Messages fetched per poll standalone (<c>ConnectorsBatchSize</c>), at most 32.</summary>
    [Range(1, 32)]
    public int BatchSize { get; set; } = 16;

    /// <summary>How long a received message stays hidden while it is handled standalone (<c>ConnectorsMessageLease</c>); a killed process's messages come back after this.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan MessageLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often the standalone scheduler looks for due timers (<c>ConnectorsSchedulerTick</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan SchedulerTick { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Where the <c>reconcile</c> timer keeps a run's scratch database, its checkpoint (<c>ConnectorsReconcileWorkFolder</c>):
    /// local disk, as SQLite wants. Default: <c>connectors/reconcile</c> in the temporary folder.
    /// </summary>
    [Required]
    public string ReconcileWorkFolder { get; set; } = Path.Combine(Path.GetTempPath(), "connectors", "reconcile");

    /// <summary>
    /// Where the <c>reconcile</c> timer writes its JSON and HTML reports (<c>ConnectorsReconcileReportFolder</c>).
    /// Default: <c>connectors/reports</c> in the temporary folder; <see cref="FromEnvironment"/> chooses
    /// <c>%HOME%/data/connectors/reports</c> under Azure App Service, whose <c>%HOME%</c> outlives restarts and is
    /// shared by the instances where the plan mounts it.
    /// </summary>
    [Required]
    public string ReconcileReportFolder { get; set; } = Path.Combine(Path.GetTempPath(), "connectors", "reports");

    /// <summary>Reads the settings from environment variables (unset ones keep their defaults) and validates them.</summary>
    /// <exception cref="ValidationException">A value is malformed or out of range; the message names the variable, never a secret.</exception>
    public static FunctionAppSettings FromEnvironment(Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        var settings = new FunctionAppSettings();
        settings.Port = Read(variable, PortVariable, int.Parse, settings.Port);
        settings.StorageConnectionString = variable("ConnectorsStorage") is { Length: > 0 } storage ? storage : null;
        settings.QueueName = variable("ConnectorsQueueName") is { Length: > 0 } queue ? queue : settings.QueueName;
        settings.TablePrefix = variable("ConnectorsTablePrefix") is { Length: > 0 } prefix ? prefix : settings.TablePrefix;
        settings.WebhookMaxBodyBytes = Read(variable, "ConnectorsWebhookMaxBodyBytes", int.Parse, settings.WebhookMaxBodyBytes);
        settings.WebhookMaxAge = Read(variable, "ConnectorsWebhookMaxAge", TimeSpan.Parse, settings.WebhookMaxAge);
        settings.WebhookClaimTimeout = Read(variable, "ConnectorsWebhookClaimTimeout", TimeSpan.Parse, settings.WebhookClaimTimeout);
        settings.WebhookDeliveryRetention = Read(variable, "ConnectorsWebhookDeliveryRetention", TimeSpan.Parse, settings.WebhookDeliveryRetention);
        settings.WebhookIntakeGroup = Read(variable, "ConnectorsWebhookIntakeGroup", int.Parse, settings.WebhookIntakeGroup);
        settings.WebhookIdsPerMessage = Read(variable, "ConnectorsWebhookIdsPerMessage", int.Parse, settings.WebhookIdsPerMessage);
        settings.WebhookRecentDeliveries = Read(variable, "ConnectorsWebhookRecentDeliveries", int.Parse, settings.WebhookRecentDeliveries);
        settings.MaxDequeueCount = Read(variable, "ConnectorsMaxDequeueCount", int.Parse, settings.MaxDequeueCount);
        settings.VisibilityTimeout = Read(variable, "ConnectorsVisibilityTimeout", TimeSpan.Parse, settings.VisibilityTimeout);
        settings.MaxPollingInterval = Read(variable, "ConnectorsMaxPollingInterval", TimeSpan.Parse, settings.MaxPollingInterval);
        settings.BatchSize = Read(variable, "ConnectorsBatchSize", int.Parse, settings.BatchSize);
        settings.MessageLease = Read(variable, "ConnectorsMessageLease", TimeSpan.Parse, settings.MessageLease);
        settings.SchedulerTick = Read(variable, "ConnectorsSchedulerTick", TimeSpan.Parse, settings.SchedulerTick);
        settings.ReconcileWorkFolder = variable("ConnectorsReconcileWorkFolder") is { Length: > 0 } work ? work : settings.ReconcileWorkFolder;
        // App Service (and so Functions) sets WEBSITE_SITE_NAME; where it mounts %HOME%, that is persisted and shared by
        // the instances, while the temporary folder is each instance's own and is wiped on restart.
        settings.ReconcileReportFolder = variable("ConnectorsReconcileReportFolder") is { Length: > 0 } reports ? reports
            : variable("WEBSITE_SITE_NAME") is { Length: > 0 } && variable("HOME") is { Length: > 0 } home ? Path.Combine(home, "data", "connectors", "reports")
            : settings.ReconcileReportFolder;
        settings.Validate();
        return settings;
    }

    /// <summary>Checks the settings and throws with the name of every bad one.</summary>
    /// <exception cref="ValidationException">A setting is out of range.</exception>
    public void Validate()
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true))
        {
            throw new ValidationException($"Function app settings: {string.Join("; ", results.Select(r => r.ErrorMessage))}");
        }
    }

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (WebhookDeliveryRetention <= WebhookClaimTimeout)
        {
            yield return new ValidationResult(
                $"{nameof(WebhookDeliveryRetention)} (ConnectorsWebhookDeliveryRetention) must be longer than {nameof(WebhookClaimTimeout)} "
                + $"(ConnectorsWebhookClaimTimeout, {WebhookClaimTimeout}); it is {WebhookDeliveryRetention}.", [nameof(WebhookDeliveryRetention)]);
        }
        if (WebhookDeliveryRetention < WebhookMaxAge)
        {
            // Else a stamped delivery could outlive its ledger row while still young enough to be queued: taken for news.
            yield return new ValidationResult(
                $"{nameof(WebhookDeliveryRetention)} (ConnectorsWebhookDeliveryRetention) must be at least {nameof(WebhookMaxAge)} "
                + $"(ConnectorsWebhookMaxAge, {WebhookMaxAge}); it is {WebhookDeliveryRetention}.", [nameof(WebhookDeliveryRetention)]);
        }
        foreach (var (name, variable, folder) in new[]
        {
            (nameof(ReconcileWorkFolder), "ConnectorsReconcileWorkFolder", ReconcileWorkFolder),
            (nameof(ReconcileReportFolder), "ConnectorsReconcileReportFolder", ReconcileReportFolder),
        })
        {
            // A relative folder would move with the working directory, which the Functions host chooses.
            if (!Path.IsPathFullyQualified(folder) || folder.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
            {
                yield return new ValidationResult($"{name} ({variable}) must be an absolute folder path; it is '{folder}'.", [name]);
            }
        }
    }

    /// <summary>Creates the folders the app writes to, so that one it cannot write to fails at start, by its setting's name.</summary>
    /// <exception cref="ValidationException">A folder cannot be created.</exception>
    public void CreateFolders()
    {
        foreach (var (variable, folder) in new[] { ("ConnectorsReconcileWorkFolder", ReconcileWorkFolder), ("ConnectorsReconcileReportFolder", ReconcileReportFolder) })
        {
            try
            {
                Directory.CreateDirectory(folder);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ValidationException($"Function app settings: {variable} '{folder}' cannot be created: {e.Message}");
            }
        }
    }

    private static T Read<T>(Func<string, string?> variable, string name, Func<string, IFormatProvider, T> parse, T fallback)
    {
        if (variable(name) is not { Length: > 0 } text) return fallback;
        try
        {
            return parse(text.Trim(), CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new ValidationException($"Function app settings: {name} is not a valid {typeof(T).Name}.");
        }
    }
}
