using System.Management.Automation;
using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using ExoAdmin.Engine.Errors;
using ExoAdmin.Engine.Http.Transport;
using ExoAdmin.Engine.Tests.Hostile;
using Microsoft.AspNetCore.Http;

namespace ExoAdmin.Engine.Tests;

/// <summary>
/// EXOADMIN_SANDBOX_CA_FILE: a sandbox's CA is trusted for loopback hosts only, through custom root trust (no
/// validation callback), with the host name still checked; a file that is not a CA certificate is a clear error.
/// </summary>
public class SandboxTrustTests
{
    private static async Task<HttpStatusCode> GetAsync(HttpMessageHandler transport, Uri uri)
    {
        using var client = new HttpClient(transport);
        using var response = await client.GetAsync(uri);
        return response.StatusCode;
    }

    [Fact]
    public async Task A_loopback_server_signed_by_the_sandbox_CA_is_refused_without_the_trust_and_accepted_with_it()
    {
        await using var server = await LoopbackServer.StartAsync(context => context.Response.WriteAsync("{}"));

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => GetAsync(HttpTransport.Create(null), server.Root));
        Assert.IsType<AuthenticationException>(refused.InnerException);

        Assert.Equal(HttpStatusCode.OK, await GetAsync(HttpTransport.Create(TestCertificates.Trust), server.Root));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(HttpTransport.Create(TestCertificates.Trust), new Uri($"https://localhost:{server.Root.Port}/")));
    }

    [Fact]
    public async Task The_host_name_is_still_checked_under_the_sandbox_CA()
    {
        // Signed by the trusted CA, but for another name: refused as any name mismatch is.
        await using var server = await LoopbackServer.StartAsync(context => context.Response.WriteAsync("{}"), certificate: TestCertificates.Server("exo.sandbox.test"));

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => GetAsync(HttpTransport.Create(TestCertificates.Trust), server.Root));
        Assert.IsType<AuthenticationException>(refused.InnerException);
    }

    [Theory]
    [InlineData("https://localhost:8443/adminapi", true)]
    [InlineData("https://127.0.0.1/", true)]
    [InlineData("https://127.8.9.10:4443/", true)]
    [InlineData("https://[::1]:4443/", true)]
    [InlineData("https://outlook.office365.com/adminapi/beta", false)]
    [InlineData("https://login.microsoftonline.com/organizations", false)]
    [InlineData("https://localhost.contoso.com/", false)]
    [InlineData("https://10.0.0.1/", false)]
    [InlineData("http://169.254.169.254/metadata/identity/oauth2/token", false)]
    public async Task Only_loopback_hosts_are_validated_against_the_sandbox_CA(string url, bool loopback)
    {
        var factory = new RecordingFactory();
        using var transport = HttpTransport.Create(TestCertificates.Trust, factory);

        await GetAsync(transport, new Uri(url));

        var used = Assert.Single(factory.Handlers, h => h.Requests > 0);
        Assert.Equal(loopback, used.Roots is not null);
        if (loopback)
        {
            Assert.Equal(TestCertificates.Authority.Thumbprint, Assert.Single(used.Roots!.Cast<X509Certificate2>()).Thumbprint);
        }
    }

    [Fact]
    public void Without_the_variable_nothing_changes()
    {
        var factory = new RecordingFactory();

        using var transport = HttpTransport.Create(null, factory);

        Assert.Null(Assert.Single(factory.Handlers).Roots);
    }

    [Fact]
    public void A_file_that_is_not_a_CA_certificate_is_a_clear_error_naming_it()
    {
        var leaf = TestCertificates.NonAuthorityFile();
        var missing = Path.Combine(Path.GetTempPath(), "no-such-ca.pem");
        var notPem = Path.GetTempFileName();
        File.WriteAllText(notPem, "not a certificate");

        foreach (var (path, says) in new[] { (leaf, "is not a CA certificate"), (missing, "could not be read"), (notPem, "holds no PEM certificate") })
        {
            var error = Assert.Throws<ExoException>(() => SandboxTrust.Load(path));
            Assert.Equal("SandboxCaFileInvalid", error.ErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.Category);
            Assert.Equal(path, error.Target);
            Assert.Contains(says, error.Message);
            Assert.StartsWith($"EXOADMIN_SANDBOX_CA_FILE names '{path}', but ", error.Message);
        }
    }

    [Fact]
    public void Where_custom_trust_cannot_work_the_error_says_so_instead_of_trusting_anything()
    {
        var error = Assert.Throws<ExoException>(() => HttpTransport.Create(TestCertificates.Trust, modern: null));

        Assert.Equal("SandboxTrustNotSupported", error.ErrorId);
        Assert.Contains("needs PowerShell 7", error.Message);
    }

    [Fact]
    public void Verbose_names_the_CA_and_says_only_loopback_hosts_trust_it()
    {
        var text = TestCertificates.Trust.Describe();

        Assert.Contains(TestCertificates.Authority.Thumbprint, text);
        Assert.Contains("loopback hosts (localhost, 127.0.0.0/8, ::1) trust only the CA", text);
        Assert.Contains(TestCertificates.AuthorityFile, text);
    }

    /// <summary>Hands out fake handlers and records which trust each was made with and whether it was used.</summary>
    private sealed class RecordingFactory : ITransportFactory
    {
        public List<FakeHandler> Handlers { get; } = new();

        public HttpMessageHandler Create(X509Certificate2Collection? trustedRoots)
        {
            var handler = new FakeHandler(trustedRoots);
            Handlers.Add(handler);
            return handler;
        }
    }

    private sealed class FakeHandler(X509Certificate2Collection? roots) : HttpMessageHandler
    {
        public X509Certificate2Collection? Roots { get; } = roots;

        public int Requests { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests++;
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
        }
    }
}
