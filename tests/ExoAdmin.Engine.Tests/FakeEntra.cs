using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Identity.Client;

namespace ExoAdmin.Engine.Tests;

/// <summary>An Entra token endpoint in memory: every token request gets a new token (and a refresh token for users).</summary>
internal sealed class FakeEntra : HttpMessageHandler, IMsalHttpClientFactory
{
    public static readonly Uri Authority = new("https://login.test/contoso.test");

    /// <summary>The grant type of every token request, in order.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Grants { get; } = new();

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
        Grants.Enqueue(System.Web.HttpUtility.ParseQueryString(form)["grant_type"] ?? string.Empty);
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

    /// <summary>An unsigned JWT with the given claims (clients read tokens, they do not verify them).</summary>
    public static string Jwt(object payload) =>
        $"{Base64Url(Encoding.UTF8.GetBytes("{\"alg\":\"none\",\"typ\":\"JWT\"}"))}.{Base64Url(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(payload))}.sig";

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>A throwaway app certificate with its key, as -CertificateFilePath would give.</summary>
    public static X509Certificate2 AppCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=exoadmin-test-app", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }
}
