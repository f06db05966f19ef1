using ExoAdmin.Sandbox.Data;
using ExoAdmin.Sandbox.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ExoAdmin.Sandbox.Identity;

/// <summary>
/// Issues access tokens like Entra ID: app-only (client credentials, managed identity) and delegated (user) tokens.
/// The issuer is on the name the client asked for its token (127.0.0.1, or login.microsoftonline.com).
/// </summary>
internal sealed class AccessTokenIssuer(TokenSigningKey signingKey, SandboxUrls urls, Control.ServiceBehaviour behaviour, IHttpContextAccessor http, TimeProvider time)
{
    /// <summary>The application role Exchange Online requires of app-only callers.</summary>
    public const string ManageAsAppRole = "Exchange.ManageAsApp";

    /// <summary>The delegated permissions Exchange's PowerShell client is granted (the scp claim).</summary>
    public const string DelegatedScopes = "AdminApi.AccessAsUser.All FfoPowerShell.AccessAsUser.All RemotePowerShell.AccessAsUser.All";

    private static readonly JsonWebTokenHandler Handler = new();

    public TimeSpan Lifetime => behaviour.Current.TokenLifetime;

    /// <param name="tenant">The tenant the app signed in to.</param>
    /// <param name="audience">The resource: the requested scope without "/.default".</param>
    public string Issue(SandboxTenant tenant, string audience) =>
        IssueForApp(tenant, audience, tenant.App.AppId, tenant.App.ServicePrincipalId);

    /// <summary>An app-only token for an app or managed identity (its client id and service principal).</summary>
    public string IssueForApp(SandboxTenant tenant, string audience, Guid clientId, Guid servicePrincipalId) =>
        Create(tenant, audience, new Dictionary<string, object>
        {
            ["tid"] = tenant.TenantId.ToString(),
            ["appid"] = clientId.ToString(),
            ["oid"] = servicePrincipalId.ToString(),
            ["sub"] = servicePrincipalId.ToString(),
            ["idtyp"] = "app",
            ["roles"] = new[] { ManageAsAppRole },
        });

    /// <summary>
    /// A delegated token for a user acting in <paramref name="resourceTenant"/> (their own, or a partner's customer):
    /// tid is the resource tenant, wids the user's directory roles.
    /// </summary>
    public string IssueForUser(SandboxTenant resourceTenant, DirectoryUser user, string audience, string clientId) =>
        Create(resourceTenant, audience, new Dictionary<string, object>
        {
            ["tid"] = resourceTenant.TenantId.ToString(),
            ["appid"] = clientId,
            ["oid"] = user.ObjectId.ToString(),
            ["sub"] = user.ObjectId.ToString(),
            ["upn"] = user.UserPrincipalName,
            ["unique_name"] = user.UserPrincipalName,
            ["name"] = user.DisplayName,
            ["idtyp"] = "user",
            ["scp"] = DelegatedScopes,
            ["amr"] = user.RequiresMfa ? new[] { "pwd", "mfa" } : new[] { "pwd" },
            ["wids"] = user.Roles.ToArray(),
            ["home_tid"] = user.Home.TenantId.ToString(),
        });

    /// <summary>The OpenID Connect id token MSAL builds its account from.</summary>
    public string IssueIdToken(SandboxTenant resourceTenant, DirectoryUser user, string clientId, string? nonce)
    {
        var claims = new Dictionary<string, object>
        {
            ["tid"] = resourceTenant.TenantId.ToString(),
            ["oid"] = user.ObjectId.ToString(),
            ["sub"] = user.ObjectId.ToString(),
            ["preferred_username"] = user.UserPrincipalName,
            ["name"] = user.DisplayName,
            ["ver"] = "2.0",
        };
        if (nonce is not null)
        {
            claims["nonce"] = nonce;
        }

        return Create(resourceTenant, clientId, claims);
    }

    private string Create(SandboxTenant tenant, string audience, Dictionary<string, object> claims)
    {
        var now = time.GetUtcNow().UtcDateTime;   // the sandbox's clock, which a test may have moved
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = SandboxUrls.Issuer(urls.AuthorityRoot(http.HttpContext), tenant.TenantId),
            Audience = audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + Lifetime,
            SigningCredentials = signingKey.Credentials,
            Claims = claims,
        });
    }
}
