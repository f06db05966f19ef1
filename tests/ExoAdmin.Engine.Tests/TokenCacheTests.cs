using ExoAdmin.Engine.Auth;

namespace ExoAdmin.Engine.Tests;

/// <summary>Disconnect-ExchangeOnline (ITokenProvider.Forget) leaves no token and no MSAL cache entry behind.</summary>
public class TokenCacheTests
{
    private static readonly Uri Authority = FakeEntra.Authority;

    [Fact]
    public async Task An_app_only_connection_forgets_its_token_and_its_MSAL_cache()
    {
        var entra = new FakeEntra();
        var provider = new MsalClientCredentialTokenProvider("app-id", FakeEntra.AppCertificate(), Authority, "https://exo.test", entra);

        var token = await provider.GetTokenAsync(CancellationToken.None);
        Assert.NotNull(provider.Current);
        Assert.True(provider.CachedEntries > 0, "the token should be in MSAL's cache before Forget");

        provider.Forget();

        Assert.Null(provider.Current);
        Assert.Equal(0, provider.CachedEntries);
        Assert.NotNull(token.Value);
    }

    [Fact]
    public async Task A_user_connection_forgets_its_token_refresh_token_and_account()
    {
        var entra = new FakeEntra();
        var provider = new MsalPublicClientTokenProvider("client", Authority, "https://exo.test", UserSignIn.Password, "admin@contoso.test", "P@ssw0rd!", _ => { }, entra);

        await provider.GetTokenAsync(CancellationToken.None);
        await provider.RenewAsync(null, null, CancellationToken.None); // through the refresh token, from the cache
        Assert.Equal(2, entra.TokenRequests);
        Assert.True(provider.CachedEntries >= 3, $"access, refresh and id tokens and the account should be cached; {provider.CachedEntries} are");

        provider.Forget();

        Assert.Null(provider.Current);
        Assert.Null(provider.UserName);
        Assert.Equal(0, provider.CachedEntries);
    }

    [Fact]
    public async Task A_refused_token_is_renewed_once_however_many_requests_were_refused_with_it()
    {
        var entra = new FakeEntra();
        var provider = new MsalClientCredentialTokenProvider("app-id", FakeEntra.AppCertificate(), Authority, "https://exo.test", entra);
        var first = await provider.GetTokenAsync(CancellationToken.None);

        var renewed = await provider.RenewAsync(null, first, CancellationToken.None);
        var again = await provider.RenewAsync(null, first, CancellationToken.None);   // another request refused with the old one

        Assert.NotEqual(first.Value, renewed.Value);
        Assert.Same(renewed, again);
        Assert.Equal(2, entra.TokenRequests);

        // A claims challenge always asks Entra, and so does a refusal of the newest token.
        var challenged = await provider.RenewAsync("{\"access_token\":{\"nbf\":{\"essential\":true}}}", first, CancellationToken.None);
        var refusedNewest = await provider.RenewAsync(null, challenged, CancellationToken.None);
        Assert.Equal(4, entra.TokenRequests);
        Assert.NotEqual(challenged.Value, refusedNewest.Value);
    }
}
