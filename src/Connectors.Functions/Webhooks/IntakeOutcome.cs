namespace Connectors.Functions.Webhooks;

/// <summary>What became of one webhook event handed to <see cref="DeliveryIntake"/>.</summary>
internal enum IntakeOutcome
{
    /// <summary>Claimed and queued: acknowledge it.</summary>
    Queued,

    /// <summary>Queued before, by this instance or another: acknowledge it and queue nothing.</summary>
    Duplicate,

    /// <summary>Another instance claimed it moments ago and has not queued it yet: ask the vendor to send it again later.</summary>
    InProgress,

    /// <summary>It could not be claimed or queued (storage failed); its claim was given up: ask the vendor to send it again.</summary>
    Failed,
}
