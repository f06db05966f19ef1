using System.Net;
using System.Text.RegularExpressions;
using ExoAdmin.Sandbox.Control;
using ExoAdmin.Sandbox.Data;
using ExoAdmin.Sandbox.Hosting;
using ExoAdmin.Sandbox.Identity;
using ExoAdmin.Sandbox.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ExoAdmin.Sandbox.Tests;

/// <summary>Every Exchange request needs a bearer token that the real service would accept; anything else is a 401.</summary>
[Collection(SharedSandbox.Name)]
public sealed class ExchangeAuthTests(SharedSandbox.Fixture shared)
{
    private readonly SandboxFixture sandbox = shared.For(typeof(ExchangeAuthTests));

    private const string Contoso = SandboxFixture.Contoso;

    private string PingUrl(string tenant = Contoso) => sandbox.AdminApi(tenant) + "/basicinfo('AdminApiState')";

    private SigningCredentials SandboxKey => sandbox.Server.Services.GetRequiredService<TokenSigningKey>().Credentials;

    [Fact]
    public async Task Valid_token_reaches_the_ping_and_it_reports_running()
    {
        using var response = await sandbox.GetAsync(PingUrl(), await sandbox.AccessTokenAsync(Contoso));

        var body = await response.JsonAsync();
        Assert.Equal($"{sandbox.AdminApi(Contoso)}/$metadata#BasicInfo/$entity", body.GetProperty("@odata.context").GetString());
        Assert.Equal("AdminApiState", body.GetProperty("PropertyName").GetString());
        Assert.Equal("Running", body.GetProperty("PropertyValue").GetString());
        Assert.True(Guid.TryParse(response.Headers.GetValues("request-id").Single(), out _));
    }

    [Fact]
    public async Task Url_may_name_the_tenant_by_id_and_paths_are_case_insensitive()
    {
        var tenantId = sandbox.Tenant(Contoso).TenantId;
        using var response = await sandbox.GetAsync($"{sandbox.ConnectionUri}/ADMINAPI/BETA/{tenantId}/BasicInfo('AdminApiState')", await sandbox.AccessTokenAsync(Contoso));
        await response.JsonAsync();
    }

    [Fact]
    public async Task Banner_answers_with_the_requested_session_type()
    {
        using var response = await sandbox.GetAsync($"{sandbox.AdminApi(Contoso, "v1.0")}/EXOBanner('AutogenSession')?Version=3.9.0", await sandbox.AccessTokenAsync(Contoso));

        var body = await response.JsonAsync();
        Assert.Equal("AutogenSession", body.GetProperty("sessionType").GetString());
        Assert.Contains("sandbox", body.GetProperty("moduleBannerContent").GetString());
    }

    [Fact]
    public async Task Request_without_token_is_refused()
    {
        await AssertRefusedAsync(null, "no bearer token");
    }

    [Fact]
    public async Task Token_signed_by_another_key_is_refused()
    {
        var forged = Tokens.AccessToken(Tokens.ForeignKey(), Issuer(Contoso), sandbox.ConnectionUri, AppClaims(Contoso));
        await AssertRefusedAsync(forged, "signature");
    }

