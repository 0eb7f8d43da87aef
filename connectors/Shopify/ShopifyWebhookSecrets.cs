namespace Connectors.Shopify;

/// <summary>
/// The app's client secret(s) webhook deliveries are signed with. After a rotation Shopify may keep
/// signing with the old secret for up to an hour, so the previous one is accepted until
/// <see cref="PreviousValidUntil"/>.
/// </summary>
public sealed class ShopifyWebhookSecrets
{
    /// <summary>Creates the secrets; a previous secret needs the end of its rotation window.</summary>
    /// <param name="current">The app's current client secret.</param>
    /// <param name="previous">The secret before the last rotation, if a rotation is under way.</param>
    /// <param name="previousValidUntil">Until when deliveries signed with <paramref name="previous"/> are accepted.</param>
    public ShopifyWebhookSecrets(string current, string? previous = null, DateTimeOffset? previousValidUntil = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(current);
        if (previous is not null && previousValidUntil is null)
        {
            throw new ArgumentException("A previous webhook secret needs the end of its rotation window.", nameof(previousValidUntil));
        }
        Current = current;
        Previous = string.IsNullOrEmpty(previous) ? null : previous;
        PreviousValidUntil = previousValidUntil;
    }

    /// <summary>The app's current client secret.</summary>
    public string Current { get; }

    /// <summary>The secret before the last rotation, or <see langword="null"/>.</summary>
    public string? Previous { get; }

    /// <summary>The end of the rotation window, or <see langword="null"/> when there is no previous secret.</summary>
    public DateTimeOffset? PreviousValidUntil { get; }
}
