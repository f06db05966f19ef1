using System.Threading;
using System.Threading.Tasks;

namespace ExoAdmin.Engine.Auth;

/// <summary>One per connection: hands out a valid token, renewing it when needed.</summary>
internal interface ITokenProvider
{
    /// <summary>The token to send now; renewed if it is about to expire.</summary>
    Task<AccessToken> GetTokenAsync(CancellationToken cancellationToken);

    /// <summary>
    /// A fresh token after the service refused <paramref name="refused"/>, satisfying a claims challenge when one was
    /// sent. Without claims, a token renewed meanwhile by another request of the connection is returned as it is, so
    /// the requests in flight when a token expired renew it once, not once each.
    /// </summary>
    Task<AccessToken> RenewAsync(string? claims, AccessToken? refused, CancellationToken cancellationToken);

    /// <summary>False for a token given as it is (-AccessToken): a refused one cannot be replaced, only reported.</summary>
    bool CanRenew { get; }

    /// <summary>The last token handed out, if any (for Get-ConnectionInformation).</summary>
    AccessToken? Current { get; }

    /// <summary>Forgets every token and cache entry (Disconnect-ExchangeOnline).</summary>
    void Forget();
}
