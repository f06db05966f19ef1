using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using ExoAdmin.Sandbox.Hosting;
using ExoAdmin.Sandbox.Tests.Infrastructure;

namespace ExoAdmin.Sandbox.Tests;

/// <summary>
/// The command-line contract: the ready line, stopping, the CA folder and the export command. They start the sandbox as
/// a process, so they belong to the E2E tier (the Process trait), not to the in-process Sandbox tier.
/// </summary>
[Trait("Category", "Process")]
public sealed class ProcessContractTests
{
    [Fact]
    public async Task Ready_line_is_the_only_output_and_describes_a_working_sandbox()
    {
        await using var sandbox = await SandboxProcess.StartAsync("--port", "0", "--tenant", "contoso.onmicrosoft.com", "--tenant", "fabrikam.onmicrosoft.com", "--mailboxes", "7", "--seed", "3");
        var ready = sandbox.Ready;

        Assert.Equal(["connectionUri", "azureADAuthorizationEndpointUri", "caCertificatePath", "tenants", "complianceConnectionUri", "managedIdentity", "control"], ready.EnumerateObject().Select(p => p.Name));
        Assert.Matches(@"^https://127\.0\.0\.1:\d+$", ready.GetProperty("complianceConnectionUri").GetString());
        var managedIdentity = ready.GetProperty("managedIdentity");
        Assert.Equal(ready.GetProperty("connectionUri").GetString() + "/msi/token", managedIdentity.GetProperty("identityEndpoint").GetString());
        Assert.Equal(32, managedIdentity.GetProperty("identityHeader").GetString()!.Length);
        var connectionUri = ready.GetProperty("connectionUri").GetString()!;
        Assert.Matches(@"^https://127\.0\.0\.1:\d+$", connectionUri);
        Assert.Equal(connectionUri + "/organizations", ready.GetProperty("azureADAuthorizationEndpointUri").GetString());
        var caPath = ready.GetProperty("caCertificatePath").GetString()!;
        Assert.EndsWith("ca.pem", caPath);
        using var authority = X509CertificateLoader.LoadCertificateFromFile(caPath);

        var tenants = ready.GetProperty("tenants").EnumerateArray().ToArray();
        Assert.Equal(["contoso.onmicrosoft.com", "fabrikam.onmicrosoft.com"], tenants.Select(t => t.GetProperty("organization").GetString()));
        foreach (var tenant in tenants)
        {
            Assert.Equal(["organization", "tenantId", "appId", "certificatePath", "certificatePassword", "mailboxCount", "managedIdentityClientId", "users"], tenant.EnumerateObject().Select(p => p.Name));
            var domain = tenant.GetProperty("organization").GetString();
            var users = tenant.GetProperty("users").EnumerateArray().ToArray();
            Assert.Equal([$"admin@{domain}", $"legacy@{domain}", $"helpdesk@{domain}"], users.Select(u => u.GetProperty("userPrincipalName").GetString()));
            Assert.Matches("^[A-Z2-7]{32}$", users[0].GetProperty("mfaSecret").GetString());
            Assert.Equal(JsonValueKind.Null, users[1].GetProperty("mfaSecret").ValueKind);
            Assert.Equal(["Exchange Administrator"], users[0].GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
            Assert.Empty(users[2].GetProperty("roles").EnumerateArray());
            Assert.Equal(7, tenant.GetProperty("mailboxCount").GetInt32());
            Assert.NotEqual(Guid.Empty, tenant.GetProperty("tenantId").GetGuid());
            Assert.NotEqual(Guid.Empty, tenant.GetProperty("appId").GetGuid());
            using var appCertificate = X509CertificateLoader.LoadPkcs12FromFile(tenant.GetProperty("certificatePath").GetString()!, tenant.GetProperty("certificatePassword").GetString());
            Assert.True(appCertificate.HasPrivateKey);
            Assert.Equal(2048, appCertificate.GetRSAPrivateKey()!.KeySize);
            Assert.Throws<CryptographicException>(() => X509CertificateLoader.LoadPkcs12FromFile(tenant.GetProperty("certificatePath").GetString()!, "wrong password"));
        }

        // The announced endpoint answers over TLS that chains to the announced CA.
        using var http = TrustedHttp.CreateClient(authority);
        using var response = await http.GetAsync($"{connectionUri}/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var runDirectory = Path.GetDirectoryName(caPath)!;
        var (exitCode, remainingStdout) = await sandbox.StopAsync();
        Assert.Equal(0, exitCode);
        Assert.Equal(string.Empty, remainingStdout);
        Assert.False(Directory.Exists(runDirectory), "the run's temporary folder is deleted on exit");
    }

    [Fact]
    public async Task Tenant_and_app_ids_are_the_same_on_every_run()
    {
        await using var first = await SandboxProcess.StartAsync("--tenant", "stable.onmicrosoft.com", "--mailboxes", "0");
        await using var second = await SandboxProcess.StartAsync("--tenant", "stable.onmicrosoft.com", "--mailboxes", "0", "--seed", "9");

        var a = first.Ready.GetProperty("tenants")[0];
        var b = second.Ready.GetProperty("tenants")[0];
        Assert.Equal(a.GetProperty("tenantId").GetGuid(), b.GetProperty("tenantId").GetGuid());
        Assert.Equal(a.GetProperty("appId").GetGuid(), b.GetProperty("appId").GetGuid());
        Assert.NotEqual(a.GetProperty("certificatePassword").GetString(), b.GetProperty("certificatePassword").GetString());
        Assert.NotEqual(first.Ready.GetProperty("connectionUri").GetString(), second.Ready.GetProperty("connectionUri").GetString());
    }

    [Fact]
    public async Task Ca_dir_is_created_once_reused_and_kept()
    {
        var caDirectory = Directory.CreateTempSubdirectory("exoadmin-ca-test-").FullName;
        try
        {
            string firstPem;
            await using (var first = await SandboxProcess.StartAsync("--ca-dir", caDirectory, "--mailboxes", "1"))
            {
                Assert.Equal(Path.Combine(caDirectory, "ca.pem"), first.Ready.GetProperty("caCertificatePath").GetString());
                Assert.True(File.Exists(Path.Combine(caDirectory, "ca.key.pem")));
                firstPem = await File.ReadAllTextAsync(Path.Combine(caDirectory, "ca.pem"));
                Assert.Equal(0, (await first.StopAsync()).ExitCode);
            }

            await using var second = await SandboxProcess.StartAsync("--ca-dir", caDirectory, "--mailboxes", "1");
            Assert.Equal(firstPem, await File.ReadAllTextAsync(Path.Combine(caDirectory, "ca.pem")));
            using var authority = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(caDirectory, "ca.pem"));
            using var http = TrustedHttp.CreateClient(authority);
            using var response = await http.GetAsync(second.Ready.GetProperty("connectionUri").GetString() + "/common/discovery/v2.0/keys");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(0, (await second.StopAsync()).ExitCode);
            Assert.True(File.Exists(Path.Combine(caDirectory, "ca.pem")), "the CA folder outlives the run");
        }
        finally
        {
            Directory.Delete(caDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task Sigterm_stops_the_sandbox_with_exit_code_0_and_cleans_up()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // SIGTERM is POSIX-only; Windows hosts stop through stdin.
        }

        await using var sandbox = await SandboxProcess.StartAsync("--mailboxes", "1");
        var runDirectory = Path.GetDirectoryName(sandbox.Ready.GetProperty("caCertificatePath").GetString())!;

        using (var kill = Process.Start("kill", ["-TERM", sandbox.Id.ToString()]))
        {
            await kill.WaitForExitAsync();
        }

        var (exitCode, remaining) = await sandbox.WaitForExitAsync();
        Assert.Equal(0, exitCode);
        Assert.Equal(string.Empty, remaining);
        Assert.False(Directory.Exists(runDirectory));
    }

    [Theory]
    [InlineData("--bogus", "1")]
    [InlineData("--port", "70000")]
    [InlineData("--tenant", "contoso.com")]
    [InlineData("--token-lifetime", "soon")]
    public async Task Bad_arguments_exit_2_with_usage_on_stderr_and_nothing_on_stdout(string option, string value)
    {
        var (exitCode, stdout, stderr) = await SandboxProcess.RunAsync(option, value);

        Assert.Equal(2, exitCode);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains("usage:", stderr);
    }

    [Fact]
    public async Task Export_writes_exactly_what_the_service_serves_for_PropertySet_All()
    {
        var (exitCode, stdout, stderr) = await SandboxProcess.RunAsync("export", "--tenant", "contoso.onmicrosoft.com", "--mailboxes", "23", "--seed", "5");
        Assert.True(exitCode == 0, stderr);
        var exported = JsonNode.Parse(stdout)!.AsArray();
        Assert.Equal(23, exported.Count);

        await using var server = await SandboxServer.StartAsync(new SandboxOptions { MailboxesPerTenant = 23, Seed = 5 });
        var served = await ServedMailboxesAsync(server, "?PropertySet=All");

        Assert.Equal(exported.Count, served.Count);
        for (var i = 0; i < served.Count; i++)
        {
            Assert.True(JsonNode.DeepEquals(exported[i], served[i]), $"mailbox {i} differs:\n{exported[i]}\n{served[i]}");
        }

        // The running sandbox's control endpoint answers the same export, byte for byte, for any tenant it is asked for.
        using var authority = X509CertificateLoader.LoadCertificateFromFile(server.Ready.CaCertificatePath);
        using var http = TrustedHttp.CreateClient(authority);
        using var request = new HttpRequestMessage(HttpMethod.Get, server.Ready.Control.Uri + "/export?tenant=contoso.onmicrosoft.com&mailboxes=23&seed=5");
        request.Headers.Add("X-Sandbox-Control-Key", server.Ready.Control.Key);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(stdout.TrimEnd('\n'), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Seeded_data_depends_only_on_seed_tenant_and_ordinal()
    {
        var first = await ExportAsync("contoso.onmicrosoft.com", 40, 5);
        Assert.Equal(first, await ExportAsync("contoso.onmicrosoft.com", 40, 5));
        Assert.NotEqual(first, await ExportAsync("contoso.onmicrosoft.com", 40, 6));
        Assert.NotEqual(first, await ExportAsync("fabrikam.onmicrosoft.com", 40, 5));

        // Fewer mailboxes are a prefix of more.
        var fewer = JsonNode.Parse(await ExportAsync("contoso.onmicrosoft.com", 10, 5))!.AsArray();
        var more = JsonNode.Parse(first)!.AsArray();
        Assert.All(Enumerable.Range(0, 10), i => Assert.True(JsonNode.DeepEquals(fewer[i], more[i])));
    }

    private static async Task<string> ExportAsync(string tenant, int mailboxes, int seed)
    {
        var (exitCode, stdout, stderr) = await SandboxProcess.RunAsync("export", "--tenant", tenant, "--mailboxes", mailboxes.ToString(), "--seed", seed.ToString());
        Assert.True(exitCode == 0, stderr);
        return stdout;
    }

    /// <summary>Every mailbox the running server serves, read page by page through a real token.</summary>
    private static async Task<List<JsonNode>> ServedMailboxesAsync(SandboxServer server, string query)
    {
        var tenant = server.Ready.Tenants.Single();
        using var authority = X509CertificateLoader.LoadCertificateFromFile(server.Ready.CaCertificatePath);
        using var http = TrustedHttp.CreateClient(authority);
        using var certificate = X509CertificateLoader.LoadPkcs12FromFile(tenant.CertificatePath, tenant.CertificatePassword);
        var tokenEndpoint = $"{server.Ready.ConnectionUri}/{tenant.Organization}/oauth2/v2.0/token";
        using var tokenResponse = await http.PostAsync(tokenEndpoint, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = tenant.AppId.ToString(),
            ["scope"] = server.Ready.ConnectionUri + "/.default",
            ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ["client_assertion"] = Tokens.ClientAssertion(certificate, tenant.AppId.ToString(), tokenEndpoint),
        }));
        var token = (await tokenResponse.JsonAsync()).GetProperty("access_token").GetString();

        var mailboxes = new List<JsonNode>();
        string? next = $"{server.Ready.ConnectionUri}/adminapi/beta/{tenant.Organization}/Mailbox{query}";
        while (next is not null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, next);
            request.Headers.Authorization = new("Bearer", token);
            request.Headers.TryAddWithoutValidation("Prefer", "odata.maxpagesize=10;");
            var page = JsonNode.Parse((await (await http.SendAsync(request)).JsonAsync()).GetRawText())!;
            mailboxes.AddRange(page["value"]!.AsArray().Select(m => m!.DeepClone()));
            next = (string?)page["@odata.nextLink"];
        }

        return mailboxes;
    }
}
