using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using ExoAdmin.Engine.Errors;

namespace ExoAdmin.Engine.Http.Transport;

/// <summary>
/// EXOADMIN_SANDBOX_CA_FILE: the PEM certificate of a sandbox's CA, trusted for loopback hosts only by connections made
/// while it is set (it is read at connect, so <c>$env:EXOADMIN_SANDBOX_CA_FILE = '…'</c> in a running session works).
/// Nothing is added to any trust store, and hosts that are not loopback keep the platform's trust.
/// </summary>
internal sealed class SandboxTrust
{
    public const string EnvironmentVariable = "EXOADMIN_SANDBOX_CA_FILE";

    private static readonly Regex PemCertificate = new(
        "-----BEGIN CERTIFICATE-----(?<body>[A-Za-z0-9+/=\\s]+?)-----END CERTIFICATE-----", RegexOptions.CultureInvariant);

    private SandboxTrust(string path, X509Certificate2Collection roots)
    {
        Path = path;
        Roots = roots;
    }

    public string Path { get; }

    public X509Certificate2Collection Roots { get; }

    /// <summary>The trust the environment asks for; null when the variable is not set.</summary>
    public static SandboxTrust? FromEnvironment() => Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } path ? Load(path) : null;

    /// <summary>Reads the CA file; anything but one or more PEM CA certificates is an error naming the file.</summary>
    public static SandboxTrust Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw Invalid(path, $"it could not be read ({ex.Message.TrimEnd('.')})", ex);
        }

        var blocks = PemCertificate.Matches(text).Cast<Match>().ToArray();
        if (blocks.Length == 0)
        {
            throw Invalid(path, "it holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }

        var roots = new X509Certificate2Collection();
        foreach (var block in blocks)
        {
            X509Certificate2 certificate;
            try
            {
                certificate = new X509Certificate2(Convert.FromBase64String(block.Groups["body"].Value));
            }
            catch (Exception ex) when (ex is FormatException or CryptographicException)
            {
                throw Invalid(path, "a certificate in it does not decode", ex);
            }

            if (!IsCertificateAuthority(certificate))
            {
                throw Invalid(path, $"'{certificate.Subject}' in it is not a CA certificate (its basic constraints do not let it sign certificates)");
            }

            roots.Add(certificate);
        }

        return new SandboxTrust(System.IO.Path.GetFullPath(path), roots);
    }

    /// <summary>What -Verbose says at connect.</summary>
    public string Describe() => string.Format(
        System.Globalization.CultureInfo.InvariantCulture,
        "{0}: connections to loopback hosts (localhost, 127.0.0.0/8, ::1) trust only the CA {1} from '{2}'; other hosts keep the system's trust.",
        EnvironmentVariable,
        string.Join(", ", Roots.Cast<X509Certificate2>().Select(c => $"'{c.Subject}' ({c.Thumbprint})")),
        Path);

    private static bool IsCertificateAuthority(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509BasicConstraintsExtension>().Any(constraints => constraints.CertificateAuthority);

    private static ExoException Invalid(string path, string why, Exception? inner = null) => Failures.InvalidArgument(
        $"{EnvironmentVariable} names '{path}', but {why}. Set it to the sandbox's CA certificate (the ca.pem the sandbox prints), or remove the variable.",
        "SandboxCaFileInvalid", path, inner);
}
