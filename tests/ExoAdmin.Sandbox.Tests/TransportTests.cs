using System.Net;
using System.Security.Authentication;
using ExoAdmin.Sandbox.Hosting;
using ExoAdmin.Sandbox.Tests.Infrastructure;
using Microsoft.Identity.Client;

namespace ExoAdmin.Sandbox.Tests;

/// <summary>TLS, protocol versions and the MSAL client against the in-process sandbox.</summary>
[Collection(SharedSandbox.Name)]
public sealed class TransportTests(SharedSandbox.Fixture shared)
{
    private readonly SandboxFixture sandbox = shared.For(typeof(TransportTests));

    private string KeysUrl => $"{sandbox.ConnectionUri}/common/discovery/v2.0/keys";

    [Fact]
    public async Task Clients_that_do_not_trust_the_sandbox_CA_cannot_connect()
    {
        using var untrusting = new HttpClient();
        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => untrusting.GetAsync(KeysUrl));
        Assert.IsType<AuthenticationException>(failure.InnerException);
    }

    [Fact]
    public async Task Certificate_is_valid_for_localhost_too()
    {
        using var response = await sandbox.Http.GetAsync(KeysUrl.Replace("127.0.0.1", "localhost"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 0)]
    public async Task Serves_http_1_1_and_http_2(int major, int minor)
    {
        var version = new Version(major, minor);
        using var http = TrustedHttp.CreateClient(sandbox.Authority, version);
        using var response = await http.GetAsync(KeysUrl);
        Assert.Equal(version, response.Version);
    }

    [Fact]
    public async Task Msal_confidential_client_with_the_app_certificate_gets_a_token_the_Exchange_side_accepts()
    {
        var tenant = sandbox.Tenant(SandboxFixture.Contoso);
        using var certificate = sandbox.AppCertificate(SandboxFixture.Contoso);
        var app = ConfidentialClientApplicationBuilder.Create(tenant.AppId.ToString())
            .WithCertificate(certificate)
            .WithAuthority($"{sandbox.ConnectionUri}/{tenant.Organization}")
            .WithInstanceDiscovery(false)
            .WithHttpClientFactory(new TrustingHttpClientFactory(sandbox.Authority))
            .Build();

        var result = await app.AcquireTokenForClient([sandbox.ConnectionUri + "/.default"]).ExecuteAsync();

        Assert.Equal(tenant.TenantId.ToString(), new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(result.AccessToken).GetClaim("tid").Value);
        Assert.True(result.ExpiresOn > DateTimeOffset.UtcNow.AddMinutes(50));
        using var response = await sandbox.GetAsync(sandbox.AdminApi(tenant.Organization) + "/basicinfo('AdminApiState')", result.AccessToken);
        Assert.Equal("Running", (await response.JsonAsync()).GetProperty("PropertyValue").GetString());
    }

    private sealed class TrustingHttpClientFactory(System.Security.Cryptography.X509Certificates.X509Certificate2 authority) : IMsalHttpClientFactory
    {
        private readonly HttpClient _client = TrustedHttp.CreateClient(authority);

        public HttpClient GetHttpClient() => _client;
    }
}

/// <summary>--latency-ms delays the Exchange side only.</summary>
public sealed class LatencyTests(LatencyTests.SlowSandboxFixture sandbox) : IClassFixture<LatencyTests.SlowSandboxFixture>
{
    private const int LatencyMs = 1000;

    [Fact]
    public async Task Exchange_responses_wait_the_configured_latency_and_Entra_responses_do_not()
    {
        var token = await sandbox.AccessTokenAsync(SandboxFixture.Contoso); // also opens the connection
        var ping = sandbox.AdminApi(SandboxFixture.Contoso) + "/basicinfo('AdminApiState')";

        // Minimums over a few tries: every Exchange response waits, and Entra ones need not (even on a busy machine). The
        // Exchange tries go at once (each waits its own delay), so they take one latency rather than three.
        var entra = await FastestAsync(() => sandbox.Http.GetAsync($"{sandbox.ConnectionUri}/common/discovery/v2.0/keys"));
        var exchangeTries = Task.WhenAll(Enumerable.Range(0, 3).Select(_ => TimeAsync(() => sandbox.GetAsync(ping, token))));
        var exchangeErrorTries = Task.WhenAll(Enumerable.Range(0, 3).Select(_ => TimeAsync(() => sandbox.GetAsync(ping, null))));
        var exchange = (await exchangeTries).Min();
        var exchangeError = (await exchangeErrorTries).Min();

        // Timers tick in milliseconds, so a delay may end a hair before the stopwatch says it should.
        var atLeast = TimeSpan.FromMilliseconds(LatencyMs - 20);
        Assert.True(exchange >= atLeast, $"Exchange took {exchange}");
        Assert.True(exchangeError >= atLeast, $"Exchange error took {exchangeError}");
        Assert.True(entra < TimeSpan.FromMilliseconds(LatencyMs), $"Entra took {entra}");
    }

    private static async Task<TimeSpan> FastestAsync(Func<Task<HttpResponseMessage>> request)
    {
        var fastest = TimeSpan.MaxValue;
        for (var i = 0; i < 3; i++)
        {
            var elapsed = await TimeAsync(request);
            fastest = elapsed < fastest ? elapsed : fastest;
        }

        return fastest;
    }

    private static async Task<TimeSpan> TimeAsync(Func<Task<HttpResponseMessage>> request)
    {
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        using var response = await request();
        await response.Content.ReadAsByteArrayAsync();
        return stopwatch.Elapsed;
    }

    public sealed class SlowSandboxFixture : SandboxFixture
    {
        internal override SandboxOptions Options => base.Options with { LatencyMs = LatencyMs };
    }
}
