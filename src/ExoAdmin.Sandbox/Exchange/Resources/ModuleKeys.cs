using System.Security.Cryptography;
using System.Text;

namespace ExoAdmin.Sandbox.Exchange.Resources;

/// <summary>
/// The RSA key pair SecureString parameters are encrypted with (§5.2, §18.4): new each run, its public half put
/// in the module file as &lt;RSAKeyValue&gt; XML. Like Microsoft's rotated key, the one before the current one is
/// still accepted, so a client that connected before a rotation keeps working.
/// </summary>
internal sealed class ModuleKeys
{
    private const int KeySize = 2048;

    // Swapped whole on rotation, so a decryption sees one consistent pair without a lock.
    private (RSA Current, RSA? Previous) _keys;

    /// <param name="current">The key the run starts with (<see cref="Identity.SandboxKeys"/>), owned from here on.</param>
    public ModuleKeys(RSA current) => _keys = (current, null);

    public string PublicKeyXml => _keys.Current.ToXmlString(includePrivateParameters: false);

    /// <summary>A new current key; the current one becomes the previous one, the previous one is no longer accepted.</summary>
    public void Rotate() => _keys = (RSA.Create(KeySize), _keys.Current);

    /// <summary>The plaintext of a Protect-Value result (PKCS#1 v1.5, UTF-8, base64), with the current or the previous key.</summary>
    /// <returns>False when the value is not base64 or neither key decrypts it.</returns>
    public bool TryDecrypt(string protectedValue, out string plaintext)
    {
        plaintext = string.Empty;
        var cipher = new byte[protectedValue.Length];
        if (!Convert.TryFromBase64String(protectedValue, cipher, out var length))
        {
            return false;
        }

        var (current, previous) = _keys;
        foreach (var key in previous is null ? [current] : new[] { current, previous })
        {
            try
            {
                var bytes = key.Decrypt(cipher.AsSpan(0, length).ToArray(), RSAEncryptionPadding.Pkcs1);
                plaintext = Encoding.UTF8.GetString(bytes);
                CryptographicOperations.ZeroMemory(bytes);
                return true;
            }
            catch (CryptographicException)
            {
                // Not this key's: try the other one.
            }
        }

        return false;
    }
}
