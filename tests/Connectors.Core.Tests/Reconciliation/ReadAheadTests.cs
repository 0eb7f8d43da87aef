using System.Runtime.CompilerServices;
using Connectors.Core.Reconciliation;

namespace Connectors.Core.Tests.Reconciliation;

public sealed class ReadAheadTests
{
    // Only a bound on a hang: every wait below ends on a signal long before it.
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Of_GivesEveryItemInOrder()
    {
        var items = new List<int>();
        await foreach (var item in ReadAhead.Of(Numbers(100, produced: null), depth: 2, Token)) items.Add(item);

        Assert.Equal(Enumerable.Range(0, 100), items);
    }

    [Fact]
    public async Task Of_ReadsTheNextItemsWhileTheCallerHoldsOne_AndNoMoreThanItsDepth()
    {
        var produced = new ProducedCounter();
        await using var items = ReadAhead.Of(Numbers(10, produced), depth: 2, Token).GetAsyncEnumerator(Token);

        Assert.True(await items.MoveNextAsync());
        // While the caller holds item 0, items 1 and 2 are read into the buffer and item 3 waits for room.
        await produced.Reached(4).WaitAsync(Hang, Token);
        Assert.Equal(0, items.Current);
        Assert.Equal(4, produced.Count);

        Assert.True(await items.MoveNextAsync());
        await produced.Reached(5).WaitAsync(Hang, Token);
        Assert.Equal(1, items.Current);
    }

    [Fact]
    public async Task Of_SourceFails_GivesTheItemsReadBefore_ThenThrowsTheSourcesException()
    {
        var items = new List<int>();
        var thrown = await Assert.ThrowsAsync<TimeoutException>(async () =>
        {
            await foreach (var item in ReadAhead.Of(FailingAfter(3), depth: 2, Token)) items.Add(item);
        });

        Assert.Equal([0, 1, 2], items);
        Assert.Equal("the source gave up", thrown.Message);
    }

    [Fact]
    public async Task Of_CallerStopsEarly_TheSourceIsStoppedBeforeTheCallerGoesOn()
    {
        var stopped = false;
        async IAsyncEnumerable<int> Endless([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            try
            {
                for (var i = 0; ; i++)
                {
                    await Task.Yield();
                    cancellationToken.ThrowIfCancellationRequested();
                    yield return i;
                }
            }
            finally
            {
                stopped = true;
            }
        }

        await foreach (var item in ReadAhead.Of(Endless(), depth: 2, Token))
        {
            if (item == 5) break;
        }

        Assert.True(stopped);
    }

    private static async IAsyncEnumerable<int> Numbers(int count, ProducedCounter? produced)
    {
        for (var i = 0; i < count; i++)
        {
            await Task.Yield();
            produced?.Add();
            yield return i;
        }
    }

    private static async IAsyncEnumerable<int> FailingAfter(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await Task.Yield();
            yield return i;
        }
        throw new TimeoutException("the source gave up");
    }

    /// <summary>How many items the source has produced, with a signal when it reaches a number.</summary>
    private sealed class ProducedCounter
    {
        private readonly Lock _gate = new();
        private readonly List<(int Count, TaskCompletionSource Signal)> _waiting = [];

        public int Count { get; private set; }

        public void Add()
        {
            lock (_gate)
            {
                Count++;
                foreach (var (count, signal) in _waiting.Where(w => w.Count <= Count)) signal.TrySetResult();
            }
        }

        public Task Reached(int count)
        {
            lock (_gate)
            {
                if (Count >= count) return Task.CompletedTask;
                var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiting.Add((count, signal));
                return signal.Task;
            }
        }
    }
}
