using System.Net.Sockets;
using System.Text.Json;
using ExoAdmin.Sandbox.Hosting;
using ExoAdmin.Sandbox.Identity;
using ExoAdmin.Sandbox.Tests.Infrastructure;
using Microsoft.Identity.Client;
using Microsoft.IdentityModel.JsonWebTokens;

namespace ExoAdmin.Sandbox.Tests;

/// <summary>A sandbox that also answers as login.microsoftonline.com (--instance-discovery).</summary>
public sealed class InstanceDiscoveryFixture : SandboxFixture
{
    internal override SandboxOptions Options => base.Options with { InstanceDiscovery = true };

    public int Port => new Uri(ConnectionUri).Port;

    /// <summary>
    /// What a hosts-file line does for a whole machine, done inside this process only: connections to
    /// login.microsoftonline.com reach the sandbox's port; every other name is refused, so nothing leaves the machine.
    /// TLS is still validated against the sandbox CA and the name (the server certificate must carry it).
    /// </summary>
    public HttpClient MappedClient() => new(MappedHandler());

    private SocketsHttpHandler MappedHandler()
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectCallback = async (context, cancellationToken) =>
            {
                if (!context.DnsEndPoint.Host.Equals(SandboxUrls.LoginHost, StringComparison.OrdinalIgnoreCase))
                {
                    throw new HttpRequestException($"The test maps only {SandboxUrls.LoginHost}, not {context.DnsEndPoint.Host}.");
                }

                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(System.Net.IPAddress.Loopback, Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => TrustedHttp.ChainsTo(Authority, certificate, errors);
        return handler;
    }

    /// <summary>Every request the MSAL clients of these tests sent, with the status of its answer.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<(Uri Uri, int Status)> MsalRequests { get; } = new();

    /// <summary>The mapped client for MSAL, recording what MSAL sends (MSAL keeps instance metadata for the whole process).</summary>
    public IMsalHttpClientFactory MsalHttp() => new RecordingFactory(new HttpClient(new Recorder(this) { InnerHandler = MappedHandler() }));

    private sealed class RecordingFactory(HttpClient client) : IMsalHttpClientFactory
    {
        public HttpClient GetHttpClient() => client;
    }

    private sealed class Recorder(InstanceDiscoveryFixture fixture) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            fixture.MsalRequests.Enqueue((request.RequestUri!, (int)response.StatusCode));
            return response;
        }
    }
}

/// <summary>
/// MSAL clients that are not told to skip instance discovery (§18.5) sign in to the sandbox in its discovery mode, by
/// the name login.microsoftonline.com, as a rehearsal with any MSAL client would after a hosts-file mapping.
/// </summary>
public sealed class InstanceDiscoveryTests(InstanceDiscoveryFixture sandbox) : IClassFixture<InstanceDiscoveryFixture>
{
    private const string Contoso = SandboxFixture.Contoso;
    private const string Login = "https://" + SandboxUrls.LoginHost;

    [Fact]
    public async Task A_standard_confidential_client_discovers_the_instance_then_signs_in_with_the_app_certificate()
    {
        var tenant = sandbox.Tenant(Contoso);
        using var certificate = sandbox.AppCertificate(Contoso);
        var tokenRequests = await CountAsync($"POST /{tenant.Organization}/oauth2/v2.0/token");
        var app = ConfidentialClientApplicationBuilder.Create(tenant.AppId.ToString())
            .WithCertificate(certificate)
            .WithAuthority($"{Login}/{tenant.Organization}")
            .WithHttpClientFactory(sandbox.MsalHttp())
            .Build();

        var result = await app.AcquireTokenForClient([sandbox.ConnectionUri + "/.default"]).ExecuteAsync();

        // MSAL keeps instance metadata for the whole process: the first sign-in of these tests is the one that asked.
        Assert.Contains(sandbox.MsalRequests, r => r.Uri.Host == SandboxUrls.LoginHost && r.Uri.AbsolutePath == "/common/discovery/instance" && r.Status == 200);
        Assert.Equal(tokenRequests + 1, await CountAsync($"POST /{tenant.Organization}/oauth2/v2.0/token"));
        var token = new JsonWebToken(result.AccessToken);
        Assert.Equal($"{Login}/{tenant.TenantId}/v2.0", token.Issuer);
        using var ping = await sandbox.GetAsync(sandbox.AdminApi(tenant.Organization) + "/basicinfo('AdminApiState')", result.AccessToken);
        Assert.Equal("Running", (await ping.JsonAsync()).GetProperty("PropertyValue").GetString());
    }

