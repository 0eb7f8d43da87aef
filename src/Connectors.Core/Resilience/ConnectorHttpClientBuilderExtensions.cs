using System.Net;
using Connectors.Core.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Connectors.Core.Resilience;

/// <summary>Wires the resilience pipeline and the API-call meter onto a connector's HTTP client.</summary>
public static class ConnectorHttpClientBuilderExtensions
{
    /// <summary>
    /// Adds total timeout → retry (exponential, jittered, honouring Retry-After up to
    /// <see cref="ConnectorResilienceOptions.MaxRetryAfter"/>) → circuit breaker → attempt timeout.
    /// The pipeline's clock is the <see cref="TimeProvider"/> registered in the container.
    /// </summary>
    public static IHttpClientBuilder AddConnectorResilience(this IHttpClientBuilder builder, string system, ConnectorResilienceOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        builder.AddResilienceHandler($"{system}-pipeline", (pipeline, context) =>
        {
            pipeline.TimeProvider = context.ServiceProvider.GetService<TimeProvider>() ?? TimeProvider.System;
            pipeline.AddTimeout(options.TotalTimeout);
            // No retries is a valid choice (a caller that retries itself); Polly refuses a retry strategy of zero attempts.
            if (options.MaxRetries > 0)
            {
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = options.MaxRetries,
                    Delay = options.BaseDelay,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    ShouldRetryAfterHeader = true,
                    ShouldHandle = args => ValueTask.FromResult(
                        HttpClientResiliencePredicates.IsTransient(args.Outcome)
                        && !(RetryAfter(args.Outcome.Result) > options.MaxRetryAfter)
                        && (options.RetryPosts
                            || args.Outcome.Result?.StatusCode == HttpStatusCode.TooManyRequests
                            || args.Context.GetRequestMessage()?.Method != HttpMethod.Post)),
                });
            }
            pipeline
                .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                {
                    FailureRatio = options.BreakFailureRatio,
                    SamplingDuration = options.BreakDuration * 2,
                    BreakDuration = options.BreakDuration,
                    MinimumThroughput = 10,
                    // 429 is the vendor pacing us, not the vendor failing: the retry waits it out.
                    ShouldHandle = args => ValueTask.FromResult(
                        args.Outcome.Result?.StatusCode != HttpStatusCode.TooManyRequests
                        && HttpClientResiliencePredicates.IsTransient(args.Outcome)),
                })
                .AddTimeout(options.AttemptTimeout);
        });
        return builder;
    }

    /// <summary>Counts every request sent to <paramref name="system"/> in the <see cref="ApiCallMeter"/>. Add it last.</summary>
    public static IHttpClientBuilder AddApiCallMeter(this IHttpClientBuilder builder, string system)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<ApiCallMeter>();
        return builder.AddHttpMessageHandler(services => new ApiCallMeterHandler(services.GetRequiredService<ApiCallMeter>(), system));
    }

    /// <summary>The wait a response asks for in its Retry-After header, if any.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage? response) => RetryAfterHeader.Of(response?.Headers);
}
