using System.Net;
using System.Text.Json;
using ExoAdmin.Sandbox.Hosting;
using ExoAdmin.Sandbox.Tests.Infrastructure;

namespace ExoAdmin.Sandbox.Tests;

/// <summary>A sandbox on one (free) port, as it always runs on 443: Security &amp; Compliance is the host name localhost.</summary>
public sealed class SinglePortFixture : SandboxFixture
{
    internal override SandboxOptions Options => base.Options with { SinglePort = true };
}

/// <summary>
/// Clients that keep only scheme and host of a URI (§18.5) reach Security &amp; Compliance on the same port as
/// Exchange: 127.0.0.1 is Exchange and Entra ID, localhost is compliance, both in the server certificate.
/// </summary>
public sealed class SinglePortComplianceTests(SinglePortFixture sandbox) : IClassFixture<SinglePortFixture>
{
    private const string Contoso = SandboxFixture.Contoso;

    private string Compliance => sandbox.Server.Ready.ComplianceConnectionUri;

    private async Task<string> ComplianceTokenAsync()
    {
        var form = sandbox.ClientCredentialsForm(Contoso);
        form["scope"] = Compliance + "/.default";
        using var response = await sandbox.PostTokenRequestAsync(Contoso, form);
        return (await response.JsonAsync()).GetProperty("access_token").GetString()!;
    }

    [Fact]
    public void Both_services_are_announced_on_the_one_port_by_host_name()
    {
        var exchange = new Uri(sandbox.ConnectionUri);
        var compliance = new Uri(Compliance);

        Assert.Equal("127.0.0.1", exchange.Host);
        Assert.Equal("localhost", compliance.Host);
        Assert.Equal(exchange.Port, compliance.Port);
    }

    [Fact]
    public async Task The_compliance_host_serves_the_compliance_pipeline_directly_with_its_own_audience()
    {
        var token = await ComplianceTokenAsync();

        // No regional redirect: a client outside ps.compliance.protection… names does no regional discovery (§18.5).
        using (var banner = await sandbox.GetAsync($"{Compliance}/adminapi/beta/{Contoso}/EXOBanner('AutogenSession')?Version=3.9.0", token))
        {
            Assert.Equal(HttpStatusCode.OK, banner.StatusCode);
        }

        using var invoke = await sandbox.InvokeAsync(Contoso, "Get-RetentionCompliancePolicy", new { }, token, http: null, root: Compliance);
        Assert.Equal(HttpStatusCode.OK, invoke.StatusCode);
        Assert.Equal(JsonValueKind.Array, (await invoke.JsonAsync()).GetProperty("value").ValueKind);
    }

    [Fact]
    public async Task Each_host_refuses_the_other_services_token()
    {
        var complianceToken = await ComplianceTokenAsync();
        var exchangeToken = await sandbox.AccessTokenAsync(Contoso);

        using (var exchangeOnCompliance = await sandbox.GetAsync($"{Compliance}/adminapi/beta/{Contoso}/basicinfo('AdminApiState')", exchangeToken))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, exchangeOnCompliance.StatusCode);
        }

        using var complianceOnExchange = await sandbox.GetAsync(sandbox.AdminApi(Contoso) + "/basicinfo('AdminApiState')", complianceToken);
        Assert.Equal(HttpStatusCode.Unauthorized, complianceOnExchange.StatusCode);
    }

    [Fact]
    public async Task Entra_ID_and_the_control_endpoint_stay_on_127_0_0_1()
    {
        using var keys = await sandbox.Http.GetAsync($"{Compliance}/{Contoso}/discovery/v2.0/keys");
        Assert.Equal(HttpStatusCode.NotFound, keys.StatusCode);

        using var control = await sandbox.Http.GetAsync($"{Compliance}/_sandbox/stats");
        Assert.NotEqual(HttpStatusCode.OK, control.StatusCode);
    }

    [Fact]
    public void Port_443_means_one_port()
    {
        Assert.True(SandboxOptions.Parse(["--port", "443"]).SinglePort);
        Assert.False(SandboxOptions.Parse(["--port", "8443"]).SinglePort);
        Assert.True(SandboxOptions.Parse(["--port", "8443", "--single-port"]).SinglePort);
    }
}
