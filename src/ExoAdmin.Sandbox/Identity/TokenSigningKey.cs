using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace ExoAdmin.Sandbox.Identity;

/// <summary>The RSA key the sandbox signs access tokens with, published through the JWKS endpoint.</summary>
internal sealed class TokenSigningKey : IDisposable
{
    private readonly RSA _rsa;

    /// <param name="rsa">The key (<see cref="SandboxKeys"/>), owned from here on.</param>
    public TokenSigningKey(RSA rsa)
    {
        _rsa = rsa;
        var publicKey = new RsaSecurityKey(_rsa.ExportParameters(includePrivateParameters: false));
        KeyId = Base64UrlEncoder.Encode(publicKey.ComputeJwkThumbprint());
        publicKey.KeyId = KeyId;
        PublicKey = publicKey;
        // Its own provider cache: IdentityModel's shared one is keyed by kid, and sandboxes sharing kept keys (--ca-dir)
        // in one process (the tests') would otherwise sign with a provider over another one's disposed key.
        Credentials = new SigningCredentials(new RsaSecurityKey(_rsa) { KeyId = KeyId, CryptoProviderFactory = new CryptoProviderFactory() }, SecurityAlgorithms.RsaSha256);
        PublicJwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(publicKey);
    }

    /// <summary>The kid in token headers and in the JWKS (the key's RFC 7638 thumbprint).</summary>
    public string KeyId { get; }

    /// <summary>What validators check signatures with.</summary>
    public SecurityKey PublicKey { get; }

    public SigningCredentials Credentials { get; }

    public JsonWebKey PublicJwk { get; }

    public void Dispose() => _rsa.Dispose();
}
