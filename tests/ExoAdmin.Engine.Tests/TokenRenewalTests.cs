using ExoAdmin.Engine.Auth;
using ExoAdmin.Engine.Errors;
using Microsoft.Extensions.Time.Testing;

namespace ExoAdmin.Engine.Tests;

/// <summary>
/// When each token provider renews, in virtual time: the provider's clock (a FakeTimeProvider) is moved to the
/// instants that matter instead of waiting for them, against an in-memory Entra that counts its token requests.
/// </summary>
public class TokenRenewalTests
{
    private const string Resource = "https://exo.test";

    private static FakeTimeProvider ClockAtNow() => new(DateTimeOffset.UtcNow);

    [Fact]
    public async Task An_app_only_token_is_used_until_ten_minutes_before_expiry_then_renewed_once()
    {
        var entra = new FakeEntra();
        var clock = ClockAtNow();
        var provider = new MsalClientCredentialTokenProvider("app-id", FakeEntra.AppCertificate(), FakeEntra.Authority, Resource, entra, clock);
        var first = await provider.GetTokenAsync(CancellationToken.None);

        clock.Advance(TimeSpan.FromMinutes(49));   // MSAL's token lives an hour: eleven minutes left
        Assert.Same(first, await provider.GetTokenAsync(CancellationToken.None));
        Assert.Equal(1, entra.TokenRequests);

        clock.Advance(TimeSpan.FromMinutes(2));    // nine minutes left: inside the renewal margin
        var renewed = await provider.GetTokenAsync(CancellationToken.None);
        Assert.NotEqual(first.Value, renewed.Value);
        Assert.Same(renewed, await provider.GetTokenAsync(CancellationToken.None));
        Assert.Equal(2, entra.TokenRequests);
        Assert.Equal(clock.GetUtcNow(), renewed.AcquiredOn);
    }

    [Fact]
    public async Task A_delegated_sign_in_renews_through_its_refresh_token_without_the_password_again()
    {
        var entra = new FakeEntra();
        var clock = ClockAtNow();
        var provider = new MsalPublicClientTokenProvider("client", FakeEntra.Authority, Resource, UserSignIn.Password, "admin@contoso.test", "P@ssw0rd!", _ => { }, entra, clock);
        var first = await provider.GetTokenAsync(CancellationToken.None);

        clock.Advance(TimeSpan.FromMinutes(51));
        var renewed = await provider.GetTokenAsync(CancellationToken.None);

        Assert.NotEqual(first.Value, renewed.Value);
        Assert.Equal(["password", "refresh_token"], entra.Grants);
    }

    [Fact]
    public async Task A_token_given_with_AccessToken_is_sent_until_its_exp_and_refused_from_then_on()
    {
        var clock = ClockAtNow();
        var exp = clock.GetUtcNow().AddSeconds(60);
        var provider = new Auth.StaticTokenProvider(FakeEntra.Jwt(new { tid = "tid", exp = exp.ToUnixTimeSeconds() }), clock);

        clock.Advance(TimeSpan.FromSeconds(59));
        var token = await provider.GetTokenAsync(CancellationToken.None);
        Assert.Equal(exp.ToUnixTimeSeconds(), token.ExpiresOn.ToUnixTimeSeconds());

        clock.Advance(TimeSpan.FromSeconds(1));
        var expired = await Assert.ThrowsAsync<ExoException>(() => provider.GetTokenAsync(CancellationToken.None));
        Assert.Equal("AccessTokenExpired", expired.ErrorId);
        // Nothing to renew with: a refusal by the service does not make it valid again either.
        await Assert.ThrowsAsync<ExoException>(() => provider.RenewAsync(null, token, CancellationToken.None));
    }

    [Fact]
    public async Task A_renewal_another_request_made_is_reused_only_while_that_token_is_fresh()
    {
        var entra = new FakeEntra();
        var clock = ClockAtNow();
        var provider = new MsalClientCredentialTokenProvider("app-id", FakeEntra.AppCertificate(), FakeEntra.Authority, Resource, entra, clock);
        var refused = await provider.GetTokenAsync(CancellationToken.None);
        var renewed = await provider.RenewAsync(null, refused, CancellationToken.None);

        // A second request refused with the old token shares that renewal...
        Assert.Same(renewed, await provider.RenewAsync(null, refused, CancellationToken.None));
        Assert.Equal(2, entra.TokenRequests);

        // ...but not once the shared token is itself due for renewal.
        clock.Advance(TimeSpan.FromMinutes(51));
        Assert.NotSame(renewed, await provider.RenewAsync(null, refused, CancellationToken.None));
        Assert.Equal(3, entra.TokenRequests);
    }

    [Fact]
    public async Task A_token_keeps_its_lifetime_on_the_providers_clock_when_that_clock_is_not_the_systems()
    {
        // MSAL reckons expiry by the system clock; a connection to a sandbox may read a moved one (SandboxTestClock).
        var entra = new FakeEntra();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(5));
        var provider = new MsalClientCredentialTokenProvider("app-id", FakeEntra.AppCertificate(), FakeEntra.Authority, Resource, entra, clock);

        var token = await provider.GetTokenAsync(CancellationToken.None);

        Assert.InRange(token.ExpiresOn - clock.GetUtcNow(), TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(60.5));
        Assert.Same(token, await provider.GetTokenAsync(CancellationToken.None)); // fresh by that clock: not renewed at once
        Assert.Equal(1, entra.TokenRequests);
    }
}
