using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ExoAdmin.Sandbox.Identity;
using ExoAdmin.Sandbox.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ExoAdmin.Sandbox.Tests;

/// <summary>
/// The sandbox's delegated sign-in as MSAL's public client meets it: the sign-in pages, authorization codes with
/// PKCE, refresh tokens, device codes, ROPC, and the managed-identity endpoints.
/// </summary>
[Collection(SharedSandbox.Name)]
public sealed partial class DelegatedSignInTests(SharedSandbox.Fixture shared)
{
    private readonly SandboxFixture sandbox = shared.For(typeof(DelegatedSignInTests));

    private const string PublicClient = SignInPages.ExchangePowerShellClientId;
    private const string Redirect = "http://localhost:51234/";

    private string Admin => "admin@" + SandboxFixture.Contoso;

    private DirectoryUser User(string upn) => sandbox.Server.Services.GetRequiredService<UserDirectory>().FindUser(upn)!;

    [Fact]
    public async Task Authorization_code_with_PKCE_signs_in_a_user_with_password_and_MFA_code_once()
    {
        var verifier = SignInStore.NewSecret();
        var code = await SignInInBrowserAsync(Admin, Challenge(verifier));

        var token = await RedeemAsync(code, verifier);
        var claims = new JsonWebToken(token.GetProperty("access_token").GetString());
        Assert.Equal(Admin, claims.GetPayloadValue<string>("upn"));
        Assert.Equal(sandbox.Tenant(SandboxFixture.Contoso).TenantId.ToString(), claims.GetPayloadValue<string>("tid"));
        Assert.Contains(claims.Claims, c => c.Type == "wids" && c.Value == DirectoryRoles.ExchangeAdministrator);
        Assert.Contains(claims.Claims, c => c.Type == "amr" && c.Value == "mfa");
        Assert.True(token.TryGetProperty("refresh_token", out _));
        Assert.True(token.TryGetProperty("client_info", out _));

        // A code is single use.
        await AssertAadErrorAsync(await RedeemRawAsync(code, verifier), 70008);
    }

    [Fact]
    public async Task A_code_verifier_that_does_not_match_the_challenge_is_refused_with_AADSTS501481()
    {
        var code = await SignInInBrowserAsync(Admin, Challenge(SignInStore.NewSecret()));
        await AssertAadErrorAsync(await RedeemRawAsync(code, SignInStore.NewSecret()), 501481);
    }

    [Fact]
    public async Task A_wrong_MFA_code_shows_the_code_page_again_with_an_error()
    {
        var flow = FlowId(await (await sandbox.Http.GetAsync(AuthorizeUrl(Challenge("v")))).Content.ReadAsStringAsync());
        var user = User(Admin);
        var page = await PostFormAsync("/signin", new() { ["flow"] = flow, ["login"] = Admin, ["passwd"] = user.Password });
        Assert.Contains("id=\"otc\"", page.Body);
        var wrong = Totp.Code(user.MfaSecret!, DateTimeOffset.UtcNow) == "000000" ? "111111" : "000000";

        page = await PostFormAsync("/signin", new() { ["flow"] = flow, ["otc"] = wrong });

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("That code is not correct", page.Body);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_on_the_page_without_echoing_it()
    {
        var flow = FlowId(await (await sandbox.Http.GetAsync(AuthorizeUrl(Challenge("v")))).Content.ReadAsStringAsync());
        var page = await PostFormAsync("/signin", new() { ["flow"] = flow, ["login"] = Admin, ["passwd"] = "Not-The-Password-42" });
        Assert.Contains("Your account or password is incorrect", page.Body);
        Assert.DoesNotContain("Not-The-Password-42", page.Body);
    }

    [Fact]
    public async Task Refresh_tokens_rotate_and_a_spent_one_is_refused()
    {
        var verifier = SignInStore.NewSecret();
        var first = await RedeemAsync(await SignInInBrowserAsync(Admin, Challenge(verifier)), verifier);
        var refresh = first.GetProperty("refresh_token").GetString()!;

        using var renewed = await sandbox.PostTokenRequestAsync("organizations", RefreshForm(refresh));
        var second = await renewed.JsonAsync();
        Assert.NotEqual(refresh, second.GetProperty("refresh_token").GetString());

        await AssertAadErrorAsync(await sandbox.PostTokenRequestAsync("organizations", RefreshForm(refresh)), 70008);
    }

    [Fact]
    public async Task Device_code_is_pending_until_the_user_signs_in_on_the_verification_page()
    {
        using var start = await sandbox.Http.PostAsync($"{sandbox.ConnectionUri}/organizations/oauth2/v2.0/devicecode",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["client_id"] = PublicClient, ["scope"] = sandbox.ConnectionUri + "/.default offline_access" }));
        var device = await start.JsonAsync();
        var deviceCode = device.GetProperty("device_code").GetString()!;
        Assert.Equal(sandbox.ConnectionUri + "/devicelogin", device.GetProperty("verification_uri").GetString());

