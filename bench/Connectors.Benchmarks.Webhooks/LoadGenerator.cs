using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using Newtonsoft.Json.Linq;

namespace Connectors.Benchmarks.Webhooks;

/// <summary>
/// The benchmark's second process: sends the deliveries over keep-alive HTTP/1.1 connections, either as fast as
/// a fixed number of connections are answered (closed loop) or each at its due time at a fixed rate (open loop),
/// each request written from bytes prepared before the clock starts and each answer read just far enough to know its
/// status, so that the cores left to the server are as many as a light sender can leave (Shopify sends from its
/// own machines). Prints one JSON line: count, seconds, latency percentiles, the open loop's own lateness, failures,
/// its own CPU time and GC pauses.
/// </summary>
internal static class LoadGenerator
{
    // Open loop: the connections deliveries are sent over, as a vendor sends over a bounded number. A delivery that
    // finds them all waiting on answers waits too, and its wait counts in its latency.
    private const int OpenConnections = 256;

    public static async Task<int> RunAsync(string[] args)
    {
        var address = new Uri(args[0]);
        var (first, total) = (int.Parse(args[1], CultureInfo.InvariantCulture), int.Parse(args[2], CultureInfo.InvariantCulture));
        var load = Load.Parse(args[3]);
        var now = DateTimeOffset.UtcNow;
        var requests = Enumerable.Range(first, total).Select(i => Deliveries.Request(address, i, now)).ToArray();

        var latencies = new double[total];
        var lags = new double[total];
        var failures = 0;
        using var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        var paused = GC.GetTotalPauseDuration();
        var clock = Stopwatch.StartNew();
        if (load.Rate is { } rate)
        {
            failures = await OpenLoopAsync(address, requests, rate, latencies, lags);
        }
        else
        {
            failures = await ClosedLoopAsync(address, requests, load.Connections, latencies);
        }
        clock.Stop();
        self.Refresh();
        Array.Sort(latencies);
        Array.Sort(lags);
        double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
        Console.WriteLine(new JObject
        {
            ["count"] = total,
            ["seconds"] = clock.Elapsed.TotalSeconds,
            ["p50"] = Percentile(latencies, 0.50),
            ["p99"] = Percentile(latencies, 0.99),
            ["lagP99"] = Percentile(lags, 0.99),
            ["max"] = latencies[^1],
            ["failures"] = failures,
            ["cpuSeconds"] = (self.TotalProcessorTime - cpu).TotalSeconds,
            ["gcPauseMs"] = (GC.GetTotalPauseDuration() - paused).TotalMilliseconds,
        }.ToString(Newtonsoft.Json.Formatting.None));
        return 0;
    }

