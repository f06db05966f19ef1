using System.Net;
using System.Text.Json;
using ExoAdmin.Sandbox.Tests.Infrastructure;

namespace ExoAdmin.Sandbox.Tests;

/// <summary>
/// PUT /_sandbox/clock moves the sandbox's "now", so a test makes the service see a token expire (or get one that is
/// already expired) without waiting; and /_sandbox/stats says how many requests are still being answered, so a test
/// is told when the sandbox is idle. The shared sandbox, reset as the class begins (which also puts the clock back).
/// </summary>
[Collection(SharedSandbox.Name)]
public sealed class ClockTests(SharedSandbox.Fixture shared) : IAsyncLifetime
{
    private readonly SandboxFixture sandbox = shared.For(typeof(ClockTests));

    private const string Contoso = SandboxFixture.Contoso;

    public Task InitializeAsync() => SetOffsetAsync(0);

    public async Task DisposeAsync()
    {
        await SetOffsetAsync(0);
        await sandbox.ClearFaultsAsync();
    }

    private async Task<JsonElement> SetOffsetAsync(double seconds)
    {
        using var response = await sandbox.ControlAsync(HttpMethod.Put, "/clock", new { offsetSeconds = seconds });
        return await response.JsonAsync();
    }

    private async Task<HttpStatusCode> ReadMailboxesAsync(string token)
    {
        using var response = await sandbox.GetAsync(sandbox.AdminApi(Contoso) + "/Mailbox", token);
        return response.StatusCode;
    }

    private async Task<string> NewTokenAsync()
    {
        using var response = await sandbox.PostTokenRequestAsync(Contoso, sandbox.ClientCredentialsForm(Contoso));
        return (await response.JsonAsync()).GetProperty("access_token").GetString()!;
    }

    [Fact]
    public async Task Moving_the_clock_past_a_tokens_expiry_makes_the_service_refuse_it_as_expired()
    {
        var token = await NewTokenAsync();   // an hour's lifetime
        Assert.Equal(HttpStatusCode.OK, await ReadMailboxesAsync(token));

        var clock = await SetOffsetAsync(3600 + 10);   // past the hour and the five seconds of skew the service allows

        Assert.Equal(3610, clock.GetProperty("offsetSeconds").GetDouble());
        Assert.InRange(clock.GetProperty("now").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddSeconds(3600), DateTimeOffset.UtcNow.AddSeconds(3620));
        using (var refused = await sandbox.GetAsync(sandbox.AdminApi(Contoso) + "/Mailbox", token))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.StartsWith("2000002;", refused.Headers.GetValues("x-ms-diagnostics").Single());   // expired, not invalid
        }

        // A token issued now, by the moved clock, is good.
        Assert.Equal(HttpStatusCode.OK, await ReadMailboxesAsync(await NewTokenAsync()));
    }

    [Fact]
    public async Task A_clock_set_back_issues_tokens_that_are_already_expired_by_the_real_time()
    {
        await SetOffsetAsync(-7200);
        var token = await NewTokenAsync();

        var exp = DateTimeOffset.FromUnixTimeSeconds(new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(token).GetPayloadValue<long>("exp"));
        Assert.True(exp < DateTimeOffset.UtcNow.AddMinutes(-59), $"exp {exp:o} should be an hour in the past");
        Assert.Equal(HttpStatusCode.OK, await ReadMailboxesAsync(token));   // the service, living in the same past, takes it

        await SetOffsetAsync(0);
        Assert.Equal(HttpStatusCode.Unauthorized, await ReadMailboxesAsync(token));
    }

    [Theory]
    [InlineData("{\"offsetSeconds\":\"soon\"}")]
    [InlineData("{\"offsetSeconds\":1e12}")]
    [InlineData("{\"offset\":5}")]
    [InlineData("5")]
    public async Task A_bad_clock_body_is_refused_and_moves_nothing(string body)
    {
        using var response = await sandbox.ControlAsync(HttpMethod.Put, "/clock", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var clock = await sandbox.ControlAsync(HttpMethod.Get, "/clock");
        Assert.Equal(0, (await clock.JsonAsync()).GetProperty("offsetSeconds").GetDouble());
    }

    [Fact]
    public async Task Stats_count_the_requests_still_being_answered_even_one_the_client_gave_up_on()
    {
        var token = await NewTokenAsync();
        await sandbox.AddFaultAsync(new { kind = "latency", path = "/adminapi/beta/*/Mailbox", latencyMs = 3000, phase = "after" });
        using var impatient = TrustedHttp.CreateClient(sandbox.Authority);
        impatient.Timeout = TimeSpan.FromMilliseconds(300);
        using var request = new HttpRequestMessage(HttpMethod.Get, sandbox.AdminApi(Contoso) + "/Mailbox");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);

        var pending = impatient.SendAsync(request);
        Assert.Equal(1, await InFlightWhenAsync(n => n == 1));
        await Assert.ThrowsAsync<TaskCanceledException>(() => pending);

        // The client hung up: the sandbox stops waiting on it, and says so, long before the 3 s latency is over.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(0, await InFlightWhenAsync(n => n == 0));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2.5), $"idle after {clock.Elapsed}");
    }

    [Fact]
    public async Task Idle_answers_when_the_last_request_is_answered_or_after_its_timeout_with_what_is_in_flight()
    {
        using (var quiet = await sandbox.ControlAsync(HttpMethod.Get, "/idle?timeoutMs=0"))
        {
            var idle = await quiet.JsonAsync();
            Assert.True(idle.GetProperty("idle").GetBoolean());
            Assert.Equal(0, idle.GetProperty("inFlight").GetInt64());
        }

        var token = await NewTokenAsync();
        await sandbox.AddFaultAsync(new { kind = "latency", path = "/adminapi/beta/*/Mailbox", latencyMs = 1500, count = 1 });
        var pending = sandbox.GetAsync(sandbox.AdminApi(Contoso) + "/Mailbox", token);
        Assert.Equal(1, await InFlightWhenAsync(n => n == 1));

        using (var busy = await sandbox.ControlAsync(HttpMethod.Get, "/idle?timeoutMs=50"))
        {
            var idle = await busy.JsonAsync();
            Assert.False(idle.GetProperty("idle").GetBoolean());
            Assert.Equal(1, idle.GetProperty("inFlight").GetInt64());
        }

        using (var waited = await sandbox.ControlAsync(HttpMethod.Get, "/idle?timeoutMs=30000"))
        {
            var idle = await waited.JsonAsync();
            Assert.True(idle.GetProperty("idle").GetBoolean());
            Assert.Equal(0, idle.GetProperty("inFlight").GetInt64());
        }

        using var response = await pending;   // answered, not abandoned: the idle answer came after it
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        using var bad = await sandbox.ControlAsync(HttpMethod.Get, "/idle?timeoutMs=soon");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    /// <summary>The in-flight count once it satisfies <paramref name="condition"/> (asked again until it does, for 10 s at most).</summary>
    private async Task<long> InFlightWhenAsync(Func<long, bool> condition)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(10);
        while (true)
        {
            var inFlight = (await sandbox.StatsAsync()).GetProperty("inFlight").GetInt64();
            if (condition(inFlight) || DateTimeOffset.UtcNow > deadline)
            {
                return inFlight;
            }

            await Task.Yield();
        }
    }
}
