using ExoAdmin.Engine.Auth;

namespace ExoAdmin.Engine.Tests;

public class AccessTokenTests
{
    private static readonly DateTimeOffset Acquired = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_hour_token_is_renewed_ten_minutes_before_it_expires()
    {
        var token = new AccessToken("x.y.z", Acquired.AddHours(1), null, Acquired);

        Assert.False(token.NeedsRenewal(token.ExpiresOn.AddMinutes(-11)));
        Assert.True(token.NeedsRenewal(token.ExpiresOn.AddMinutes(-9)));
    }

    [Fact]
    public void A_short_lived_token_is_renewed_in_its_last_fifth()
    {
        var token = new AccessToken("x.y.z", Acquired.AddSeconds(30), null, Acquired);

        Assert.False(token.NeedsRenewal(token.ExpiresOn.AddSeconds(-10)));
        Assert.True(token.NeedsRenewal(token.ExpiresOn.AddSeconds(-5)));
    }

    [Fact]
    public void The_token_never_shows_in_its_text()
    {
        Assert.DoesNotContain("secret", new AccessToken("secret.secret.secret", Acquired, null, Acquired).ToString());
    }
}
