using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace ExoAdmin.Sandbox.Tests.Infrastructure;

/// <summary>
/// HttpClients that trust the sandbox CA and nothing else: the server certificate must chain to that CA
/// (custom root trust) and match the host name. This is validation, not a bypass.
/// </summary>
internal static class TrustedHttp
{
    public static HttpClient CreateClient(X509Certificate2 authority, Version? version = null)
    {
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false }; // redirects are what sign-in tests look at
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => ChainsTo(authority, certificate, errors);
        var client = new HttpClient(handler);
        if (version is not null)
        {
            client.DefaultRequestVersion = version;
            client.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        }

        return client;
    }

    public static bool ChainsTo(X509Certificate2 authority, X509Certificate? certificate, SslPolicyErrors errors)
    {
        // Only an untrusted root may be overridden here; a wrong name or a missing certificate may not.
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }
}
