using System.Text;
using Connectors.Functions.Hosting;
using Microsoft.AspNetCore.Builder;
using Newtonsoft.Json.Linq;

namespace Connectors.Functions.Tests.Infrastructure;

/// <summary>The function app's server started on a free loopback port, and a client for it.</summary>
internal sealed class RunningApp : IAsyncDisposable
{
    private readonly WebApplication _server;

    private RunningApp(FunctionApp app, WebApplication server, Uri address)
    {
        App = app;
        _server = server;
        Address = address;
        Client = new HttpClient { BaseAddress = address };
    }

    public FunctionApp App { get; }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public static async Task<RunningApp> StartAsync(FunctionApp app, CancellationToken cancellationToken)
    {
        var server = app.BuildServer(0);
        await server.StartAsync(cancellationToken);
        return new RunningApp(app, server, new Uri(server.Urls.First() + "/"));
    }

    /// <summary>POSTs an invocation as the Functions host does, and reads the answer's status and JSON.</summary>
    public async Task<(int Status, JObject Body)> InvokeAsync(string function, JObject payload, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, function)
        {
            Content = new StringContent(payload.ToString(Newtonsoft.Json.Formatting.None), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString());
        request.Headers.UserAgent.ParseAdd("Azure-Functions-Host");
        using var response = await Client.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return ((int)response.StatusCode, JObject.Parse(text));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _server.StopAsync(CancellationToken.None);
        await _server.DisposeAsync();
        await App.DisposeAsync();
    }
}
