using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Connectors.Azure;

/// <summary>
/// An account shared access signature made from the account key and renewed before it runs out, which
/// signs the clients' requests in the key's place. Signing with the key itself (shared key) computes a
/// keyed hash per request, and the SDK leaves each hash object to the finalizer; under a burst of
/// webhooks that is a good part of the process's CPU. A SAS is computed once a <see cref="Lifetime"/>.
/// </summary>
internal sealed class AccountSas : HttpPipelineSynchronousPolicy
{
    /// <summary>How long a signature is made for.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    // Renewed with this much left, so that a request signed just before the renewal is not refused for a signature that ran out in flight.
    private static readonly TimeSpan Margin = TimeSpan.FromHours(1);

    private readonly Func<DateTimeOffset, string> _sign;
    private readonly TimeProvider _clock;
    private readonly Lock _renewing = new();
    private long _renewAtTicks;

    /// <param name="sign">Makes a signature that expires at the given time (the query string of the SAS URI).</param>
    /// <param name="clock">The service checks a signature against its own clock: the real one, except in tests.</param>
    public AccountSas(Func<DateTimeOffset, string> sign, TimeProvider clock)
    {
        _sign = sign;
        _clock = clock;
        var expiresOn = clock.GetUtcNow() + Lifetime;
        Credential = new AzureSasCredential(sign(expiresOn));
        _renewAtTicks = (expiresOn - Margin).UtcTicks;
    }

    /// <summary>The credential the clients sign with; its signature is replaced on renewal.</summary>
    public AzureSasCredential Credential { get; }

    /// <summary>Renews the signature when it is about to run out; runs before every request.</summary>
    public override void OnSendingRequest(HttpMessage message)
    {
        if (_clock.GetUtcNow().UtcTicks < Interlocked.Read(ref _renewAtTicks)) return;
        lock (_renewing)
        {
            var now = _clock.GetUtcNow();
            if (now.UtcTicks < Interlocked.Read(ref _renewAtTicks)) return;
            var expiresOn = now + Lifetime;
            Credential.Update(_sign(expiresOn));
            Interlocked.Exchange(ref _renewAtTicks, (expiresOn - Margin).UtcTicks);
        }
    }
}