        await AssertAadErrorAsync(await sandbox.PostTokenRequestAsync("organizations", DeviceForm(deviceCode)), 70016);

        var legacy = "legacy@" + SandboxFixture.Contoso;
        var page = await PostFormAsync("/devicelogin", new() { ["otc"] = device.GetProperty("user_code").GetString()! });
        page = await PostFormAsync("/signin", new() { ["flow"] = FlowId(page.Body), ["login"] = legacy, ["passwd"] = User(legacy).Password });
        Assert.Contains("You may now close this window", page.Body);

        using var token = await sandbox.PostTokenRequestAsync("organizations", DeviceForm(deviceCode));
        Assert.Equal(legacy, new JsonWebToken((await token.JsonAsync()).GetProperty("access_token").GetString()).GetPayloadValue<string>("upn"));
        await AssertAadErrorAsync(await sandbox.PostTokenRequestAsync("organizations", DeviceForm(deviceCode)), 70008);
    }

    [Fact]
    public async Task Password_grant_is_refused_for_an_MFA_user_with_AADSTS50076()
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["client_id"] = PublicClient, ["username"] = Admin, ["password"] = User(Admin).Password,
            ["scope"] = sandbox.ConnectionUri + "/.default",
        };
        await AssertAadErrorAsync(await sandbox.PostTokenRequestAsync("organizations", form), 50076);
    }

    [Fact]
    public async Task Managed_identity_endpoints_need_their_header_and_issue_the_identity_s_tenant_token()
    {
        var directory = sandbox.Server.Services.GetRequiredService<UserDirectory>();
        var appService = $"{sandbox.ConnectionUri}/msi/token?api-version=2019-08-01&resource={Uri.EscapeDataString(sandbox.ConnectionUri)}";
        using (var noHeader = await sandbox.Http.GetAsync(appService))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, noHeader.StatusCode);
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, appService);
        request.Headers.Add("X-IDENTITY-HEADER", directory.IdentityHeader);
        using var ok = await sandbox.Http.SendAsync(request);
        var token = new JsonWebToken((await ok.JsonAsync()).GetProperty("access_token").GetString());
        Assert.Equal(sandbox.Tenant(SandboxFixture.Contoso).TenantId.ToString(), token.GetPayloadValue<string>("tid"));
        Assert.Equal(directory.SystemIdentity!.ClientId.ToString(), token.GetPayloadValue<string>("appid"));

        var fabrikamIdentity = sandbox.Tenant(SandboxFixture.Fabrikam).ManagedIdentityClientId;
        using var imds = new HttpRequestMessage(HttpMethod.Get, $"{sandbox.ConnectionUri}/metadata/identity/oauth2/token?api-version=2018-02-01&resource={Uri.EscapeDataString(sandbox.ConnectionUri)}&client_id={fabrikamIdentity}");
        using (var noMetadata = await sandbox.Http.SendAsync(imds))
        {
            Assert.Equal(HttpStatusCode.BadRequest, noMetadata.StatusCode);
        }

        using var imdsOk = new HttpRequestMessage(HttpMethod.Get, imds.RequestUri);
        imdsOk.Headers.Add("Metadata", "true");
        using var answer = await sandbox.Http.SendAsync(imdsOk);
        Assert.Equal(sandbox.Tenant(SandboxFixture.Fabrikam).TenantId.ToString(),
            new JsonWebToken((await answer.JsonAsync()).GetProperty("access_token").GetString()).GetPayloadValue<string>("tid"));
    }

    [Fact]
    public async Task The_compliance_endpoint_redirects_to_its_regional_host()
    {
        var tenantId = sandbox.Tenant(SandboxFixture.Contoso).TenantId;
        using var response = await sandbox.Http.GetAsync($"{sandbox.Server.Ready.ComplianceConnectionUri}/adminapi/beta/{tenantId}/EXOBanner('AutogenSession')?Version=3.9.0");
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.NotEqual(new Uri(sandbox.Server.Ready.ComplianceConnectionUri).Port, location.Port);
        Assert.EndsWith($"/adminapi/beta/{tenantId}/EXOBanner('AutogenSession')?Version=3.9.0", location.PathAndQuery);
    }

    private static string Challenge(string verifier) => Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    private string AuthorizeUrl(string challenge) =>
        $"{sandbox.ConnectionUri}/organizations/oauth2/v2.0/authorize?client_id={PublicClient}&response_type=code&redirect_uri={Uri.EscapeDataString(Redirect)}" +
        $"&scope={Uri.EscapeDataString(sandbox.ConnectionUri + "/.default offline_access openid profile")}&state=s1&code_challenge={challenge}&code_challenge_method=S256";

    /// <summary>What a person does in the browser: the password page, then the authenticator code; returns the code sent to the redirect URI.</summary>
    private async Task<string> SignInInBrowserAsync(string upn, string challenge)
    {
        var user = User(upn);
        var flow = FlowId(await (await sandbox.Http.GetAsync(AuthorizeUrl(challenge))).Content.ReadAsStringAsync());
        var page = await PostFormAsync("/signin", new() { ["flow"] = flow, ["login"] = upn, ["passwd"] = user.Password });
        if (user.RequiresMfa)
        {
            page = await PostFormAsync("/signin", new() { ["flow"] = flow, ["otc"] = Totp.Code(user.MfaSecret!, DateTimeOffset.UtcNow) });
        }

        Assert.Equal(HttpStatusCode.Found, page.Status);
        var location = page.Location!;
        Assert.StartsWith(Redirect + "?", location.AbsoluteUri);
        Assert.Contains("state=s1", location.Query);
        return Uri.UnescapeDataString(CodeParameter().Match(location.Query).Groups[1].Value);
    }

    private async Task<JsonElement> RedeemAsync(string code, string verifier)
    {
        using var response = await RedeemRawAsync(code, verifier);
        return await response.JsonAsync();
    }

    private Task<HttpResponseMessage> RedeemRawAsync(string code, string verifier) =>
        sandbox.PostTokenRequestAsync("organizations", new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["client_id"] = PublicClient, ["code"] = code, ["redirect_uri"] = Redirect,
            ["code_verifier"] = verifier, ["scope"] = sandbox.ConnectionUri + "/.default offline_access openid profile",
        });

    private Dictionary<string, string> RefreshForm(string refreshToken) => new()
    {
        ["grant_type"] = "refresh_token", ["client_id"] = PublicClient, ["refresh_token"] = refreshToken,
        ["scope"] = sandbox.ConnectionUri + "/.default offline_access",
    };

    private static Dictionary<string, string> DeviceForm(string deviceCode) => new()
    {
        ["grant_type"] = "urn:ietf:params:oauth:grant-type:device_code", ["client_id"] = PublicClient, ["device_code"] = deviceCode,
    };

    private async Task<(HttpStatusCode Status, string Body, Uri? Location)> PostFormAsync(string path, Dictionary<string, string> form)
    {
        using var response = await sandbox.Http.PostAsync(sandbox.ConnectionUri + path, new FormUrlEncodedContent(form));
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Location);
    }

    private static string FlowId(string html) => FlowField().Match(html) is { Success: true } match ? match.Groups[1].Value : throw new Xunit.Sdk.XunitException("No sign-in form: " + html);

    private static async Task AssertAadErrorAsync(HttpResponseMessage response, int code)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode >= HttpStatusCode.BadRequest, body);
            Assert.Equal(code, JsonDocument.Parse(body).RootElement.GetProperty("error_codes")[0].GetInt32());
        }
    }

    [GeneratedRegex("name=\"flow\" value=\"([^\"]+)\"")]
    private static partial Regex FlowField();

    [GeneratedRegex("[?&]code=([^&]+)")]
    private static partial Regex CodeParameter();
}
