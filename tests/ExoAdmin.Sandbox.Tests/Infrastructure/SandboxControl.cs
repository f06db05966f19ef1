using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace ExoAdmin.Sandbox.Tests.Infrastructure;

/// <summary>The sandbox's control endpoint (/_sandbox/…) as tests call it: with the run's key, JSON in and out.</summary>
internal static class SandboxControl
{
    public static async Task<HttpResponseMessage> ControlAsync(this SandboxFixture sandbox, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, sandbox.Server.Ready.Control.Uri + path);
        request.Headers.Add("X-Sandbox-Control-Key", sandbox.Server.Ready.Control.Key);
        if (body is not null)
        {
            request.Content = new StringContent(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        }

        return await sandbox.Http.SendAsync(request);
    }

    /// <summary>Adds a fault rule and returns its id.</summary>
    public static async Task<string> AddFaultAsync(this SandboxFixture sandbox, object rule)
    {
        using var response = await sandbox.ControlAsync(HttpMethod.Post, "/faults", rule);
        return (await response.JsonAsync(201)).GetProperty("id").GetString()!;
    }

    /// <summary>The rule with this id as GET /_sandbox/faults lists it.</summary>
    public static async Task<JsonElement> FaultAsync(this SandboxFixture sandbox, string id)
    {
        using var response = await sandbox.ControlAsync(HttpMethod.Get, "/faults");
        return (await response.JsonAsync()).GetProperty("faults").EnumerateArray().Single(f => f.GetProperty("id").GetString() == id);
    }

    /// <summary>
    /// Moves the sandbox's clock this far forward from where it is (PUT /_sandbox/clock), instead of the test waiting.
    /// Only forward: a revocation or challenge an earlier test recorded at the sandbox's "now" must never postdate the
    /// tokens later tests are issued, which putting the clock back would make happen.
    /// </summary>
    public static async Task AdvanceClockAsync(this SandboxFixture sandbox, TimeSpan by)
    {
        Assert.True(by > TimeSpan.Zero, "the sandbox's clock only moves forward in a shared fixture");
        double offset;
        using (var clock = await sandbox.ControlAsync(HttpMethod.Get, "/clock"))
        {
            offset = (await clock.JsonAsync()).GetProperty("offsetSeconds").GetDouble();
        }

        using var moved = await sandbox.ControlAsync(HttpMethod.Put, "/clock", new { offsetSeconds = offset + by.TotalSeconds });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
    }

    public static async Task ClearFaultsAsync(this SandboxFixture sandbox)
    {
        using var response = await sandbox.ControlAsync(HttpMethod.Delete, "/faults");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    public static async Task<JsonElement[]> AuditAsync(this SandboxFixture sandbox, string query = "")
    {
        using var response = await sandbox.ControlAsync(HttpMethod.Get, "/audit" + query);
        return (await response.JsonAsync()).GetProperty("entries").EnumerateArray().ToArray();
    }

    public static async Task ClearAuditAsync(this SandboxFixture sandbox)
    {
        using var response = await sandbox.ControlAsync(HttpMethod.Delete, "/audit");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    public static async Task<JsonElement> StatsAsync(this SandboxFixture sandbox)
    {
        using var response = await sandbox.ControlAsync(HttpMethod.Get, "/stats");
        return await response.JsonAsync();
    }

    /// <summary>POST …/InvokeCommand for one cmdlet, with optional extra headers.</summary>
    /// <param name="root">Another service root than the sandbox's connection URI (the compliance one).</param>
    public static async Task<HttpResponseMessage> InvokeAsync(
        this SandboxFixture sandbox, string domain, string cmdlet, object parameters, string? token = null, string? clientRequestId = null, HttpClient? http = null, string? root = null)
    {
        var body = JsonSerializer.Serialize(new { CmdletInput = new { CmdletName = cmdlet, Parameters = parameters } });
        var api = root is null ? sandbox.AdminApi(domain) : $"{root}/adminapi/beta/{domain}";
        using var request = new HttpRequestMessage(HttpMethod.Post, api + "/InvokeCommand")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-ResponseFormat", "json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? await sandbox.AccessTokenAsync(domain));
        if (clientRequestId is not null)
        {
            request.Headers.Add("client-request-id", clientRequestId);
        }

        return await (http ?? sandbox.Http).SendAsync(request);
    }

    /// <summary>The mailbox as Get-Mailbox returns it through InvokeCommand.</summary>
    public static async Task<JsonElement> MailboxAsync(this SandboxFixture sandbox, string domain, string identity)
    {
        using var response = await sandbox.InvokeAsync(domain, "Get-Mailbox", new { Identity = identity });
        return (await response.JsonAsync()).GetProperty("value").EnumerateArray().Single();
    }
}
