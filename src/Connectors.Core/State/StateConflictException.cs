namespace Connectors.Core.State;

/// <summary>
/// A commit lost a race: another writer changed the flow's watermark or one of its links after this
/// writer read them. The conflicting part was not applied and the watermark did not move; re-read the
/// state and run the step again (a queue message does this by failing and coming back).
/// </summary>
public sealed class StateConflictException : Exception
{
    /// <summary>Creates the exception for <paramref name="flow"/>.</summary>
    /// <param name="flow">The flow whose state changed underneath.</param>
    /// <param name="message">What conflicted, in words.</param>
    public StateConflictException(string flow, string message) : base(message)
    {
        Flow = flow;
    }

    /// <summary>The flow whose state changed underneath.</summary>
    public string Flow { get; }
}
