using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace ExoAdmin.Engine.Tests.Hostile;

/// <summary>
/// A real HTTPS server on loopback (Kestrel, a free port, a certificate from the tests' CA) that answers every request
/// with the function given: the hostile or broken service ExoAdmin must survive. HTTP/1.1 and HTTP/2, as the service.
/// </summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackServer(WebApplication app, Uri root)
    {
        _app = app;
        Root = root;
    }

    /// <summary>https://127.0.0.1:port (or the address given), where the server listens.</summary>
    public Uri Root { get; }

    public int Requests => _requests;

    private int _requests;

    public static async Task<LoopbackServer> StartAsync(Func<HttpContext, Task> respond, IPAddress? address = null, X509Certificate2? certificate = null)
    {
        address ??= IPAddress.Loopback;
        certificate ??= TestCertificates.Server("localhost", address.ToString());
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(address, 0, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(certificate);
            });
            kestrel.Limits.MinResponseDataRate = null; // a trickling answer is what some tests are about
        });
        var app = builder.Build();
        LoopbackServer? server = null;
        app.Run(context =>
        {
            Interlocked.Increment(ref server!._requests);
            return respond(context);
        });
        await app.StartAsync();
        var bound = app.Urls.Select(u => new Uri(u)).First();
        server = new LoopbackServer(app, new Uri($"https://{(address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString())}:{bound.Port}"));
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }
}
