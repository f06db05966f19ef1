using System;
using System.Net;
using System.Net.Http;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using ExoAdmin.Engine.Errors;

namespace ExoAdmin.Engine.Http.Transport;

/// <summary>
/// The transport every connection's requests leave by: the REST pipeline, MSAL's token requests and the managed-identity
/// credential's all come from here, so a sandbox CA given in EXOADMIN_SANDBOX_CA_FILE applies to all three alike.
/// </summary>
/// <remarks>
/// Custom root trust needs <c>SocketsHttpHandler.SslOptions.CertificateChainPolicy</c> (.NET 7 and later), and the engine
/// is netstandard2.0 so that Windows PowerShell 5.1 loads the same build. On PowerShell 7 a small net8.0 assembly beside
/// the engine (ExoAdmin.Engine.Transport) makes the handler; the engine looks it up once by name, as the cmdlet assembly
/// looks up the loader. Where it is absent (Windows PowerShell), HttpClientHandler serves, and a sandbox CA is refused
/// with an error that says so. No certificate-validation callback exists anywhere.
/// </remarks>
internal static class HttpTransport
{
    private const string ModernFactoryType = "ExoAdmin.Engine.Transport.SocketsTransportFactory, ExoAdmin.Engine.Transport";

    private static readonly Lazy<ITransportFactory?> Modern = new(() =>
        Type.GetType(ModernFactoryType, throwOnError: false) is { } type ? (ITransportFactory?)Activator.CreateInstance(type) : null);

    /// <summary>True where a sandbox CA can be trusted (PowerShell 7).</summary>
    public static bool SupportsCustomTrust => Modern.Value is not null;

    /// <summary>
    /// True where a body's reads stop when their token is cancelled (SocketsHttpHandler, PowerShell 7). Elsewhere a read
    /// is stopped only by closing its stream, which is why Windows PowerShell reads bodies uncompressed.
    /// </summary>
    public static bool ReadsObserveCancellation => Modern.Value is not null;

    /// <summary>
    /// The handler for one connection (or its token provider). With <paramref name="trust"/>, loopback hosts (localhost,
    /// 127.0.0.0/8, ::1) are validated against the sandbox CA alone and every other host as usual.
    /// </summary>
    public static HttpMessageHandler Create(SandboxTrust? trust) => Create(trust, Modern.Value);

    /// <param name="modern">The .NET 8+ factory; null where it is absent (Windows PowerShell).</param>
    internal static HttpMessageHandler Create(SandboxTrust? trust, ITransportFactory? modern)
    {
        var standard = (modern ?? NetStandardTransportFactory.Instance).Create(null);
        if (trust is null)
        {
            return standard;
        }

        if (modern is null)
        {
            standard.Dispose();
            throw Failures.InvalidArgument(
                $"{SandboxTrust.EnvironmentVariable} is set, but trusting a sandbox CA for one process needs PowerShell 7; Windows PowerShell 5.1 cannot do it without disabling certificate checks, which ExoAdmin never does. Trust the CA in the Windows certificate store instead (Import-Certificate -CertStoreLocation Cert:\\CurrentUser\\Root), or use PowerShell 7.",
                "SandboxTrustNotSupported", SandboxTrust.EnvironmentVariable);
        }

        return new LoopbackRouter(standard, modern.Create(trust.Roots));
    }

    /// <summary>Sends loopback requests through the handler that trusts the sandbox CA, and all others through the standard one.</summary>
    private sealed class LoopbackRouter : HttpMessageHandler
    {
        private readonly HttpMessageInvoker _standard;
        private readonly HttpMessageInvoker _loopback;

        public LoopbackRouter(HttpMessageHandler standard, HttpMessageHandler loopback)
        {
            _standard = new HttpMessageInvoker(standard, disposeHandler: true);
            _loopback = new HttpMessageInvoker(loopback, disposeHandler: true);
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            (request.RequestUri is { IsLoopback: true } ? _loopback : _standard).SendAsync(request, cancellationToken);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _standard.Dispose();
                _loopback.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>
    /// Windows PowerShell 5.1: HttpClientHandler, the platform's trust only, and no compression: its reads ignore
    /// cancellation, so a stalled body is stopped by closing its stream, and closing a decompressing stream in the
    /// middle of an inflate frees native state under the read.
    /// </summary>
    private sealed class NetStandardTransportFactory : ITransportFactory
    {
        public static readonly NetStandardTransportFactory Instance = new();

        public HttpMessageHandler Create(X509Certificate2Collection? trustedRoots) => new HttpClientHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
        };
    }
}
