using System.Net;
using System.Net.Sockets;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Connectors.Testing;

namespace Connectors.Azure.Tests.Infrastructure;

/// <summary>
/// A loopback HTTP proxy in front of the emulator's table endpoint that passes every request on, but answers the
/// first entity-group transaction with 503 after the emulator applied it: the answer lost on the way back, which
/// makes the client's pipeline send the same transaction again.
/// </summary>
public sealed class LostAnswerProxy : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly HttpClient _upstream = new();
    private readonly Uri _tables;
    private readonly Task _serving;
    private int _batches;

    private LostAnswerProxy(string connectionString)
    {
        _tables = new TableServiceClient(connectionString).Uri;
        var port = FreePort();
        Address = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(Address.AbsoluteUri);
        _listener.Start();
        ConnectionString = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
            $"AccountKey={AzuriteEmulator.DevelopmentAccountKey};TableEndpoint={Address}devstoreaccount1;" +
            $"QueueEndpoint={new QueueServiceClient(connectionString).Uri}";
        _serving = ServeAsync();
    }

    /// <summary>Where the proxy listens.</summary>
    public Uri Address { get; }

    /// <summary>The emulator's account with its table endpoint behind the proxy.</summary>
    public string ConnectionString { get; }

    /// <summary>Transactions whose answer was lost (at most one).</summary>
    public int Lost { get; private set; }

    /// <summary>Starts a proxy in front of the account of <paramref name="connectionString"/>.</summary>
    public static LostAnswerProxy Start(string connectionString) => new(connectionString);

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            await ForwardAsync(context);
        }
    }

    private async Task ForwardAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var target = new Uri(_tables.GetLeftPart(UriPartial.Authority) + request.RawUrl);
        using var forwarded = new HttpRequestMessage(new HttpMethod(request.HttpMethod), target);
        using var body = new MemoryStream();
        await request.InputStream.CopyToAsync(body);
        if (body.Length > 0 || request.HttpMethod is "POST" or "PUT" or "PATCH" or "MERGE") forwarded.Content = new ByteArrayContent(body.ToArray());
        foreach (var name in request.Headers.AllKeys.OfType<string>())
        {
            if (name is "Host" or "Content-Length" or "Connection") continue;
            var value = request.Headers[name]!;
            if (!forwarded.Headers.TryAddWithoutValidation(name, value)) forwarded.Content?.Headers.TryAddWithoutValidation(name, value);
        }
        using var answer = await _upstream.SendAsync(forwarded);
        var bytes = await answer.Content.ReadAsByteArrayAsync();
        var response = context.Response;
        if (request.RawUrl!.Contains("$batch", StringComparison.Ordinal) && Interlocked.Increment(ref _batches) == 1)
        {
            Lost++;
            response.StatusCode = (int)HttpStatusCode.ServiceUnavailable;
            response.Close();
            return;
        }
        response.StatusCode = (int)answer.StatusCode;
        foreach (var (name, values) in answer.Headers.Concat(answer.Content.Headers))
        {
            if (name is "Content-Length" or "Transfer-Encoding" or "Connection" or "Keep-Alive") continue;
            response.Headers[name] = string.Join(",", values);
        }
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
        response.Close();
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        try
        {
            return ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        finally
        {
            probe.Stop();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _serving;
        _upstream.Dispose();
    }
}
