using System.Collections.Concurrent;

namespace Connectors.Functions.Tests.EndToEnd;

/// <summary>
/// Which events have had a delivery answered 200 by the app. A delivery refused with 503 <c>in-progress</c>
/// (its duplicate is being taken in at that moment) is sent again once that duplicate is answered, which is the
/// signal that the app has settled the event: Shopify retries later, the test retries when it knows "later" has come.
/// </summary>
internal sealed class DeliveryAnswers
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _answered = new(StringComparer.Ordinal);

    /// <summary>Says that a delivery of <paramref name="eventId"/> was answered 200.</summary>
    public void Answered(string eventId) => Of(eventId).TrySetResult();

    /// <summary>Completes once a delivery of <paramref name="eventId"/> has been answered 200.</summary>
    public Task WhenAnswered(string eventId) => Of(eventId).Task;

    /// <summary>Whether a 503 answer's body says the same event is being taken in (rather than that queueing failed).</summary>
    public static bool IsInProgress(string body) => Newtonsoft.Json.Linq.JObject.Parse(body).Value<string>("status") == "in-progress";

    private TaskCompletionSource Of(string eventId) =>
        _answered.GetOrAdd(eventId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
