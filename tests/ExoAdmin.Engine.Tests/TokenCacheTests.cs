using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using ExoAdmin.Engine.Auth;
using Microsoft.Identity.Client;

namespace ExoAdmin.Engine.Tests;

/// <summary>Disconnect-ExchangeOnline (ITokenProvider.Forget) leaves no token and no MSAL cache entry behind.</summary>
public class TokenCacheTests
{
    private static readonly Uri Authority = new("https://login.test/contoso.test");

    /// <summary>An Entra token endpoint in memory: every token request gets a new token (and a refresh token for users).</summary>
    private sealed class FakeEntra : HttpMessageHandler, IMsalHttpClientFactory
    {
        public int TokenRequests { get; private set; }

        public HttpClient GetHttpClient() => new(this, disposeHandler: false);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.AbsolutePath.Contains("/userrealm/", StringComparison.Ordinal))
            {
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
                {
                    Content = new StringContent("{\"ver\":\"1.0\",\"account_type\":\"Managed\",\"domain_name\":\"contoso.test\"}", Encoding.UTF8, "application/json"),
                });
            }

            if (!request.RequestUri!.AbsolutePath.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal))
            {
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound));
            }

            TokenRequests++;
            var form = request.Content!.ReadAsStringAsync(cancellationToken).GetAwaiter().GetResult();
            if (form.Contains("grant_type=client_credentials", StringComparison.Ordinal))
            {
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
                {
                    Content = new StringContent($"{{\"token_type\":\"Bearer\",\"expires_in\":3600,\"access_token\":\"{Jwt(new { tid = "tid", n = TokenRequests })}\"}}", Encoding.UTF8, "application/json"),
                });
            }

            var idToken = Jwt(new { aud = "client", iss = "https://login.test/tid/v2.0", tid = "tid", oid = "oid-1", sub = "sub-1", preferred_username = "admin@contoso.test", exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds() });
            var clientInfo = Base64Url(Encoding.UTF8.GetBytes("{\"uid\":\"oid-1\",\"utid\":\"tid\"}"));
            var body = $"{{\"token_type\":\"Bearer\",\"expires_in\":3600,\"ext_expires_in\":3600,\"access_token\":\"{Jwt(new { tid = "tid", n = TokenRequests })}\",\"refresh_token\":\"refresh-secret-{TokenRequests}\",\"id_token\":\"{idToken}\",\"client_info\":\"{clientInfo}\",\"scope\":\"https://exo.test/.default\"}}";
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
        }

        private static string Jwt(object payload) =>
            $"{Base64Url(Encoding.UTF8.GetBytes("{\"alg\":\"none\",\"typ\":\"JWT\"}"))}.{Base64Url(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(payload))}.sig";

        private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private static X509Certificate2 AppCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=exoadmin-test-app", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    [Fact]
    public async Task An_app_only_connection_forgets_its_token_and_its_MSAL_cache()
    {
        var entra = new FakeEntra();
        var provider = new MsalClientCredentialTokenProvider("app-id", AppCertificate(), Authority, "https://exo.test", entra);

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
        var provider = new MsalClientCredentialTokenProvider("app-id", AppCertificate(), Authority, "https://exo.test", entra);
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
