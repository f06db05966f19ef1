using System.Threading;
using System.Threading.Tasks;

namespace ExoAdmin.Engine.Auth;

/// <summary>One per connection: hands out a valid token, renewing it when needed.</summary>
internal interface ITokenProvider
{
    /// <summary>The token to send now; renewed if it is about to expire.</summary>
    Task<AccessToken> GetTokenAsync(CancellationToken cancellationToken);

    /// <summary>
    /// A fresh token after the service refused the current one, satisfying a claims challenge
    /// when one was sent.
    /// </summary>
    Task<AccessToken> RenewAsync(string? claims, CancellationToken cancellationToken);

    /// <summary>The last token handed out, if any (for Get-ConnectionInformation).</summary>
    AccessToken? Current { get; }

    /// <summary>Forgets every token and cache entry (Disconnect-ExchangeOnline).</summary>
    void Forget();
}
