using System.Globalization;

namespace Connectors.Functions.Timers;

/// <summary>What a tick of the <c>ledger-sweep</c> timer did.</summary>
internal abstract record DeliverySweepRun
{
    private DeliverySweepRun()
    {
    }

    /// <summary>One line saying what happened, for the invocation's logs.</summary>
    public abstract string Summary { get; }

    /// <summary>Whether the sweep was due and failed.</summary>
    public bool IsFailure => this is Failed;

    /// <summary>The ledger was swept.</summary>
    /// <param name="Cutoff">The deliveries claimed before it were forgotten.</param>
    /// <param name="Forgotten">How many.</param>
    public sealed record Swept(DateTimeOffset Cutoff, long Forgotten) : DeliverySweepRun
    {
        /// <inheritdoc />
        public override string Summary => string.Create(CultureInfo.InvariantCulture,
            $"Delivery ledger: swept; forgot {Forgotten} deliveries claimed before {Cutoff:o}.");
    }

    /// <summary>The sweep is not due yet.</summary>
    /// <param name="Next">When it is.</param>
    public sealed record NotDue(DateTimeOffset Next) : DeliverySweepRun
    {
        /// <inheritdoc />
        public override string Summary => string.Create(CultureInfo.InvariantCulture, $"Delivery ledger: the next sweep is due at {Next:o}.");
    }

    /// <summary>Another instance holds the sweep's lease and sweeps.</summary>
    public sealed record HeldElsewhere : DeliverySweepRun
    {
        /// <inheritdoc />
        public override string Summary => "Delivery ledger: another instance holds the sweep's lease and sweeps.";
    }

    /// <summary>The sweep was due and failed; it waits for its next occurrence.</summary>
    /// <param name="Error">Why.</param>
    public sealed record Failed(string Error) : DeliverySweepRun
    {
        /// <inheritdoc />
        public override string Summary => $"Delivery ledger: the sweep failed: {Error}";
    }
}
