using System.Text;
using ExoAdmin.Engine.Errors;
using ExoAdmin.Engine.Sessions;
using EngineStaticTokenProvider = ExoAdmin.Engine.Auth.StaticTokenProvider;

namespace ExoAdmin.Engine.Tests;

/// <summary>How Connect-* parameters become one sign-in method, clouds, -AccessToken expiry and the compliance redirect rewrite.</summary>
public class SignInTests
{
    private static ConnectRequest Request() => new(new Uri("https://outlook.office365.com"), new Uri("https://login.microsoftonline.com/organizations"));

    private static string Jwt(object payload) =>
        "eyJhbGciOiJub25lIn0." + Convert.ToBase64String(Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(payload))).TrimEnd('=').Replace('+', '-').Replace('/', '_') + ".c2ln";

    [Fact]
    public void Nothing_but_the_connection_means_interactive_sign_in()
    {
        Assert.Equal(Connector.SignInMethod.Interactive, Connector.Validate(Request()));
    }

    [Theory]
    [InlineData(false, true, true, "-ManagedIdentity and -Device")]
    [InlineData(true, true, true, "-AccessToken and -ManagedIdentity and -Device")]
    [InlineData(true, false, true, "-AccessToken and -ManagedIdentity")]
    public void Two_ways_of_signing_in_are_refused_naming_them(bool accessToken, bool device, bool managedIdentity, string expected)
    {
        var request = Request();
        request.Organization = "contoso.onmicrosoft.com";
        request.AccessToken = accessToken ? Jwt(new { tid = "t" }) : null;
        request.Device = device;
        request.ManagedIdentity = managedIdentity;

        var error = Assert.Throws<ExoException>(() => Connector.Validate(request));

        Assert.Equal("ConflictingSignInParameters", error.ErrorId);
        Assert.Contains(expected + " were given together", error.Message);
    }

    [Fact]
    public void An_access_token_needs_exactly_one_of_organization_delegated_organization_or_user()
    {
        var request = Request();
        request.AccessToken = Jwt(new { tid = "t" });
        Assert.Equal("IncompleteAccessTokenSignIn", Assert.Throws<ExoException>(() => Connector.Validate(request)).ErrorId);

        request.Organization = "contoso.onmicrosoft.com";
        request.UserPrincipalName = "admin@contoso.onmicrosoft.com";
        Assert.Equal("IncompleteAccessTokenSignIn", Assert.Throws<ExoException>(() => Connector.Validate(request)).ErrorId);

        request.UserPrincipalName = null;
        Assert.Equal(Connector.SignInMethod.AccessToken, Connector.Validate(request));

        request.AccessToken = "not a token";
        Assert.Equal("AccessTokenNotJwt", Assert.Throws<ExoException>(() => Connector.Validate(request)).ErrorId);
    }

    [Fact]
    public void ManagedIdentityAccountId_alone_does_not_choose_managed_identity()
    {
        var request = Request();
        request.ManagedIdentityAccountId = Guid.NewGuid().ToString();
        Assert.Equal("ManagedIdentityAccountIdWithoutManagedIdentity", Assert.Throws<ExoException>(() => Connector.Validate(request)).ErrorId);
    }

    [Theory]
    [InlineData("O365Default", "https://outlook.office365.com", "https://ps.compliance.protection.outlook.com", "https://login.microsoftonline.com/organizations")]
    [InlineData("O365USGovGCCHigh", "https://outlook.office365.us", "https://ps.compliance.protection.office365.us", "https://login.microsoftonline.us/organizations")]
    [InlineData("O365USGovDoD", "https://outlook-dod.office365.us", "https://l5.ps.compliance.protection.office365.us", "https://login.microsoftonline.us/organizations")]
    [InlineData("O365China", "https://partner.outlook.cn", "https://ps.compliance.protection.partner.outlook.cn", "https://login.chinacloudapi.cn/organizations")]
    [InlineData("O365GermanyCloud", "https://outlook.office.de", "https://ps.compliance.protection.outlook.de", "https://login.microsoftonline.de/organizations")]
    public void Each_cloud_has_its_service_and_sign_in_hosts(string environment, string exchange, string compliance, string authority)
    {
        Assert.Equal(exchange, ExchangeClouds.ConnectionUri(environment, compliance: false));
        Assert.Equal(compliance, ExchangeClouds.ConnectionUri(environment, compliance: true));
        Assert.Equal(authority, ExchangeClouds.AuthorityUri(environment));
    }

    [Fact]
    public async Task A_given_token_reports_its_real_expiry_and_stops_with_a_clear_error_once_past_it()
    {
        var expired = DateTimeOffset.UtcNow.AddMinutes(-1);
        var tokens = new EngineStaticTokenProvider(Jwt(new { tid = "t", exp = expired.ToUnixTimeSeconds() }));

        Assert.Equal(expired.ToUnixTimeSeconds(), tokens.Current!.ExpiresOn.ToUnixTimeSeconds());
        var error = await Assert.ThrowsAsync<ExoException>(() => tokens.GetTokenAsync(CancellationToken.None));
        Assert.Equal("AccessTokenExpired", error.ErrorId);
        Assert.DoesNotContain("eyJ", error.Message);
        await Assert.ThrowsAsync<ExoException>(() => tokens.RenewAsync(null, null, CancellationToken.None));
    }

    [Fact]
    public async Task A_given_token_that_is_still_valid_is_sent_as_it_is_even_after_a_refusal()
    {
        var value = Jwt(new { tid = "t", exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds() });
        var tokens = new EngineStaticTokenProvider(value);
        Assert.Same(await tokens.GetTokenAsync(CancellationToken.None), await tokens.RenewAsync("{}", null, CancellationToken.None));
    }

    [Theory]
    [InlineData("https://nam12b.admin.protection.outlook.com:446/adminapi/beta/t/EXOBanner('AutogenSession')", "https://nam12b.ps.compliance.protection.outlook.com/adminapi/beta/t/EXOBanner('AutogenSession')")]
    [InlineData("https://nam12b.ps.compliance.protection.outlook.com/x", "https://nam12b.ps.compliance.protection.outlook.com/x")]
    public void Compliance_redirects_to_admin_protection_hosts_are_rewritten(string location, string expected)
    {
        Assert.Equal(expected, ComplianceDiscovery.Rewrite(new Uri(location)).AbsoluteUri);
    }

    [Theory]
    [InlineData(null, null, null, null, false, false, true)] // a Linux server over SSH: no desktop
    [InlineData(":0", null, null, null, false, false, false)]
    [InlineData(null, "wayland-0", null, null, false, false, false)]
    [InlineData(null, null, "w3m", null, false, false, false)] // BROWSER names one, even a text browser
    [InlineData(null, null, null, "Ubuntu", false, false, false)] // WSL opens the Windows browser
    [InlineData(null, null, null, null, true, false, false)] // Windows always has its shell
    [InlineData(null, null, null, null, false, true, false)] // so does macOS
    public void Interactive_sign_in_knows_when_no_browser_can_open(string? display, string? wayland, string? browser, string? wsl, bool windows, bool macOS, bool noBrowser)
    {
        var environment = new Dictionary<string, string?> { ["DISPLAY"] = display, ["WAYLAND_DISPLAY"] = wayland, ["BROWSER"] = browser, ["WSL_DISTRO_NAME"] = wsl };
        var why = Auth.SystemBrowser.WhyNoBrowser(name => environment.GetValueOrDefault(name), windows, macOS);
        Assert.Equal(noBrowser, why is not null);
        if (noBrowser)
        {
            Assert.Contains("DISPLAY, WAYLAND_DISPLAY and BROWSER are not set", why);
        }
    }
}
