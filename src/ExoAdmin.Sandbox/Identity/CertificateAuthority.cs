using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ExoAdmin.Sandbox.Identity;

/// <summary>
/// The sandbox's own certificate authority. Clients trust it (ca.pem) instead of disabling TLS validation;
/// it signs a fresh server certificate for 127.0.0.1 and localhost (and login.microsoftonline.com with
/// --instance-discovery) on every start.
/// </summary>
internal sealed class CertificateAuthority : IDisposable
{
    public const string CertificateFileName = "ca.pem";
    public const string KeyFileName = "ca.key.pem";
    private const string LockFileName = "ca.lock";

    private CertificateAuthority(X509Certificate2 certificate, string certificatePath)
    {
        Certificate = certificate;
        CertificatePath = certificatePath;
    }

    /// <summary>The CA certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Where the CA certificate is written as PEM for clients to trust.</summary>
    public string CertificatePath { get; }

    /// <summary>
    /// Reuses the CA kept in <paramref name="directory"/> (ca.pem + ca.key.pem) or creates it there, so one
    /// trusted CA can serve many sandbox starts. A lock file keeps parallel starts from creating two.
    /// </summary>
    public static CertificateAuthority LoadOrCreate(string directory)
    {
        Directory.CreateDirectory(directory);
        var certificatePath = Path.Combine(directory, CertificateFileName);
        var keyPath = Path.Combine(directory, KeyFileName);
        using var directoryLock = AcquireLock(Path.Combine(directory, LockFileName));

        var hasCertificate = File.Exists(certificatePath);
        if (hasCertificate != File.Exists(keyPath))
        {
            throw new InvalidOperationException($"'{directory}' holds only one of {CertificateFileName} and {KeyFileName}; remove it or add the other.");
        }

        if (hasCertificate)
        {
            return new CertificateAuthority(X509Certificate2.CreateFromPemFile(certificatePath, keyPath), certificatePath);
        }

        var certificate = CreateCertificate();
        WritePrivateFile(keyPath, certificate.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        return new CertificateAuthority(certificate, certificatePath);
    }

    /// <summary>A CA for this run only: its certificate goes to <paramref name="directory"/>, its key nowhere.</summary>
    public static CertificateAuthority CreateForRun(string directory)
    {
        var certificatePath = Path.Combine(directory, CertificateFileName);
        var certificate = CreateCertificate();
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        return new CertificateAuthority(certificate, certificatePath);
    }

    /// <summary>A TLS server certificate for 127.0.0.1 and localhost, and any <paramref name="otherNames"/>, signed by this CA.</summary>
    /// <param name="key">The certificate's key (<see cref="SandboxKeys"/>): the certificate itself is new on every start.</param>
    /// <param name="otherNames">More DNS names the sandbox answers as (login.microsoftonline.com with --instance-discovery).</param>
    public X509Certificate2 IssueServerCertificate(RSA key, IReadOnlyCollection<string> otherNames)
    {
        var request = new CertificateRequest("CN=localhost, O=ExoAdmin Sandbox", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        foreach (var name in otherNames)
        {
            names.AddDnsName(name);
        }
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));

        var notBefore = DateTimeOffset.UtcNow.AddHours(-1);
        var notAfter = Min(DateTimeOffset.UtcNow.AddDays(397), new DateTimeOffset(Certificate.NotAfter.ToUniversalTime()));
        using var issued = request.Create(Certificate, notBefore, notAfter, NewSerialNumber());
        using var withKey = issued.CopyWithPrivateKey(key);

        // A PKCS#12 round trip gives a persisted key that every platform's TLS stack accepts.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    public void Dispose() => Certificate.Dispose();

    private static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var subject = $"CN=ExoAdmin Sandbox CA {Convert.ToHexString(RandomNumberGenerator.GetBytes(4))}, O=ExoAdmin Sandbox";
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));
    }

    private static byte[] NewSerialNumber()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // keep it positive
        return serial;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    /// <summary>Writes a new file that only its owner can read (on Unix; Windows gives a new file the folder's access).</summary>
    internal static void WritePrivateFile(string path, string content)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var writer = new StreamWriter(path, options);
        writer.Write(content);
    }

    /// <summary>An exclusive lock on a file, waited for while another process holds it.</summary>
    private static FileStream AcquireLock(string path)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(50);
            }
        }
    }
}
