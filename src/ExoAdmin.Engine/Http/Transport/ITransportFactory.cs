using System.Net.Http;
using System.Security.Cryptography.X509Certificates;

namespace ExoAdmin.Engine.Http.Transport;

/// <summary>
/// Makes the handler at the bottom of a connection's pipeline, the one that opens sockets. Redirects are never
/// followed there (every hop must stay on the connection's origin, which the pipeline checks) and no cookies are kept.
/// </summary>
internal interface ITransportFactory
{
    /// <param name="trustedRoots">
    /// When given, the server's certificate chain must end at one of these CAs and at nothing else (custom root trust,
    /// the host name still checked). Null: the platform's trust store, as for any HTTPS client.
    /// </param>
    HttpMessageHandler Create(X509Certificate2Collection? trustedRoots);
}
