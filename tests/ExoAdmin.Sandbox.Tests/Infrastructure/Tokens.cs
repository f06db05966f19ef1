using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ExoAdmin.Sandbox.Tests.Infrastructure;

/// <summary>Builds the tokens tests send: client assertions signed with a certificate, and access tokens of any shape.</summary>
internal static class Tokens
{
    private static readonly JsonWebTokenHandler Handler = new();

    /// <summary>A client assertion as MSAL makes it: iss = sub = client id, aud = the token endpoint, RS256 with x5t.</summary>
    public static string ClientAssertion(X509Certificate2 certificate, string clientId, string audience, DateTime? notBefore = null, DateTime? expires = null) =>
        AccessToken(new X509SigningCredentials(certificate), clientId, audience,
            new Dictionary<string, object> { ["sub"] = clientId, ["jti"] = Guid.NewGuid().ToString() },
            notBefore, expires ?? (notBefore ?? DateTime.UtcNow).AddMinutes(10));

    /// <summary>A JWT signed with <paramref name="credentials"/>, with exactly the given claims; valid for an hour unless told otherwise.</summary>
    /// <param name="issuedAt">When it says it was issued, if not at <paramref name="notBefore"/> (a token "issued" after a revocation).</param>
    public static string AccessToken(
        SigningCredentials credentials, string issuer, string audience, IDictionary<string, object> claims, DateTime? notBefore = null, DateTime? expires = null, DateTime? issuedAt = null)
    {
        var start = notBefore ?? DateTime.UtcNow;
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = issuedAt ?? start,
            NotBefore = start,
            Expires = expires ?? start.AddHours(1),
            Claims = claims,
            SigningCredentials = credentials,
        });
    }

    /// <summary>Credentials of a key the sandbox has never seen.</summary>
    public static SigningCredentials ForeignKey() =>
        new(new RsaSecurityKey(RSA.Create(2048)) { KeyId = "forged" }, SecurityAlgorithms.RsaSha256);

    /// <summary>A throwaway self-signed certificate with its key, not registered anywhere.</summary>
    public static X509Certificate2 UnregisteredCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=Not registered", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}
