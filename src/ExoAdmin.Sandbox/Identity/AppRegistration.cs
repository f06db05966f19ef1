using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExoAdmin.Sandbox.Data;

namespace ExoAdmin.Sandbox.Identity;

/// <summary>
/// The one app registration each tenant has: a stable app id and a client certificate made for this run.
/// The certificate with its key is handed to clients as a password-protected PFX; the sandbox keeps only
/// the public part, to verify client assertions.
/// </summary>
internal sealed class AppRegistration : IDisposable
{
    private const string PasswordAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    private AppRegistration(Guid appId, Guid servicePrincipalId, X509Certificate2 certificate, string certificatePath, string certificatePassword)
    {
        AppId = appId;
        ServicePrincipalId = servicePrincipalId;
        Certificate = certificate;
        CertificatePath = certificatePath;
        CertificatePassword = certificatePassword;
    }

    public Guid AppId { get; }

    /// <summary>The app's service principal in the tenant: the oid of its tokens.</summary>
    public Guid ServicePrincipalId { get; }

    /// <summary>The registered certificate, public part only.</summary>
    public X509Certificate2 Certificate { get; }

    public string CertificatePath { get; }

    public string CertificatePassword { get; }

    /// <summary>Registers the tenant's app with a new certificate on <paramref name="keys"/>' key for it, written to <paramref name="directory"/>.</summary>
    public static AppRegistration Create(Tenant tenant, string directory, SandboxKeys keys)
    {
        using var key = keys.Get("app-" + tenant.Domain);
        var request = new CertificateRequest($"CN=ExoAdmin Sandbox App ({tenant.Domain})", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(2));

        var password = RandomNumberGenerator.GetString(PasswordAlphabet, 24);
        var path = Path.Combine(directory, tenant.Domain + ".pfx");
        File.WriteAllBytes(path, certificate.ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, password));

        return new AppRegistration(
            NameBasedGuid.Create("app:" + tenant.Domain),
            NameBasedGuid.Create("service-principal:" + tenant.Domain),
            X509CertificateLoader.LoadCertificate(certificate.RawData),
            path,
            password);
    }

    public void Dispose() => Certificate.Dispose();
}