    /// <summary>
    /// <paramref name="connections"/> senders, each sending its next delivery when the last is answered: the rate is what
    /// the server's latency lets through. Latency runs from each send.
    /// </summary>
    private static async Task<int> ClosedLoopAsync(Uri address, byte[][] requests, int connections, double[] latencies)
    {
        var failures = 0;
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            Connection? connection = null;
            try
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < requests.Length)
                {
                    (var ok, connection) = await DeliverAsync(address, connection, requests[i], Stopwatch.GetTimestamp(), latencies, i);
                    if (!ok) Interlocked.Increment(ref failures);
                }
            }
            finally
            {
                connection?.Dispose();
            }
        })));
        return failures;
    }

    /// <summary>
    /// Delivery <c>i</c> is due <c>i / rate</c> seconds after the start, whether or not earlier ones were answered, as
    /// a vendor sends events when they happen. Latency runs from when a delivery was due, so that a delivery waiting for
    /// a free connection counts its wait too. <paramref name="lags"/> gets how late this process itself was in taking
    /// each delivery up: on a machine it shares with the server, the sender's own lateness counts as latency too.
    /// </summary>
    /// <remarks>
    /// A pacer hands the deliveries that are due, every millisecond, to <see cref="OpenConnections"/> senders, each with a
    /// keep-alive connection of its own: no timer, task or lock a delivery, and no connection opened while a backlog
    /// builds (each new one costs the server too). Its GC pauses fell from 28–84 to 24–32 ms a round.
    /// </remarks>
    private static async Task<int> OpenLoopAsync(Uri address, byte[][] requests, double rate, double[] latencies, double[] lags)
    {
        var due = Channel.CreateUnbounded<(int Index, long Due)>(new UnboundedChannelOptions { SingleWriter = true });
        var failures = 0;
        var connections = await Task.WhenAll(Enumerable.Range(0, OpenConnections).Select(_ => Connection.OpenAsync(address)));
        var senders = connections.Select(opened => Task.Run(async () =>
        {
            Connection? connection = opened;
            try
            {
                await foreach (var (i, at) in due.Reader.ReadAllAsync())
                {
                    (var ok, connection) = await DeliverAsync(address, connection, requests[i], at, latencies, i);
                    if (!ok) Interlocked.Increment(ref failures);
                }
            }
            finally
            {
                connection?.Dispose();
            }
        })).ToArray();
        var start = Stopwatch.GetTimestamp();
        for (var next = 0; next < requests.Length;)
        {
            var now = Stopwatch.GetTimestamp();
            for (long at; next < requests.Length && (at = start + (long)(next * Stopwatch.Frequency / rate)) <= now; next++)
            {
                lags[next] = Stopwatch.GetElapsedTime(at, now).TotalMilliseconds;
                due.Writer.TryWrite((next, at));
            }
            if (next < requests.Length) await Task.Delay(1);
        }
        due.Writer.Complete();
        await Task.WhenAll(senders);
        return failures;
    }

    /// <summary>
    /// Sends one delivery until it is answered other than 503 (in progress elsewhere: the vendor would retry); whether it
    /// was accepted, and the connection to go on with (none when the server closed it).
    /// </summary>
    private static async Task<(bool Accepted, Connection? Connection)> DeliverAsync(Uri address, Connection? connection, byte[] request, long since,
        double[] latencies, int i)
    {
        while (true)
        {
            connection ??= await Connection.OpenAsync(address);
            var (status, keepAlive) = await connection.SendAsync(request);
            latencies[i] = Stopwatch.GetElapsedTime(since).TotalMilliseconds;
            if (!keepAlive)
            {
                connection.Dispose();
                connection = null;
            }
            if (status == 503) continue;
            return (status is >= 200 and <= 299, connection);
        }
    }

    /// <summary>How the deliveries are sent: over a fixed number of connections (closed loop) or at a fixed rate (open loop).</summary>
    public readonly record struct Load(int Connections, double? Rate)
    {
        /// <summary><c>128</c>: 128 connections; <c>5000/s</c>: 5,000 deliveries a second.</summary>
        public static Load Parse(string text) => text.EndsWith("/s", StringComparison.Ordinal)
            ? new Load(0, double.Parse(text[..^2], CultureInfo.InvariantCulture))
            : new Load(int.Parse(text, CultureInfo.InvariantCulture), null);

        public override string ToString() => Rate is { } rate
            ? string.Create(CultureInfo.InvariantCulture, $"offered at {rate:N0}/s (open loop: each delivery sent when due, latency from then)")
            : string.Create(CultureInfo.InvariantCulture, $"{Connections} concurrent (closed loop: each connection sends when answered)");
    }

    /// <summary>One keep-alive connection: a request written whole, its answer's head parsed and its body skipped.</summary>
    private sealed class Connection : IDisposable
    {
        private readonly Socket _socket;
        private readonly byte[] _buffer = new byte[16 * 1024];
        private int _start;
        private int _end;

        private Connection(Socket socket) => _socket = socket;

        public static async Task<Connection> OpenAsync(Uri address)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(address.Host, address.Port);
            return new Connection(socket);
        }

        public async Task<(int Status, bool KeepAlive)> SendAsync(byte[] request)
        {
            await _socket.SendAsync(request, SocketFlags.None);
            int headEnd;
            while ((headEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8)) < 0) await FillAsync();
            var head = Encoding.ASCII.GetString(_buffer, _start, headEnd);
            _start += headEnd + 4;
            var lines = head.Split("\r\n");
            var status = int.Parse(lines[0].AsSpan(9, 3), CultureInfo.InvariantCulture);
            var length = 0;
            var (chunked, keepAlive) = (false, true);
            foreach (var line in lines.Skip(1))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                var (name, value) = (line[..colon].Trim(), line[(colon + 1)..].Trim());
                if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) length = int.Parse(value, CultureInfo.InvariantCulture);
                if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)) chunked = value.Contains("chunked", StringComparison.OrdinalIgnoreCase);
                if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase)) keepAlive = !value.Equals("close", StringComparison.OrdinalIgnoreCase);
            }
            if (chunked)
            {
                int end;
                while ((end = _buffer.AsSpan(_start, _end - _start).IndexOf("0\r\n\r\n"u8)) < 0) await FillAsync();
                _start += end + 5;
            }
            else
            {
                while (_end - _start < length) await FillAsync();
                _start += length;
            }
            return (status, keepAlive);
        }

        public void Dispose() => _socket.Dispose();

        private async Task FillAsync()
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                (_end, _start) = (_end - _start, 0);
            }
            var read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None);
            if (read == 0) throw new IOException("The server closed the connection in the middle of an answer.");
            _end += read;
        }
    }
}
