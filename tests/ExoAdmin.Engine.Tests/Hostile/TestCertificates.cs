using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExoAdmin.Engine.Http.Transport;

namespace ExoAdmin.Engine.Tests.Hostile;

/// <summary>A throwaway CA for one test run (never in any trust store) and server certificates it signs.</summary>
internal static class TestCertificates
{
    private static readonly Lazy<X509Certificate2> LazyAuthority = new(CreateAuthority);
    private static readonly Lazy<string> LazyAuthorityFile = new(() =>
    {
        var path = Path.Combine(Path.GetTempPath(), $"exoadmin-test-ca-{Environment.ProcessId}.pem");
        File.WriteAllText(path, Authority.ExportCertificatePem());
        return path;
    });

    // One key under every server certificate of the run: the certificates differ by their names, and making a 2048-bit
    // key for each loopback server cost a sixth of a second of CPU each.
    private static readonly Lazy<RSA> ServerKey = new(() => RSA.Create(2048));

    public static X509Certificate2 Authority => LazyAuthority.Value;

    /// <summary>The CA's certificate as PEM in a temporary file, as a sandbox writes its ca.pem.</summary>
    public static string AuthorityFile => LazyAuthorityFile.Value;

    /// <summary>The trust EXOADMIN_SANDBOX_CA_FILE would give for this CA.</summary>
    public static SandboxTrust Trust => SandboxTrust.Load(AuthorityFile);

    /// <summary>A server certificate for the given names (DNS names or IP addresses), signed by the CA.</summary>
    public static X509Certificate2 Server(params string[] names)
    {
        var key = ServerKey.Value;
        var request = new CertificateRequest("CN=" + names[0], key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            if (IPAddress.TryParse(name, out var address))
            {
                san.AddIpAddress(address);
            }
            else
            {
                san.AddDnsName(name);
            }
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        using var signed = request.Create(Authority, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1), serial);
        // Kestrel needs the key in a form the platform's TLS can use: a PFX round trip gives that everywhere.
        return X509CertificateLoader.LoadPkcs12(signed.CopyWithPrivateKey(key).Export(X509ContentType.Pfx), null);
    }

    /// <summary>A certificate that is not a CA (an end-entity certificate), as PEM in a temporary file.</summary>
    public static string NonAuthorityFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"exoadmin-test-leaf-{Guid.NewGuid():N}.pem");
        File.WriteAllText(path, Server("leaf.test").ExportCertificatePem());
        return path;
    }

    private static X509Certificate2 CreateAuthority()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=ExoAdmin engine tests CA " + Guid.NewGuid().ToString("N")[..8], key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var self = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(2));
        return X509CertificateLoader.LoadPkcs12(self.Export(X509ContentType.Pfx), null);
    }
}
