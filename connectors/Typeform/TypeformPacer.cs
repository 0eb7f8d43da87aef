namespace Connectors.Typeform;

/// <summary>
/// Waits for the account's next request slot (<see cref="TypeformRequestRate"/>) before each attempt. It sits inside
/// the retry, so a retried attempt is paced too.
/// </summary>
internal sealed class TypeformPacer(TypeformRequestRate rate) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var wait = rate.Reserve();
        if (wait > TimeSpan.Zero) await Task.Delay(wait, rate.Clock, cancellationToken).ConfigureAwait(false);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
