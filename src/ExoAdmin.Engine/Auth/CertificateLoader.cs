using System;
using System.IO;
using System.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExoAdmin.Engine.Errors;

namespace ExoAdmin.Engine.Auth;

/// <summary>Turns what the admin passed (a file or an object) into a certificate that can sign.</summary>
public static class CertificateLoader
{
    // EphemeralKeySet (not in netstandard2.0's enum) keeps the private key in memory only, so
    // nothing is written to a key store. macOS does not support it.
    private static readonly X509KeyStorageFlags KeyStorage =
        System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.OSX)
            ? X509KeyStorageFlags.DefaultKeySet
            : (X509KeyStorageFlags)32;

    public static X509Certificate2 FromFile(string path, SecureString? password)
    {
        if (Directory.Exists(path))
        {
            throw Failures.InvalidArgument($"'{path}' is a folder; -CertificateFilePath names the certificate's .pfx file.", "CertificateUnreadable", path);
        }

        if (!File.Exists(path))
        {
            throw new ExoException($"The certificate file '{path}' does not exist.", "CertificateFileNotFound", System.Management.Automation.ErrorCategory.ObjectNotFound, path);
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new ExoException($"The certificate file '{path}' cannot be read: you do not have permission to read it.", "CertificateUnreadable", System.Management.Automation.ErrorCategory.PermissionDenied, path, ex);
        }
        catch (IOException ex)
        {
            throw new ExoException($"The certificate file '{path}' cannot be read: {ex.Message}", "CertificateUnreadable", System.Management.Automation.ErrorCategory.ReadError, path, ex);
        }

        try
        {
            return RequirePrivateKey(new X509Certificate2(bytes, password, KeyStorage), path);
        }
        catch (CryptographicException ex)
        {
            // The file's own structure says which: a PKCS#12 file that does not open needs a password, or another one.
            if (!IsPkcs12(bytes))
            {
                throw Failures.InvalidArgument($"The certificate file '{path}' could not be opened: it is not a PKCS#12 (.pfx) file with a private key.", "CertificateUnreadable", path, ex);
            }

            throw password is null || password.Length == 0
                ? Failures.InvalidArgument($"The certificate file '{path}' is protected by a password: give it with -CertificatePassword.", "CertificatePasswordMissing", path, ex)
                : Failures.InvalidArgument($"The certificate file '{path}' could not be opened: the password is wrong.", "CertificatePasswordWrong", path, ex);
        }
        finally
        {
            Array.Clear(bytes, 0, bytes.Length);
        }
    }

    private static bool IsPkcs12(byte[] bytes)
    {
        try
        {
            return X509Certificate2.GetCertContentType(bytes) == X509ContentType.Pkcs12;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>-CertificateThumbprint: the certificate with its private key from CurrentUser\My (on Linux, .NET's own store under ~/.dotnet/corefx).</summary>
    public static X509Certificate2 FromStore(string thumbprint)
    {
        var wanted = thumbprint.Replace(" ", string.Empty).Replace(":", string.Empty).ToUpperInvariant();
        using var store = new X509Store(StoreName.My, StoreLocation.CurrentUser);
        store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
        var found = store.Certificates.Find(X509FindType.FindByThumbprint, wanted, validOnly: false);
        if (found.Count == 0)
        {
            throw new ExoException(
                $"No certificate with thumbprint {wanted} is in the CurrentUser\\My certificate store.",
                "CertificateNotFound", System.Management.Automation.ErrorCategory.ObjectNotFound, thumbprint);
        }

        return RequirePrivateKey(found[0], thumbprint);
    }

    public static X509Certificate2 RequirePrivateKey(X509Certificate2 certificate, object? target = null)
    {
        if (!certificate.HasPrivateKey)
        {
            throw Failures.InvalidArgument(
                $"The certificate '{certificate.Subject}' ({certificate.Thumbprint}) has no private key, so it cannot sign in.",
                "CertificateWithoutPrivateKey", target ?? certificate.Thumbprint);
        }

        return certificate;
    }
}
