namespace Connectors.Core.Http;

/// <summary>Counts every request that leaves for the vendor. Sits innermost so each retry is counted.</summary>
internal sealed class ApiCallMeterHandler(ApiCallMeter meter, string system) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        meter.Count(system);
        return base.SendAsync(request, cancellationToken);
    }
}
