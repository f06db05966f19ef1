using ExoAdmin.Sandbox.Data;
using ExoAdmin.Sandbox.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ExoAdmin.Sandbox.Identity;

/// <summary>Issues app-only access tokens like Entra ID's client-credentials grant.</summary>
internal sealed class AccessTokenIssuer(TokenSigningKey signingKey, SandboxUrls urls, SandboxOptions options)
{
    /// <summary>The application role Exchange Online requires of app-only callers.</summary>
    public const string ManageAsAppRole = "Exchange.ManageAsApp";

    private static readonly JsonWebTokenHandler Handler = new();

    public TimeSpan Lifetime => options.TokenLifetime;

    /// <param name="tenant">The tenant the app signed in to.</param>
    /// <param name="audience">The resource: the requested scope without "/.default".</param>
    public string Issue(SandboxTenant tenant, string audience)
    {
        var now = DateTime.UtcNow;
        var servicePrincipal = tenant.App.ServicePrincipalId.ToString();
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = urls.Issuer(tenant.TenantId),
            Audience = audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + Lifetime,
            SigningCredentials = signingKey.Credentials,
            Claims = new Dictionary<string, object>
            {
                ["tid"] = tenant.TenantId.ToString(),
                ["appid"] = tenant.App.AppId.ToString(),
                ["oid"] = servicePrincipal,
                ["sub"] = servicePrincipal,
                ["idtyp"] = "app",
                ["roles"] = new[] { ManageAsAppRole },
            },
        });
    }
}