    [Fact]
    public async Task A_public_client_signs_a_user_in_by_device_code_on_the_login_host()
    {
        var legacy = sandbox.Server.Ready.Tenants.Single(t => t.Organization == Contoso).Users.Single(u => u.UserPrincipalName.StartsWith("legacy@", StringComparison.Ordinal));
        using var http = sandbox.MappedClient();
        var app = PublicClientApplicationBuilder.Create(SignInPages.ExchangePowerShellClientId)
            .WithAuthority($"{Login}/organizations")
            .WithHttpClientFactory(sandbox.MsalHttp())
            .Build();

        var result = await app.AcquireTokenWithDeviceCode([sandbox.ConnectionUri + "/.default"], async device =>
        {
            // The person at the browser: the verification page is on the login host too.
            Assert.Equal($"{Login}/devicelogin", device.VerificationUrl);
            using var code = await http.PostAsync(device.VerificationUrl, new FormUrlEncodedContent(new Dictionary<string, string> { ["otc"] = device.UserCode }));
            var flow = System.Text.RegularExpressions.Regex.Match(await code.Content.ReadAsStringAsync(), "name=\"flow\" value=\"([^\"]+)\"").Groups[1].Value;
            using var signIn = await http.PostAsync($"{Login}/signin", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["flow"] = flow, ["login"] = legacy.UserPrincipalName, ["passwd"] = legacy.Password,
            }));
            Assert.True(signIn.IsSuccessStatusCode, await signIn.Content.ReadAsStringAsync());
        }).ExecuteAsync();

        Assert.Equal(legacy.UserPrincipalName, result.Account.Username);
        using var ping = await sandbox.GetAsync(sandbox.AdminApi(Contoso) + "/basicinfo('AdminApiState')", result.AccessToken);
        Assert.Equal(200, (int)ping.StatusCode);
    }

    [Fact]
    public async Task A_public_client_signs_a_user_in_with_a_password_after_asking_the_login_host_for_the_users_realm()
    {
        var legacy = sandbox.Server.Ready.Tenants.Single(t => t.Organization == Contoso).Users.Single(u => u.UserPrincipalName.StartsWith("legacy@", StringComparison.Ordinal));
        var realmRequests = await CountAsync($"GET /common/userrealm/{legacy.UserPrincipalName}");
        var app = PublicClientApplicationBuilder.Create(SignInPages.ExchangePowerShellClientId)
            .WithAuthority($"{Login}/organizations")
            .WithHttpClientFactory(sandbox.MsalHttp())
            .Build();

#pragma warning disable CS0618 // ROPC is what -Credential does; MSAL marks it as discouraged, which it is
        var result = await app.AcquireTokenByUsernamePassword([sandbox.ConnectionUri + "/.default"], legacy.UserPrincipalName, legacy.Password).ExecuteAsync();
#pragma warning restore CS0618

        Assert.Equal(legacy.UserPrincipalName, result.Account.Username);
        Assert.Equal(realmRequests + 1, await CountAsync($"GET /common/userrealm/{legacy.UserPrincipalName}"));
    }

    [Fact]
    public async Task Discovery_names_the_sandbox_host_as_its_own_alias_and_refuses_hosts_it_does_not_serve()
    {
        using var http = sandbox.MappedClient();
        var known = $"{Login}/common/discovery/instance?api-version=1.1&authorization_endpoint={Uri.EscapeDataString(Login + "/contoso.onmicrosoft.com/oauth2/v2.0/authorize")}";
        using var answer = await http.GetAsync(known);
        var body = await answer.JsonAsync();
        Assert.Equal($"{Login}/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration", body.GetProperty("tenant_discovery_endpoint").GetString());
        var metadata = body.GetProperty("metadata").EnumerateArray().Single();
        Assert.Equal(SandboxUrls.LoginHost, metadata.GetProperty("preferred_network").GetString());
        Assert.Equal([SandboxUrls.LoginHost], metadata.GetProperty("aliases").EnumerateArray().Select(a => a.GetString()));

        var unknown = $"{Login}/common/discovery/instance?api-version=1.1&authorization_endpoint={Uri.EscapeDataString("https://login.example.org/x/oauth2/v2.0/authorize")}";
        using var refused = await http.GetAsync(unknown);
        Assert.Equal("invalid_instance", (await refused.JsonAsync(400)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task The_login_host_serves_sign_in_and_nothing_of_Exchange()
    {
        using var http = sandbox.MappedClient();
        using var exchange = await http.GetAsync($"{Login}/adminapi/beta/{Contoso}/Mailbox");
        Assert.Equal(404, (int)exchange.StatusCode);

        using var openId = await http.GetAsync($"{Login}/{Contoso}/v2.0/.well-known/openid-configuration");
        var configuration = await openId.JsonAsync();
        Assert.Equal($"{Login}/{sandbox.Tenant(Contoso).TenantId}/oauth2/v2.0/token", configuration.GetProperty("token_endpoint").GetString());
    }

    /// <summary>How many requests of one shape the sandbox has answered so far (its stats).</summary>
    private async Task<int> CountAsync(string shape) =>
        (await sandbox.StatsAsync()).GetProperty("requests").TryGetProperty(shape, out var count) ? count.GetInt32() : 0;

    [Fact]
    public void The_ready_line_gives_the_authority_and_the_hosts_entry()
    {
        var discovery = sandbox.Server.Ready.InstanceDiscovery!;
        Assert.Equal($"{Login}/organizations", discovery.AzureADAuthorizationEndpointUri);
        Assert.Equal($"127.0.0.1 {SandboxUrls.LoginHost}", discovery.HostsEntry);
        Assert.Contains("\"instanceDiscovery\":{", sandbox.Server.Ready.ToJsonLine(), StringComparison.Ordinal);
    }
}
