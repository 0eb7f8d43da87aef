namespace Connectors.Azure.Tables;

/// <summary>
/// What an entity-group transaction came to: written whole, or refused whole because of one action,
/// named by its place in the transaction, with the service's status and error code for it.
/// </summary>
/// <param name="Status">The status of the failed action, or 202 when all were applied.</param>
/// <param name="FailedIndex">The failed action's place, when the service named it.</param>
/// <param name="ErrorCode">The service's code for the failure (<c>EntityAlreadyExists</c>, say).</param>
internal readonly record struct TransactionOutcome(int Status, int? FailedIndex, string? ErrorCode)
{
    /// <summary>Every action was applied.</summary>
    public static TransactionOutcome Applied { get; } = new(202, null, null);

    /// <summary>Whether every action was applied.</summary>
    public bool IsApplied => Status == 202;
}
