using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using ExoAdmin.Sandbox.Hosting;

namespace ExoAdmin.Sandbox.Tests.Infrastructure;

/// <summary>
/// A sandbox running in-process on a free port with two tenants, reached over real HTTPS by a client that
/// trusts only the sandbox CA. Tests also reach inside (the signing key) to mint tokens of any shape.
/// </summary>
public class SandboxFixture : IAsyncLifetime
{
    public const string Contoso = "contoso.onmicrosoft.com";
    public const string Fabrikam = "fabrikam.onmicrosoft.com";
    public const int MailboxCount = 53;

    private static readonly Lazy<string> TestCaDirectory = new(() =>
    {
        var directory = Directory.CreateTempSubdirectory("exoadmin-sandbox-tests-ca-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(directory, recursive: true);
        return directory;
    });

    private readonly Dictionary<string, string> _tokens = new();

    internal SandboxServer Server { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public X509Certificate2 Authority { get; private set; } = null!;

    public string ConnectionUri => Server.Ready.ConnectionUri;

    internal virtual SandboxOptions Options => new() { Tenants = [Contoso, Fabrikam], MailboxesPerTenant = MailboxCount };

    /// <summary>The sandbox's clock (next links, rate windows); a fixture that moves time overrides it with a fake.</summary>
    internal virtual TimeProvider Time => TimeProvider.System;

    public async Task InitializeAsync()
    {
        // The test process's CA folder unless the class keeps its own: one CA, and one set of keys, for every sandbox the
        // tests start, as the Pester run has, instead of making six 2048-bit keys for each.
        var options = Options;
        Server = await SandboxServer.StartAsync(options with { CaDirectory = options.CaDirectory ?? TestCaDirectory.Value }, time: Time);
        Authority = X509CertificateLoader.LoadCertificateFromFile(Server.Ready.CaCertificatePath);
        Http = TrustedHttp.CreateClient(Authority);
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        Authority.Dispose();
        await Server.DisposeAsync();
    }

    internal TenantReadyInfo Tenant(string domain) => Server.Ready.Tenants.Single(t => t.Organization == domain);

    /// <summary>The tenant's app certificate with its private key, from the PFX the sandbox handed out.</summary>
    public X509Certificate2 AppCertificate(string domain)
    {
        var tenant = Tenant(domain);
        return X509CertificateLoader.LoadPkcs12FromFile(tenant.CertificatePath, tenant.CertificatePassword);
    }

    public string TokenEndpoint(string tenantSegment) => $"{ConnectionUri}/{tenantSegment}/oauth2/v2.0/token";

    public string AdminApi(string tenantSegment, string version = "beta") => $"{ConnectionUri}/adminapi/{version}/{tenantSegment}";

    /// <summary>The client-credentials form MSAL posts, with a valid assertion unless the caller overrides fields.</summary>
    public Dictionary<string, string> ClientCredentialsForm(string domain, string? assertion = null)
    {
        var tenant = Tenant(domain);
        using var certificate = AppCertificate(domain);
        return new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = tenant.AppId.ToString(),
            ["scope"] = ConnectionUri + "/.default",
            ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ["client_assertion"] = assertion ?? Tokens.ClientAssertion(certificate, tenant.AppId.ToString(), TokenEndpoint(domain)),
            ["client_info"] = "1",
        };
    }

    public Task<HttpResponseMessage> PostTokenRequestAsync(string tenantSegment, IDictionary<string, string> form) =>
        Http.PostAsync(TokenEndpoint(tenantSegment), new FormUrlEncodedContent(form));

    /// <summary>A valid access token for the tenant, obtained through the token endpoint.</summary>
    public async Task<string> AccessTokenAsync(string domain)
    {
        if (!_tokens.TryGetValue(domain, out var token))
        {
            using var response = await PostTokenRequestAsync(domain, ClientCredentialsForm(domain));
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, body);
            token = JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
            _tokens[domain] = token;
        }

        return token;
    }

    public async Task<HttpResponseMessage> GetAsync(string url, string? token, string? prefer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        return await SendAsync(request, token, prefer);
    }

    public async Task<HttpResponseMessage> PostJsonAsync(string url, string? token, string json, string? prefer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-ResponseFormat", "json");
        return await SendAsync(request, token, prefer);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string? token, string? prefer)
    {
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (prefer is not null)
        {
            request.Headers.TryAddWithoutValidation("Prefer", prefer);
        }

        return await Http.SendAsync(request);
    }
}

/// <summary>Reads a JSON response body, failing the test with the body when the status differs.</summary>
internal static class ResponseExtensions
{
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response, int expectedStatus = 200)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == expectedStatus, $"Expected {expectedStatus}, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
