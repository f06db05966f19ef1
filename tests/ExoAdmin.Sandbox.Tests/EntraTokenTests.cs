using System.Text.Json;
using ExoAdmin.Sandbox.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ExoAdmin.Sandbox.Tests;

/// <summary>The Entra side: discovery, keys and the client-credentials token endpoint with certificate assertions.</summary>
[Collection(SharedSandbox.Name)]
public sealed class EntraTokenTests(SharedSandbox.Fixture shared)
{
    private readonly SandboxFixture sandbox = shared.For(typeof(EntraTokenTests));

    private const string Contoso = SandboxFixture.Contoso;

    [Fact]
    public async Task Token_endpoint_issues_a_token_that_validates_against_the_published_keys()
    {
        using var response = await sandbox.PostTokenRequestAsync(Contoso, sandbox.ClientCredentialsForm(Contoso));
        var body = await response.JsonAsync();
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.Equal(3600, body.GetProperty("expires_in").GetInt32());
        Assert.Equal(3600, body.GetProperty("ext_expires_in").GetInt32());
        Assert.Equal("no-store, no-cache", response.Headers.CacheControl?.ToString());

        var tenant = sandbox.Tenant(Contoso);
        var discovery = await (await sandbox.Http.GetAsync($"{sandbox.ConnectionUri}/{Contoso}/v2.0/.well-known/openid-configuration")).JsonAsync();
        var issuer = discovery.GetProperty("issuer").GetString();
        Assert.Equal($"{sandbox.ConnectionUri}/{tenant.TenantId}/v2.0", issuer);
        var keys = new JsonWebKeySet(await sandbox.Http.GetStringAsync(discovery.GetProperty("jwks_uri").GetString()));

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(body.GetProperty("access_token").GetString(), new TokenValidationParameters
        {
            IssuerSigningKeys = keys.GetSigningKeys(),
            ValidIssuer = issuer,
            ValidAudience = sandbox.ConnectionUri,
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        var token = (JsonWebToken)result.SecurityToken;
        Assert.Equal("RS256", token.Alg);
        Assert.Equal(keys.Keys.Single().Kid, token.Kid);
        Assert.Equal(tenant.TenantId.ToString(), token.GetClaim("tid").Value);
        Assert.Equal(tenant.AppId.ToString(), token.GetClaim("appid").Value);
        Assert.True(Guid.TryParse(token.GetClaim("oid").Value, out _));
        Assert.Equal(["Exchange.ManageAsApp"], token.Claims.Where(c => c.Type == "roles").Select(c => c.Value));
        Assert.Equal(TimeSpan.FromHours(1), token.ValidTo - token.IssuedAt);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public async Task Assertion_audience_may_name_the_tenant_by_domain_or_id_with_or_without_trailing_slash(bool byTenantId, bool trailingSlash)
    {
        var tenant = sandbox.Tenant(Contoso);
        var segment = byTenantId ? tenant.TenantId.ToString() : Contoso;
        var audience = sandbox.TokenEndpoint(segment) + (trailingSlash ? "/" : string.Empty);
        using var certificate = sandbox.AppCertificate(Contoso);
        var form = sandbox.ClientCredentialsForm(Contoso, Tokens.ClientAssertion(certificate, tenant.AppId.ToString(), audience));

        using var response = await sandbox.PostTokenRequestAsync(segment, form);

        await response.JsonAsync();
    }

    [Fact]
    public async Task Resource_of_the_scope_becomes_the_audience_without_trailing_slash()
    {
        var form = sandbox.ClientCredentialsForm(Contoso);
        form["scope"] = sandbox.ConnectionUri + "//.default";

        var body = await (await sandbox.PostTokenRequestAsync(Contoso, form)).JsonAsync();

        var token = new JsonWebToken(body.GetProperty("access_token").GetString());
        Assert.Equal([sandbox.ConnectionUri], token.Audiences);
    }

    [Fact]
    public async Task Unknown_tenant_is_refused_with_AADSTS90002()
    {
        using var response = await sandbox.PostTokenRequestAsync("nowhere.onmicrosoft.com", sandbox.ClientCredentialsForm(Contoso));
        await AssertAadErrorAsync(response, 400, "invalid_request", 90002);
    }

    [Fact]
    public async Task Unknown_app_is_refused_with_AADSTS700016()
    {
        var form = sandbox.ClientCredentialsForm(Contoso);
        form["client_id"] = Guid.NewGuid().ToString();
        using var response = await sandbox.PostTokenRequestAsync(Contoso, form);
        await AssertAadErrorAsync(response, 400, "unauthorized_client", 700016);
    }

    [Fact]
    public async Task App_of_another_tenant_is_unknown_in_this_one()
    {
        var fabrikam = sandbox.Tenant(SandboxFixture.Fabrikam);
        using var certificate = sandbox.AppCertificate(SandboxFixture.Fabrikam);
        var form = sandbox.ClientCredentialsForm(SandboxFixture.Fabrikam,
            Tokens.ClientAssertion(certificate, fabrikam.AppId.ToString(), sandbox.TokenEndpoint(Contoso)));

        using var response = await sandbox.PostTokenRequestAsync(Contoso, form);

        await AssertAadErrorAsync(response, 400, "unauthorized_client", 700016);
    }

    [Fact]
    public async Task Assertion_signed_by_an_unregistered_certificate_is_refused_with_AADSTS700027()
    {
        using var stranger = Tokens.UnregisteredCertificate();
        var appId = sandbox.Tenant(Contoso).AppId.ToString();
        var form = sandbox.ClientCredentialsForm(Contoso, Tokens.ClientAssertion(stranger, appId, sandbox.TokenEndpoint(Contoso)));

        using var response = await sandbox.PostTokenRequestAsync(Contoso, form);

        await AssertAadErrorAsync(response, 401, "invalid_client", 700027);
    }

    [Fact]
    public async Task Unsigned_assertion_is_refused_with_AADSTS700027()
    {
        var appId = sandbox.Tenant(Contoso).AppId.ToString();
        var unsigned = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = appId,
            Audience = sandbox.TokenEndpoint(Contoso),
            Claims = new Dictionary<string, object> { ["sub"] = appId },
        });
        Assert.Equal("none", new JsonWebToken(unsigned).Alg);

        using var response = await sandbox.PostTokenRequestAsync(Contoso, sandbox.ClientCredentialsForm(Contoso, unsigned));

        await AssertAadErrorAsync(response, 401, "invalid_client", 700027);
    }

    [Fact]
    public async Task Expired_assertion_is_refused_with_AADSTS700024()
    {
        using var certificate = sandbox.AppCertificate(Contoso);
        var appId = sandbox.Tenant(Contoso).AppId.ToString();
        var now = DateTime.UtcNow;
        var expired = Tokens.ClientAssertion(certificate, appId, sandbox.TokenEndpoint(Contoso), now.AddHours(-2), now.AddHours(-1));

        using var response = await sandbox.PostTokenRequestAsync(Contoso, sandbox.ClientCredentialsForm(Contoso, expired));

        await AssertAadErrorAsync(response, 401, "invalid_client", 700024);
    }

    [Theory]
    [InlineData("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token")]
    [InlineData("{root}/fabrikam.onmicrosoft.com/oauth2/v2.0/token")]
    [InlineData("{root}/contoso.onmicrosoft.com/oauth2/token")]
    public async Task Assertion_for_another_audience_is_refused_with_AADSTS700023(string audience)
    {
        using var certificate = sandbox.AppCertificate(Contoso);
        var appId = sandbox.Tenant(Contoso).AppId.ToString();
        var assertion = Tokens.ClientAssertion(certificate, appId, audience.Replace("{root}", sandbox.ConnectionUri));

        using var response = await sandbox.PostTokenRequestAsync(Contoso, sandbox.ClientCredentialsForm(Contoso, assertion));

        await AssertAadErrorAsync(response, 401, "invalid_client", 700023);
    }

    [Fact]
    public async Task Assertion_issued_by_another_client_is_refused_with_AADSTS700021()
    {
        using var certificate = sandbox.AppCertificate(Contoso);
        var assertion = Tokens.ClientAssertion(certificate, Guid.NewGuid().ToString(), sandbox.TokenEndpoint(Contoso));

        using var response = await sandbox.PostTokenRequestAsync(Contoso, sandbox.ClientCredentialsForm(Contoso, assertion));

        await AssertAadErrorAsync(response, 401, "invalid_client", 700021);
    }

    [Fact]
    public async Task Other_grant_types_are_refused_with_AADSTS70003()
    {
        var form = sandbox.ClientCredentialsForm(Contoso);
        form["grant_type"] = "urn:ietf:params:oauth:grant-type:jwt-bearer"; // on-behalf-of: not served
        using var response = await sandbox.PostTokenRequestAsync(Contoso, form);
        await AssertAadErrorAsync(response, 400, "unsupported_grant_type", 70003);
    }

    [Fact]
    public async Task Request_without_a_credential_is_refused_with_AADSTS7000218()
    {
        var form = sandbox.ClientCredentialsForm(Contoso);
        form.Remove("client_assertion");
        using var response = await sandbox.PostTokenRequestAsync(Contoso, form);
        await AssertAadErrorAsync(response, 401, "invalid_client", 7000218);
    }

    [Fact]
    public async Task Scope_without_default_suffix_is_refused_with_AADSTS1002012()
    {
        var form = sandbox.ClientCredentialsForm(Contoso);
        form["scope"] = sandbox.ConnectionUri + "/Exchange.Manage";
        using var response = await sandbox.PostTokenRequestAsync(Contoso, form);
        await AssertAadErrorAsync(response, 400, "invalid_scope", 1002012);
    }

    [Fact]
    public async Task Discovery_for_organizations_publishes_the_issuer_template()
    {
        var document = await (await sandbox.Http.GetAsync($"{sandbox.ConnectionUri}/ORGANIZATIONS/v2.0/.well-known/openid-configuration")).JsonAsync();

        Assert.Equal($"{sandbox.ConnectionUri}/{{tenantid}}/v2.0", document.GetProperty("issuer").GetString());
        Assert.Equal($"{sandbox.ConnectionUri}/organizations/oauth2/v2.0/token", document.GetProperty("token_endpoint").GetString());
    }

    [Fact]
    public async Task Discovery_of_an_unknown_tenant_is_refused_with_AADSTS90002()
    {
        using var response = await sandbox.Http.GetAsync($"{sandbox.ConnectionUri}/nowhere.onmicrosoft.com/v2.0/.well-known/openid-configuration");
        await AssertAadErrorAsync(response, 400, "invalid_request", 90002);
    }

    /// <summary>Entra's error shape: code in error_codes and as the "AADSTSnnn:" prefix, then trace and correlation ids and a timestamp.</summary>
    private static async Task AssertAadErrorAsync(HttpResponseMessage response, int status, string error, int code)
    {
        var body = await response.JsonAsync(status);
        Assert.Equal(error, body.GetProperty("error").GetString());
        Assert.Equal([code], body.GetProperty("error_codes").EnumerateArray().Select(e => e.GetInt32()));
        var description = body.GetProperty("error_description").GetString()!;
        Assert.StartsWith($"AADSTS{code}: ", description);
        var traceId = body.GetProperty("trace_id").GetGuid();
        var correlationId = body.GetProperty("correlation_id").GetGuid();
        Assert.Contains($"\r\nTrace ID: {traceId}\r\nCorrelation ID: {correlationId}\r\nTimestamp: {body.GetProperty("timestamp").GetString()}", description);
        Assert.Equal(JsonValueKind.String, body.GetProperty("timestamp").ValueKind);
    }
}
