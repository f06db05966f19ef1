using System.Collections.Concurrent;
using ExoAdmin.Sandbox.Data;
using ExoAdmin.Sandbox.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ExoAdmin.Sandbox.Identity;

/// <summary>Why a bearer token was refused, in the terms of Exchange's x-ms-diagnostics header.</summary>
/// <param name="DiagnosticCode">2000002 for an expired token (clients then fetch a new one), else 2000001.</param>
/// <param name="Reason">A fixed sentence; never includes the token.</param>
/// <param name="Claims">A claims challenge (JSON) the client must satisfy with a new token, or null.</param>
internal sealed record TokenRejection(int DiagnosticCode, string Reason, string? Claims = null)
{
    public const int InvalidToken = 2000001;
    public const int ExpiredToken = 2000002;
}

/// <summary>How <see cref="AccessTokenValidator.Revoke"/> refuses the tokens it revokes.</summary>
internal enum RevocationKind
{
    Expired,
    ClaimsChallenge,
}

/// <summary>
/// Validates the bearer token of an Exchange request as the service does: the sandbox's signature, a known
/// issuer, the listener's own URI as audience (Exchange, or the compliance endpoint), lifetime with little clock
/// skew, the tenant of the URL, and the caller's right: the Exchange.ManageAsApp role for apps, an Exchange (or
/// Global, or Compliance) administrator directory role (wids) for users. With --claims-challenge-every N every Nth
/// accepted request is instead refused with a continuous-access-evaluation claims challenge, which only a token
/// issued afterwards satisfies.
/// </summary>
internal sealed class AccessTokenValidator(
    TokenSigningKey signingKey, SandboxUrls urls, TenantStore tenants, Control.ServiceBehaviour behaviour, IHttpContextAccessor http, TimeProvider time)
    : Control.IResettable
{
    private static readonly JsonWebTokenHandler Handler = new();
    private readonly ConcurrentDictionary<Guid, (long IssuedBefore, TokenRejection Rejection)> _revoked = new();
    private long _accepted;
    private long _claimsNotBefore;

    /// <param name="authorization">The Authorization header.</param>
    /// <param name="urlTenant">The tenant the URL names, or null when it names none.</param>
    /// <returns>Null when the token is accepted.</returns>
    public async Task<TokenRejection?> ValidateAsync(string? authorization, SandboxTenant? urlTenant)
    {
        const string scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) || authorization.Length == scheme.Length)
        {
            return Invalid("The request carries no bearer token.");
        }

        var result = await Handler.ValidateTokenAsync(authorization[scheme.Length..].Trim(), Parameters(urls.AudienceFor(http.HttpContext)));
        if (!result.IsValid)
        {
            return Describe(result.Exception);
        }

        var token = (JsonWebToken)result.SecurityToken;
        if (urlTenant is null)
        {
            return Invalid("The tenant named in the request URL is not known.");
        }

        if (!token.TryGetPayloadValue<string>("tid", out var tid) || !Guid.TryParse(tid, out var tenantId) || tenantId != urlTenant.TenantId)
        {
            return Invalid("The token was not issued for the tenant named in the request URL.");
        }

        if (!urls.Issuers(tenantId).Contains(token.Issuer, StringComparer.Ordinal))
        {
            return Invalid("The token issuer does not match the token tenant.");
        }

        var isUser = token.TryGetPayloadValue<string>("idtyp", out var idtyp) && idtyp == "user";
        if (isUser)
        {
            if (!token.Claims.Any(c => c.Type == "wids" && DirectoryRoles.ExchangeAdminRoles.Contains(c.Value)))
            {
                return Invalid("The user is not assigned an Exchange Online administrator role (Exchange Administrator or Global Administrator) in this organization.");
            }
        }
        else if (!token.Claims.Any(c => c.Type == "roles" && c.Value == AccessTokenIssuer.ManageAsAppRole))
        {
            return Invalid($"The token does not grant the {AccessTokenIssuer.ManageAsAppRole} role.");
        }

        if (_revoked.TryGetValue(tenantId, out var revoked) && new DateTimeOffset(token.IssuedAt).ToUnixTimeSeconds() < revoked.IssuedBefore)
        {
            return revoked.Rejection;
        }

        return ClaimsChallenge(token);
    }

    /// <summary>
    /// From now on the tenant's tokens issued before this second are refused as <paramref name="kind"/> says: as
    /// expired (2000002), or with a claims challenge only a newer token satisfies. This is what an injected
    /// expired-token or claims-challenge fault does, so a client that resends the same token is refused again,
    /// as the service would refuse it. Returns the refusal to send now.
    /// </summary>
    public TokenRejection Revoke(SandboxTenant tenant, RevocationKind kind)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var rejection = kind == RevocationKind.Expired
            ? new TokenRejection(TokenRejection.ExpiredToken, "The token has expired.")
            : ClaimsRejection(now);
        _revoked[tenant.TenantId] = (now, rejection);
        return rejection;
    }

    /// <summary>The sandbox reset: no tenant's tokens revoked, and claims challenges counted from zero again.</summary>
    public void Reset()
    {
        _revoked.Clear();
        Interlocked.Exchange(ref _accepted, 0);
        Interlocked.Exchange(ref _claimsNotBefore, 0);
    }

    /// <summary>
    /// Continuous access evaluation: after a challenge at time T, tokens issued before T are refused with
    /// claims {"access_token":{"nbf":{"essential":true,"value":"T"}}}.
    /// </summary>
    private TokenRejection? ClaimsChallenge(JsonWebToken token)
    {
        if (behaviour.Current.ClaimsChallengeEvery is not { } every)
        {
            return null;
        }

        var issuedAt = new DateTimeOffset(token.IssuedAt).ToUnixTimeSeconds();
        var notBefore = Interlocked.Read(ref _claimsNotBefore);
        if (notBefore == 0 || issuedAt >= notBefore)
        {
            if (Interlocked.Increment(ref _accepted) % every != 0)
            {
                return null;
            }

            notBefore = time.GetUtcNow().ToUnixTimeSeconds();
            Interlocked.Exchange(ref _claimsNotBefore, notBefore);
        }

        return ClaimsRejection(notBefore);
    }

    private static TokenRejection ClaimsRejection(long notBefore)
    {
        var claims = $"{{\"access_token\":{{\"nbf\":{{\"essential\":true,\"value\":\"{notBefore}\"}}}}}}";
        return new TokenRejection(TokenRejection.InvalidToken, "The token was issued before a change that requires signing in again.", claims);
    }

    private TokenValidationParameters Parameters(string audience) => new()
    {
        IssuerSigningKey = signingKey.PublicKey,
        ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        ValidIssuers = tenants.Tenants.SelectMany(t => urls.Issuers(t.TenantId)).ToArray(),
        ValidAudiences = [audience, audience + "/"],
        RequireExpirationTime = true,
        ClockSkew = ClockSkew,
        // Lifetime by the sandbox's clock (IdentityModel's own check reads the system clock).
        LifetimeValidator = (notBefore, expires, _, _) =>
        {
            var now = time.GetUtcNow().UtcDateTime;
            return expires is null ? throw new SecurityTokenNoExpirationException("The token has no expiry.")
                : notBefore > now + ClockSkew ? throw new SecurityTokenNotYetValidException("The token is not valid yet.") { NotBefore = notBefore.Value }
                : expires < now - ClockSkew ? throw new SecurityTokenExpiredException("The token has expired.") { Expires = expires.Value }
                : true;
        },
    };

    /// <summary>How far a token's times may be off, as the service allows.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(5);

    private static TokenRejection Describe(Exception exception) => exception switch
    {
        SecurityTokenExpiredException => new TokenRejection(TokenRejection.ExpiredToken, "The token has expired."),
        SecurityTokenNotYetValidException => Invalid("The token is not valid yet."),
        SecurityTokenInvalidLifetimeException or SecurityTokenNoExpirationException => Invalid("The token lifetime is not valid."),
        SecurityTokenInvalidAudienceException => Invalid("The token audience is not this service."),
        SecurityTokenInvalidIssuerException => Invalid("The token issuer is not trusted."),
        SecurityTokenInvalidSignatureException or SecurityTokenInvalidAlgorithmException => Invalid("The token signature is not valid."),
        _ => Invalid("The token is malformed."),
    };

    private static TokenRejection Invalid(string reason) => new(TokenRejection.InvalidToken, reason);
}
