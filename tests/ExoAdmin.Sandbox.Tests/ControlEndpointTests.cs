using System.Net;
using System.Text;
using System.Text.Json;
using ExoAdmin.Sandbox.Tests.Infrastructure;

namespace ExoAdmin.Sandbox.Tests;

/// <summary>
/// /_sandbox/stats: the control endpoint benchmarks use to count the requests a command made. The shared sandbox,
/// reset as the class begins and used by no other class meanwhile, so no other test's requests are counted.
/// </summary>
[Collection(SharedSandbox.Name)]
public sealed class ControlEndpointTests(SharedSandbox.Fixture shared)
{
    private readonly SandboxFixture sandbox = shared.For(typeof(ControlEndpointTests));

    private const string Contoso = SandboxFixture.Contoso;

    private string StatsUrl => sandbox.Server.Ready.Control.Uri + "/stats";

    [Fact]
    public void Ready_line_announces_the_control_endpoint_on_the_main_listener_with_a_fresh_key()
    {
        Assert.Equal(sandbox.ConnectionUri + "/_sandbox", sandbox.Server.Ready.Control.Uri);
        Assert.Matches("^[0-9a-f]{32}$", sandbox.Server.Ready.Control.Key);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("0123456789abcdef0123456789abcdef")]
    [InlineData("short")]
    public async Task Without_the_runs_key_the_endpoint_refuses_and_resets_nothing(string? key)
    {
        using (await sandbox.GetAsync($"{sandbox.ConnectionUri}/{Contoso}/v2.0/.well-known/openid-configuration", token: null))
        {
        }

        using var get = await SendAsync(HttpMethod.Get, key);
        Assert.Equal(HttpStatusCode.Unauthorized, get.StatusCode);
        Assert.DoesNotContain(sandbox.Server.Ready.Control.Key, await get.Content.ReadAsStringAsync());
        using var delete = await SendAsync(HttpMethod.Delete, key);
        Assert.Equal(HttpStatusCode.Unauthorized, delete.StatusCode);

        Assert.True((await StatsAsync()).GetProperty("total").GetInt64() > 0, "a refused reset leaves the counts alone");
    }

    [Fact]
    public async Task Export_answers_the_seed_of_any_tenant_whatever_the_state_and_says_what_it_needs()
    {
        using (var changed = await sandbox.InvokeAsync(Contoso, "Set-Mailbox", new { Identity = "alex", DisplayName = "Changed since the seed" }))
        {
            Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        }

        using (var export = await sandbox.ControlAsync(HttpMethod.Get, $"/export?tenant={Contoso}&mailboxes=5"))
        {
            Assert.Equal(HttpStatusCode.OK, export.StatusCode);
            var mailboxes = (await export.JsonAsync()).EnumerateArray().ToArray();
            Assert.Equal(["admin", "alex", "sales", "conf-adams", "projector-01"], mailboxes.Select(m => m.GetProperty("Alias").GetString()));
            Assert.Equal("Alex Wilber", mailboxes[1].GetProperty("DisplayName").GetString());
        }

        using (var other = await sandbox.ControlAsync(HttpMethod.Get, "/export?tenant=northwind.onmicrosoft.com&mailboxes=2&seed=7"))
        {
            Assert.Equal(2, (await other.JsonAsync()).GetArrayLength());
        }

        using var incomplete = await sandbox.ControlAsync(HttpMethod.Get, "/export?mailboxes=3");
        Assert.Equal(HttpStatusCode.BadRequest, incomplete.StatusCode);
        Assert.Contains("export needs --tenant", (await incomplete.JsonAsync(400)).GetProperty("error_description").GetString());
    }

    [Fact]
    public async Task Stats_count_requests_by_method_and_path_shape_and_reset_to_zero()
    {
        var token = await sandbox.AccessTokenAsync(Contoso);
        using (var reset = await SendAsync(HttpMethod.Delete, sandbox.Server.Ready.Control.Key))
        {
            Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        }

        // Three mailboxes by key (one missing), two pages of the list, one InvokeCommand.
        foreach (var alias in new[] { "admin", "alex", "nobody" })
        {
            using var _ = await sandbox.GetAsync($"{sandbox.AdminApi(Contoso)}/Mailbox('{Convert.ToBase64String(Encoding.UTF8.GetBytes(alias))}')?isEncoded=true", token);
        }

        var first = await (await sandbox.GetAsync(sandbox.AdminApi(Contoso) + "/Mailbox", token, prefer: "odata.maxpagesize=50")).JsonAsync();
        using (var second = await sandbox.GetAsync(first.GetProperty("@odata.nextLink").GetString()!, token, prefer: "odata.maxpagesize=50"))
        {
            Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        }

        using (var invoke = await sandbox.PostJsonAsync(sandbox.AdminApi(Contoso) + "/InvokeCommand", token, """{"CmdletInput":{"CmdletName":"Get-Mailbox","Parameters":{"Identity":"alex"}}}"""))
        {
            Assert.Equal(HttpStatusCode.OK, invoke.StatusCode);
        }

        var stats = await StatsAsync();
        var requests = stats.GetProperty("requests").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
        var root = $"/adminapi/beta/{Contoso}";
        Assert.Equal(
            new Dictionary<string, long>
            {
                [$"GET {root}/Mailbox('*')"] = 3,
                [$"GET {root}/Mailbox"] = 2,
                [$"POST {root}/InvokeCommand"] = 1,
            },
            requests);
        Assert.Equal(6, stats.GetProperty("total").GetInt64());
        Assert.Equal(6, (await StatsAsync()).GetProperty("total").GetInt64());   // reading the stats is not counted

        using (var reset = await SendAsync(HttpMethod.Delete, sandbox.Server.Ready.Control.Key))
        {
            Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        }

        var after = await StatsAsync();
        Assert.Equal(0, after.GetProperty("total").GetInt64());
        Assert.Empty(after.GetProperty("requests").EnumerateObject());
    }

    private async Task<JsonElement> StatsAsync()
    {
        using var response = await SendAsync(HttpMethod.Get, sandbox.Server.Ready.Control.Key);
        return await response.JsonAsync();
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string? key)
    {
        var request = new HttpRequestMessage(method, StatsUrl);
        if (key is not null)
        {
            request.Headers.Add("X-Sandbox-Control-Key", key);
        }

        return sandbox.Http.SendAsync(request);
    }
}
