using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Newtonsoft.Json.Linq;

namespace Connectors.Benchmarks.Webhooks;

/// <summary>
/// The benchmark's second process: sends the deliveries over <c>C</c> keep-alive HTTP/1.1 connections, each
/// request written from bytes prepared before the clock starts and each answer read just far enough to know its
/// status, so that the cores left to the server are as many as a light sender can leave (Shopify sends from its
/// own machines). Prints one JSON line: count, seconds, latency percentiles, failures, its own CPU time.
/// </summary>
internal static class LoadGenerator
{
    public static async Task<int> RunAsync(string[] args)
    {
        var address = new Uri(args[0]);
        var (first, total, concurrency) = (int.Parse(args[1], CultureInfo.InvariantCulture), int.Parse(args[2], CultureInfo.InvariantCulture),
            int.Parse(args[3], CultureInfo.InvariantCulture));
        var now = DateTimeOffset.UtcNow;
        var requests = Enumerable.Range(first, total).Select(i => Deliveries.Request(address, i, now)).ToArray();

        var latencies = new double[total];
        var failures = 0;
        var next = -1;
        using var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            Connection? connection = null;
            try
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < total)
                {
                    while (true)
                    {
                        var started = Stopwatch.GetTimestamp();
                        connection ??= await Connection.OpenAsync(address);
                        var (status, keepAlive) = await connection.SendAsync(requests[i]);
                        latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                        if (!keepAlive)
                        {
                            connection.Dispose();
                            connection = null;
                        }
                        if (status == 503) continue;
                        if (status is < 200 or > 299) Interlocked.Increment(ref failures);
                        break;
                    }
                }
            }
            finally
            {
                connection?.Dispose();
            }
        })));
        clock.Stop();
        self.Refresh();
        Array.Sort(latencies);
        double Percentile(double p) => latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(p * latencies.Length) - 1)];
        Console.WriteLine(new JObject
        {
            ["count"] = total,
            ["seconds"] = clock.Elapsed.TotalSeconds,
            ["p50"] = Percentile(0.50),
            ["p99"] = Percentile(0.99),
            ["max"] = latencies[^1],
            ["failures"] = failures,
            ["cpuSeconds"] = (self.TotalProcessorTime - cpu).TotalSeconds,
        }.ToString(Newtonsoft.Json.Formatting.None));
        return 0;
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
