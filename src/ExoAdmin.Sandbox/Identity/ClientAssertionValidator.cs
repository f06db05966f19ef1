using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ExoAdmin.Sandbox.Identity;

/// <summary>
/// Checks a client assertion (RFC 7523 private_key_jwt) the way Entra ID does for certificate credentials:
/// signed by the app's registered certificate, issued by and about the client (iss = sub = client_id),
/// addressed to this token endpoint, and within its lifetime.
/// </summary>
internal sealed class ClientAssertionValidator
{
    private static readonly JsonWebTokenHandler Handler = new();

    /// <param name="assertion">The client_assertion form field.</param>
    /// <param name="clientId">The client_id form field, already matched to <paramref name="app"/>.</param>
    /// <param name="app">The registration whose certificate must have signed the assertion.</param>
    /// <param name="tokenEndpoints">The URLs of this token endpoint that count as a valid audience.</param>
    /// <exception cref="AadErrorException">The assertion is refused.</exception>
    public async Task ValidateAsync(string assertion, string clientId, AppRegistration app, IReadOnlyCollection<string> tokenEndpoints)
    {
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = clientId,
            AudienceValidator = (audiences, _, _) =>
                audiences.Any(audience => tokenEndpoints.Contains(audience.TrimEnd('/'), StringComparer.OrdinalIgnoreCase)),
            IssuerSigningKey = new X509SecurityKey(app.Certificate),
            // MSAL signs with RS256, or PS256 when it knows the service accepts it.
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSsaPssSha256],
            RequireExpirationTime = true,
            ClockSkew = TimeSpan.FromMinutes(5),
        };

        var result = await Handler.ValidateTokenAsync(assertion, parameters);
        if (!result.IsValid)
        {
            throw new AadErrorException(Describe(result.Exception, assertion));
        }

        if (!string.Equals(((JsonWebToken)result.SecurityToken).Subject, clientId, StringComparison.OrdinalIgnoreCase))
        {
            throw new AadErrorException(AadErrors.ClientIdMismatch());
        }
    }

    private static AadError Describe(Exception exception, string assertion) => exception switch
    {
        SecurityTokenExpiredException or SecurityTokenNotYetValidException or SecurityTokenNoExpirationException or SecurityTokenInvalidLifetimeException
            => LifetimeError(assertion),
        SecurityTokenInvalidAudienceException => AadErrors.AudienceMismatch(),
        SecurityTokenInvalidIssuerException => AadErrors.ClientIdMismatch(),
        SecurityTokenSignatureKeyNotFoundException => AadErrors.InvalidSignature("The key was not found."),
        SecurityTokenInvalidSignatureException or SecurityTokenInvalidAlgorithmException
            => AadErrors.InvalidSignature("The signature does not verify with the application's registered certificate."),
        _ => AadErrors.MalformedAssertion(),
    };

    private static AadError LifetimeError(string assertion)
    {
        var token = Handler.ReadJsonWebToken(assertion);
        return AadErrors.AssertionOutsideValidity(DateTime.UtcNow, NullIfUnset(token.ValidFrom), NullIfUnset(token.ValidTo));
    }

    private static DateTime? NullIfUnset(DateTime time) => time == DateTime.MinValue ? null : time;
}
