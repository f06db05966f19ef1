using System;
using System.Runtime.InteropServices;
using System.Security;
using System.Security.Cryptography;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using ExoAdmin.Engine.Errors;

namespace ExoAdmin.Engine.Operations;

/// <summary>
/// The service's public key for SecureString parameters (§5.2, §18.4): RSA, PKCS#1 v1.5 padding, the UTF-8 plaintext,
/// sent base64. The service publishes it in its module file as <c>&lt;RSAKeyValue&gt;</c> XML and rotates it, so every
/// connection reads the key its own module file carries (the first <c>&lt;RSAKeyValue&gt;…&lt;/RSAKeyValue&gt;</c> in the psm1).
/// </summary>
public sealed class ParameterEncryptionKey
{
    private const string Start = "<RSAKeyValue>";
    private const string End = "</RSAKeyValue>";
    private readonly RSAParameters _key;

    private ParameterEncryptionKey(RSAParameters key) => _key = key;

    /// <summary>The key in a module file's text; null when it carries none.</summary>
    public static ParameterEncryptionKey? FromModuleText(string moduleText)
    {
        var start = moduleText.IndexOf(Start, StringComparison.Ordinal);
        var end = start < 0 ? -1 : moduleText.IndexOf(End, start, StringComparison.Ordinal);
        return end < 0 ? null : Parse(moduleText.Substring(start, end + End.Length - start));
    }

    /// <summary>Reads &lt;RSAKeyValue&gt;&lt;Modulus&gt;…&lt;/Modulus&gt;&lt;Exponent&gt;…&lt;/Exponent&gt;&lt;/RSAKeyValue&gt;.</summary>
    public static ParameterEncryptionKey Parse(string xml)
    {
        try
        {
            var element = XElement.Parse(xml);
            var modulus = element.Element("Modulus")?.Value;
            var exponent = element.Element("Exponent")?.Value;
            if (string.IsNullOrWhiteSpace(modulus) || string.IsNullOrWhiteSpace(exponent))
            {
                throw Failures.Protocol("The service's public key (<RSAKeyValue>) has no Modulus or Exponent.", "RSAKeyValue");
            }

            var key = new RSAParameters { Modulus = Convert.FromBase64String(modulus!.Trim()), Exponent = Convert.FromBase64String(exponent!.Trim()) };
            using (var rsa = RSA.Create())
            {
                rsa.ImportParameters(key); // refuses a malformed key now rather than on the first SecureString
            }

            return new ParameterEncryptionKey(key);
        }
        catch (Exception ex) when (ex is XmlException or FormatException or CryptographicException)
        {
            throw Failures.Protocol($"The service's public key (<RSAKeyValue>) cannot be read: {ex.Message}", "RSAKeyValue", ex);
        }
    }

    /// <summary>
    /// Encrypts a SecureString's text for the wire. The plaintext exists only in buffers this method clears: never as a
    /// managed string, never in a trace or an error.
    /// </summary>
    public string Encrypt(SecureString secret)
    {
        var chars = new char[secret.Length];
        byte[]? plain = null;
        var pointer = IntPtr.Zero;
        try
        {
            pointer = Marshal.SecureStringToGlobalAllocUnicode(secret);
            Marshal.Copy(pointer, chars, 0, chars.Length);
            plain = Encoding.UTF8.GetBytes(chars);
            using var rsa = RSA.Create();
            rsa.ImportParameters(_key);
            return Convert.ToBase64String(rsa.Encrypt(plain, RSAEncryptionPadding.Pkcs1));
        }
        finally
        {
            if (pointer != IntPtr.Zero)
            {
                Marshal.ZeroFreeGlobalAllocUnicode(pointer);
            }

            Array.Clear(chars, 0, chars.Length);
            if (plain is not null)
            {
                Array.Clear(plain, 0, plain.Length);
            }
        }
    }
}
