namespace Connectors.Core.Webhooks;

/// <summary>
/// The secrets a system signs its webhooks with: the current one and, while a rotation lasts, the previous
/// one until <see cref="PreviousValidUntil"/>, so that deliveries signed just before the switch still pass.
/// </summary>
public sealed class WebhookSecrets
{
    /// <summary>Creates the secrets; a previous secret needs the end of its rotation window.</summary>
    /// <exception cref="ArgumentException">The current secret is empty, or a previous one has no end.</exception>
    public WebhookSecrets(string current, string? previous = null, DateTimeOffset? previousValidUntil = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(current);
        if (!string.IsNullOrEmpty(previous) && previousValidUntil is null)
        {
            throw new ArgumentException("A previous webhook secret needs the end of its rotation window.", nameof(previousValidUntil));
        }
        Current = current;
        Previous = string.IsNullOrEmpty(previous) ? null : previous;
        PreviousValidUntil = Previous is null ? null : previousValidUntil;
    }

    /// <summary>The secret deliveries are signed with now.</summary>
    public string Current { get; }

    /// <summary>The secret before the last rotation, if one is still accepted.</summary>
    public string? Previous { get; }

    /// <summary>Until when <see cref="Previous"/> is accepted.</summary>
    public DateTimeOffset? PreviousValidUntil { get; }
}
