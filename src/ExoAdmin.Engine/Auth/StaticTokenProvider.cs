using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using ExoAdmin.Engine.Errors;

namespace ExoAdmin.Engine.Auth;

/// <summary>
/// -AccessToken: the caller's token, used as given and never refreshed. Its expiry is read from the exp claim
/// (for Get-ConnectionInformation; the original reports 12/31/9999); once past it, requests stop with an error
/// that says so instead of sending a token the service will refuse.
/// </summary>
internal sealed class StaticTokenProvider : ITokenProvider
{
    private readonly TimeProvider _time;
    private AccessToken? _token;

    /// <param name="time">The clock expiry is judged by (the system clock unless a test gives a virtual one).</param>
    public StaticTokenProvider(string token, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        var exp = JwtPayload.ReadNumericClaim(token, "exp");
        var expiresOn = exp is { } seconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : DateTimeOffset.MaxValue;
        _token = new AccessToken(token, expiresOn, JwtPayload.ReadClaim(token, "tid"), _time.GetUtcNow());
    }

    public bool CanRenew => false;

    public AccessToken? Current => _token;

    public Task<AccessToken> GetTokenAsync(CancellationToken cancellationToken) => Task.FromResult(Check());

    /// <summary>
    /// Nothing to renew with (<see cref="CanRenew"/> is false): a refused token fails the request at once, saying so,
    /// instead of being sent again as the original does (§2.1). Here only for the interface.
    /// </summary>
    public Task<AccessToken> RenewAsync(string? claims, AccessToken? refused, CancellationToken cancellationToken) => Task.FromResult(Check());

    public void Forget() => _token = null;

    private AccessToken Check()
    {
        var token = _token ?? throw Failures.NotConnected(null);
        if (token.ExpiresOn <= _time.GetUtcNow())
        {
            throw new ExoException(
                string.Format(CultureInfo.InvariantCulture,
                    "The access token given to -AccessToken expired at {0:u}. ExoAdmin never renews a token it was given: get a new token and run Connect-ExchangeOnline -AccessToken again, or sign in another way so tokens renew themselves.",
                    token.ExpiresOn.UtcDateTime),
                "AccessTokenExpired", System.Management.Automation.ErrorCategory.AuthenticationError, null);
        }

        return token;
    }
}