    [Fact]
    public async Task Unsigned_token_is_refused()
    {
        var unsigned = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer(Contoso),
            Audience = sandbox.ConnectionUri,
            Expires = DateTime.UtcNow.AddHours(1),
            Claims = AppClaims(Contoso),
        });
        Assert.Equal("none", new JsonWebToken(unsigned).Alg);

        await AssertRefusedAsync(unsigned, "signature");
    }

    [Fact]
    public async Task Expired_token_is_refused_with_the_renew_code_2000002()
    {
        var now = DateTime.UtcNow;
        var expired = Tokens.AccessToken(SandboxKey, Issuer(Contoso), sandbox.ConnectionUri, AppClaims(Contoso), now.AddHours(-2), now.AddMinutes(-1));
        await AssertRefusedAsync(expired, "expired", diagnosticCode: "2000002");
    }

    [Fact]
    public async Task Token_for_another_resource_is_refused()
    {
        // A genuine token from the sandbox's own token endpoint, but for another resource.
        var form = sandbox.ClientCredentialsForm(Contoso);
        form["scope"] = "https://graph.microsoft.com/.default";
        var body = await (await sandbox.PostTokenRequestAsync(Contoso, form)).JsonAsync();

        await AssertRefusedAsync(body.GetProperty("access_token").GetString(), "audience");
    }

    [Fact]
    public async Task Token_from_another_issuer_is_refused()
    {
        var token = Tokens.AccessToken(SandboxKey, $"https://sts.windows.net/{sandbox.Tenant(Contoso).TenantId}/", sandbox.ConnectionUri, AppClaims(Contoso));
        await AssertRefusedAsync(token, "issuer");
    }

    [Fact]
    public async Task Token_whose_issuer_is_another_tenants_is_refused()
    {
        var token = Tokens.AccessToken(SandboxKey, Issuer(SandboxFixture.Fabrikam), sandbox.ConnectionUri, AppClaims(Contoso));
        await AssertRefusedAsync(token, "issuer");
    }

    [Fact]
    public async Task Token_of_one_tenant_is_refused_on_another_tenants_url()
    {
        var fabrikamToken = await sandbox.AccessTokenAsync(SandboxFixture.Fabrikam);
        await AssertRefusedAsync(fabrikamToken, "tenant");
    }

    [Fact]
    public async Task Token_without_the_ManageAsApp_role_is_refused()
    {
        var claims = AppClaims(Contoso);
        claims["roles"] = new[] { "Mail.Read" };
        var token = Tokens.AccessToken(SandboxKey, Issuer(Contoso), sandbox.ConnectionUri, claims);
        await AssertRefusedAsync(token, "Exchange.ManageAsApp");
    }

    [Fact]
    public async Task Token_signed_with_HS256_using_the_public_key_as_secret_is_refused()
    {
        // The classic algorithm-confusion forgery: an HMAC keyed with the service's own public key (as published, PEM).
        var published = (RsaSecurityKey)sandbox.Server.Services.GetRequiredService<TokenSigningKey>().PublicKey;
        using var rsa = System.Security.Cryptography.RSA.Create(published.Parameters);
        var hmac = new SigningCredentials(new SymmetricSecurityKey(System.Text.Encoding.ASCII.GetBytes(rsa.ExportSubjectPublicKeyInfoPem())), SecurityAlgorithms.HmacSha256);
        var forged = Tokens.AccessToken(hmac, Issuer(Contoso), sandbox.ConnectionUri, AppClaims(Contoso));
        Assert.Equal("HS256", new JsonWebToken(forged).Alg);

        await AssertRefusedAsync(forged, "signature");
    }

    [Fact]
    public async Task Token_without_an_expiry_is_refused()
    {
        var token = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer(Contoso),
            Audience = sandbox.ConnectionUri,
            Claims = AppClaims(Contoso),
            SigningCredentials = SandboxKey,
        });
        Assert.False(new JsonWebToken(token).TryGetPayloadValue<long>("exp", out _));

        await AssertRefusedAsync(token, "lifetime");
    }

    [Fact]
    public async Task Token_not_valid_yet_is_refused()
    {
        var later = DateTime.UtcNow.AddMinutes(30);
        var token = Tokens.AccessToken(SandboxKey, Issuer(Contoso), sandbox.ConnectionUri, AppClaims(Contoso), later, later.AddHours(1));
        await AssertRefusedAsync(token, "not valid yet");
    }

    [Fact]
    public async Task Admin_user_token_of_one_tenant_is_refused_on_another_tenants_url()
    {
        // A delegated token of Contoso's Exchange administrator (no partner relationship with Fabrikam).
        var legacy = sandbox.Tenant(Contoso).Users.Single(u => u.UserPrincipalName.StartsWith("legacy@", StringComparison.Ordinal));
        using var answer = await sandbox.PostTokenRequestAsync("organizations", new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["client_id"] = "fb78d390-0c51-40cd-8e17-fdbfab77341b", ["username"] = legacy.UserPrincipalName,
            ["password"] = legacy.Password, ["scope"] = sandbox.ConnectionUri + "/.default",
        });
        var userToken = (await answer.JsonAsync()).GetProperty("access_token").GetString();

        using (var own = await sandbox.GetAsync(PingUrl(Contoso), userToken))
        {
            Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        }

        using var response = await sandbox.GetAsync(PingUrl(SandboxFixture.Fabrikam), userToken);
        await AssertChallengeAsync(response, "tenant", "2000001", userToken);
    }

    [Fact]
    public async Task Exchange_and_compliance_tokens_are_each_refused_on_the_other_listener()
    {
        var urls = sandbox.Server.Services.GetRequiredService<SandboxUrls>();
        var form = sandbox.ClientCredentialsForm(Contoso);
        form["scope"] = urls.ComplianceConnectionUri + "/.default";
        var complianceToken = (await (await sandbox.PostTokenRequestAsync(Contoso, form)).JsonAsync()).GetProperty("access_token").GetString();
        var regionalPing = $"{urls.ComplianceRegionalUri}/adminapi/beta/{Contoso}/basicinfo('AdminApiState')";

        using (var compliance = await sandbox.GetAsync(regionalPing, complianceToken))
        {
            Assert.Equal(HttpStatusCode.OK, compliance.StatusCode);
        }

        var exchangeToken = await sandbox.AccessTokenAsync(Contoso);
        using (var exchangeOnCompliance = await sandbox.GetAsync(regionalPing, exchangeToken))
        {
            await AssertChallengeAsync(exchangeOnCompliance, "audience", "2000001", exchangeToken);
        }

        await AssertRefusedAsync(complianceToken, "audience");
    }

    public static TheoryData<string, string> SurfacesAndBadTokens()
    {
        var data = new TheoryData<string, string>();
        foreach (var surface in new[] { "Mailbox", "InvokeCommand", "EXOModuleFile", "ComplianceInvokeCommand" })
        {
            foreach (var token in new[] { "forged", "expired", "wrong-audience", "other-tenant", "unsigned" })
            {
                data.Add(surface, token);
            }
        }

        return data;
    }

    /// <summary>Every Exchange surface refuses every kind of bad token the same way, and a refused change is not applied.</summary>
    [Theory]
    [MemberData(nameof(SurfacesAndBadTokens))]
    public async Task Bad_tokens_are_refused_on_every_Exchange_surface_and_change_nothing(string surface, string kind)
    {
        var urls = sandbox.Server.Services.GetRequiredService<SandboxUrls>();
        var compliance = surface == "ComplianceInvokeCommand";
        var audience = compliance ? urls.ComplianceConnectionUri : sandbox.ConnectionUri;
        var now = DateTime.UtcNow;
        var (token, reason, code) = kind switch
        {
            "forged" => (Tokens.AccessToken(Tokens.ForeignKey(), Issuer(Contoso), audience, AppClaims(Contoso)), "signature", "2000001"),
            "expired" => (Tokens.AccessToken(SandboxKey, Issuer(Contoso), audience, AppClaims(Contoso), now.AddHours(-2), now.AddMinutes(-1)), "expired", "2000002"),
            "wrong-audience" => (Tokens.AccessToken(SandboxKey, Issuer(Contoso), "https://graph.microsoft.com", AppClaims(Contoso)), "audience", "2000001"),
            "other-tenant" => (Tokens.AccessToken(SandboxKey, Issuer(SandboxFixture.Fabrikam), audience, AppClaims(SandboxFixture.Fabrikam)), "tenant", "2000001"),
            _ => (new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Issuer = Issuer(Contoso), Audience = audience, Expires = now.AddHours(1), Claims = AppClaims(Contoso),
            }), "signature", "2000001"),
        };
        var marker = $"Refused {surface} {kind}";
        var root = compliance ? $"{urls.ComplianceRegionalUri}/adminapi/beta/{Contoso}" : sandbox.AdminApi(Contoso);
        using var response = surface switch
        {
            "Mailbox" => await sandbox.GetAsync(root + "/Mailbox", token),
            "EXOModuleFile" => await sandbox.GetAsync($"{sandbox.AdminApi(Contoso, "v1.0")}/EXOModuleFile?Version=3.9.0", token),
            _ => await sandbox.PostJsonAsync(root + "/InvokeCommand", token,
                "{\"CmdletInput\":{\"CmdletName\":\"Set-Mailbox\",\"Parameters\":{\"Identity\":\"alex\",\"DisplayName\":\"" + marker + "\"}}}"),
        };

        await AssertChallengeAsync(response, reason, code, token);
        Assert.DoesNotContain(sandbox.Server.Services.GetRequiredService<AuditLog>().Entries(), e => e.Parameters.Contains(marker, StringComparison.Ordinal));
        var mailboxes = sandbox.Server.Services.GetRequiredService<TenantStore>().Find(Contoso)!.Mailboxes;
        Assert.DoesNotContain(marker, Enumerable.Range(0, mailboxes.Count).Select(i => mailboxes[i].DisplayName));
    }

    [Fact]
    public async Task Unknown_tenant_in_the_url_is_refused()
    {
        using var response = await sandbox.GetAsync(PingUrl("nowhere.onmicrosoft.com"), await sandbox.AccessTokenAsync(Contoso));
        await AssertChallengeAsync(response, "not known", "2000001", await sandbox.AccessTokenAsync(Contoso));
    }

    [Fact]
    public async Task Unknown_paths_get_an_OData_404_with_a_request_id()
    {
        var token = await sandbox.AccessTokenAsync(Contoso);
        foreach (var url in new[] { $"{sandbox.ConnectionUri}/nothing/here", $"{sandbox.AdminApi(Contoso)}/NoSuchResource", $"{sandbox.ConnectionUri}/adminapi/v9/{Contoso}/Mailbox" })
        {
            using var response = await sandbox.GetAsync(url, token);
            var body = await response.JsonAsync(404);
            Assert.Equal("NotFound", body.GetProperty("error").GetProperty("code").GetString());
            Assert.True(response.Headers.Contains("request-id"));
        }
    }

    private string Issuer(string domain) => $"{sandbox.ConnectionUri}/{sandbox.Tenant(domain).TenantId}/v2.0";

    private Dictionary<string, object> AppClaims(string domain) => new()
    {
        ["tid"] = sandbox.Tenant(domain).TenantId.ToString(),
        ["appid"] = sandbox.Tenant(domain).AppId.ToString(),
        ["roles"] = new[] { "Exchange.ManageAsApp" },
    };

    /// <summary>
    /// The ping with <paramref name="token"/> is a 401 for the expected reason, while the same URL with a good
    /// token succeeds, so the refusal is about the token and nothing else.
    /// </summary>
    private async Task AssertRefusedAsync(string? token, string reasonFragment, string diagnosticCode = "2000001")
    {
        using (var control = await sandbox.GetAsync(PingUrl(), await sandbox.AccessTokenAsync(Contoso)))
        {
            Assert.Equal(HttpStatusCode.OK, control.StatusCode);
        }

        using var response = await sandbox.GetAsync(PingUrl(), token);
        await AssertChallengeAsync(response, reasonFragment, diagnosticCode, token);
    }

    private static async Task AssertChallengeAsync(HttpResponseMessage response, string reasonFragment, string diagnosticCode, string? token)
    {
        var body = await response.JsonAsync(401);
        var challenge = response.Headers.WwwAuthenticate.Single();
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains("error=\"invalid_token\"", challenge.Parameter);
        Assert.Contains("realm=\"", challenge.Parameter);

        var diagnostics = response.Headers.GetValues("x-ms-diagnostics").Single();
        var match = Regex.Match(diagnostics, "^(\\d+);reason=\"([^\"]+)\";error_category=\"invalid_token\"$");
        Assert.True(match.Success, diagnostics);
        Assert.Equal(diagnosticCode, match.Groups[1].Value);
        Assert.Contains(reasonFragment, match.Groups[2].Value);
        Assert.Equal(match.Groups[2].Value, body.GetProperty("error").GetProperty("message").GetString());
        Assert.True(Guid.TryParse(response.Headers.GetValues("request-id").Single(), out _));
        if (token is not null)
        {
            Assert.DoesNotContain(token.Split('.')[1], body.GetRawText() + diagnostics + challenge);
        }
    }
}
