using System;
using System.Net;
using System.Net.Http;
using System.Security.Cryptography.X509Certificates;
using ExoAdmin.Engine.Http.Transport;

namespace ExoAdmin.Engine.Transport;

/// <summary>SocketsHttpHandler, with the sandbox CA as the only trusted root when one is given.</summary>
internal sealed class SocketsTransportFactory : ITransportFactory
{
    public HttpMessageHandler Create(X509Certificate2Collection? trustedRoots)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            UseCookies = false,
            // A host that never answers the SYN fails in bounded time (and, as nothing was sent, is retried).
            ConnectTimeout = TimeSpan.FromSeconds(30),
            // DNS changes (a service moving) are seen by long-lived connections.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };

        if (trustedRoots is not null)
        {
            var policy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                // A throwaway CA on loopback publishes no revocation list; the name and the chain are still checked.
                RevocationMode = X509RevocationMode.NoCheck,
            };
            policy.CustomTrustStore.AddRange(trustedRoots);
            handler.SslOptions.CertificateChainPolicy = policy;
        }

        return handler;
    }
}
