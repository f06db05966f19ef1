using System.Globalization;
using System.Net;
using ExoAdmin.Sandbox.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace ExoAdmin.Sandbox.Tests;

/// <summary>The per-tenant request budget: Rate-Limit-* headers on every Exchange answer, 429 when it is used up.</summary>
public sealed class RateLimitTests(RateLimitTests.Fixture sandbox) : IClassFixture<RateLimitTests.Fixture>, IAsyncLifetime
{
    /// <summary>Windows end when the test moves this clock, not when real time has passed.</summary>
    public sealed class Fixture : SandboxFixture
    {
        public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

        internal override TimeProvider Time => Clock;
    }

    private const string Contoso = SandboxFixture.Contoso;
    private const string Fabrikam = SandboxFixture.Fabrikam;

    private string MailboxUrl(string domain = Contoso) => sandbox.AdminApi(domain) + "/Mailbox";

    public Task InitializeAsync() => ResetAsync();

    public Task DisposeAsync() => ResetAsync();

    [Fact]
    public async Task Every_Exchange_answer_carries_the_budget_headers_by_default_and_Entra_and_control_answers_do_not()
    {
        var token = await sandbox.AccessTokenAsync(Contoso);
        foreach (var url in new[] { MailboxUrl(), sandbox.AdminApi(Contoso) + "/basicinfo('AdminApiState')", sandbox.AdminApi(Contoso) + "/NoSuchResource" })
        {
            using var response = await sandbox.GetAsync(url, token);
            var (limit, remaining, reset) = Headers(response);
            Assert.Equal(1_000_000, limit);
            Assert.InRange(remaining, 0, limit - 1);
            Assert.InRange(reset, sandbox.Clock.GetUtcNow(), sandbox.Clock.GetUtcNow().AddSeconds(61));
            Assert.False(response.Headers.Contains("Rate-Limit-Reason"));
        }

        using (var invoke = await sandbox.InvokeAsync(Contoso, "Get-Mailbox", new { Identity = "alex" }))
        {
            Assert.Equal(HttpStatusCode.OK, invoke.StatusCode);
            Headers(invoke);
        }

        using (var entra = await sandbox.GetAsync($"{sandbox.ConnectionUri}/{Contoso}/v2.0/.well-known/openid-configuration", token: null))
        {
            Assert.Equal(HttpStatusCode.OK, entra.StatusCode);
            Assert.False(entra.Headers.Contains("Rate-Limit-Limit"));
        }

        using var control = await sandbox.ControlAsync(HttpMethod.Get, "/stats");
        Assert.False(control.Headers.Contains("Rate-Limit-Limit"));
    }

    [Fact]
    public async Task An_exhausted_budget_is_a_429_with_Retry_After_and_the_service_error_body_and_other_tenants_go_on()
    {
        await SetAsync(new { limit = 3, windowSeconds = 60, tenant = Contoso });
        var token = await sandbox.AccessTokenAsync(Contoso);
        var refusedBefore = (await sandbox.StatsAsync()).GetProperty("rateLimited").GetInt64();

        var remaining = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            using var ok = await sandbox.GetAsync(MailboxUrl(), token);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            remaining.Add(Headers(ok).Remaining);
        }

        Assert.Equal([2, 1, 0], remaining);
        using var refused = await sandbox.GetAsync(MailboxUrl(), token);
        var error = (await refused.JsonAsync(429)).GetProperty("error");
        Assert.Equal("TooManyRequests", error.GetProperty("code").GetString());
        Assert.Contains("3 requests", error.GetProperty("message").GetString());
        var (limit, left, reset) = Headers(refused);
        Assert.Equal((3, 0), (limit, left));
        Assert.Equal("TenantRequestBudgetExceeded", refused.Headers.GetValues("Rate-Limit-Reason").Single());
        var retryAfter = int.Parse(refused.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        Assert.InRange((reset - sandbox.Clock.GetUtcNow()).TotalSeconds, retryAfter - 2, retryAfter);

        // Fabrikam has its own budget (the default).
        using (var other = await sandbox.GetAsync(MailboxUrl(Fabrikam), await sandbox.AccessTokenAsync(Fabrikam)))
        {
            Assert.Equal(1_000_000, Headers(other).Limit);
        }

        Assert.Equal(refusedBefore + 1, (await sandbox.StatsAsync()).GetProperty("rateLimited").GetInt64());
    }

    [Fact]
    public async Task A_change_refused_for_the_budget_is_not_applied()
    {
        await sandbox.ClearAuditAsync();
        await SetAsync(new { limit = 1, windowSeconds = 60 });
        using (var spent = await sandbox.GetAsync(MailboxUrl(), await sandbox.AccessTokenAsync(Contoso)))
        {
            Assert.Equal(HttpStatusCode.OK, spent.StatusCode);
        }

        using (var refused = await sandbox.InvokeAsync(Contoso, "Set-Mailbox", new { Identity = "alex", DisplayName = "Over Budget" }))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        }

        await ResetAsync();
        Assert.Empty(await sandbox.AuditAsync());
        Assert.NotEqual("Over Budget", (await sandbox.MailboxAsync(Contoso, "alex")).GetProperty("DisplayName").GetString());
    }

    [Fact]
    public async Task A_refused_token_spends_nothing_but_still_shows_the_budget()
    {
        await SetAsync(new { limit = 2, windowSeconds = 60, tenant = Contoso });

        using (var unauthenticated = await sandbox.GetAsync(MailboxUrl(), token: null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
            Assert.Equal((2, 2), (Headers(unauthenticated).Limit, Headers(unauthenticated).Remaining));
        }

        using var ok = await sandbox.GetAsync(MailboxUrl(), await sandbox.AccessTokenAsync(Contoso));
        Assert.Equal(1, Headers(ok).Remaining);
    }

    [Fact]
    public async Task The_budget_comes_back_when_the_window_ends()
    {
        await SetAsync(new { limit = 2, windowSeconds = 2, tenant = Contoso });
        var token = await sandbox.AccessTokenAsync(Contoso);

        var statuses = new List<HttpStatusCode>();
        DateTimeOffset reset = default;
        for (var i = 0; i < 3; i++)
        {
            using var response = await sandbox.GetAsync(MailboxUrl(), token);
            statuses.Add(response.StatusCode);
            reset = Headers(response).Reset;
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(sandbox.Clock.GetUtcNow().AddSeconds(2), reset);

        sandbox.Clock.Advance(reset - sandbox.Clock.GetUtcNow() - TimeSpan.FromMilliseconds(1));
        using (var early = await sandbox.GetAsync(MailboxUrl(), token))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, early.StatusCode);   // a millisecond before the reset: still spent
        }

        sandbox.Clock.Advance(TimeSpan.FromMilliseconds(1));
        using var again = await sandbox.GetAsync(MailboxUrl(), token);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(1, Headers(again).Remaining);
    }

    [Fact]
    public async Task Concurrent_requests_never_spend_more_than_the_budget()
    {
        await SetAsync(new { limit = 40, windowSeconds = 600, tenant = Contoso });
        var token = await sandbox.AccessTokenAsync(Contoso);

        var statuses = await Task.WhenAll(Enumerable.Range(0, 120).Select(async _ =>
        {
            using var response = await sandbox.GetAsync(sandbox.AdminApi(Contoso) + "/basicinfo('AdminApiState')", token);
            return response.StatusCode;
        }));

        Assert.Equal(40, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(80, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task The_control_endpoint_reads_sets_and_resets_budgets()
    {
        using (var set = await sandbox.ControlAsync(HttpMethod.Put, "/rate-limit", new { limit = 10, windowSeconds = 30 }))
        {
            var body = await set.JsonAsync();
            Assert.Equal((10, 30), (body.GetProperty("limit").GetInt32(), body.GetProperty("windowSeconds").GetInt32()));
        }

        using (var tenant = await sandbox.ControlAsync(HttpMethod.Put, "/rate-limit", new { limit = 5, windowSeconds = 20, tenant = sandbox.Tenant(Fabrikam).TenantId }))
        {
            var own = (await tenant.JsonAsync()).GetProperty("tenants").EnumerateArray().Single();
            Assert.Equal((Fabrikam, 5, 20), (own.GetProperty("tenant").GetString(), own.GetProperty("limit").GetInt32(), own.GetProperty("windowSeconds").GetInt32()));
        }

        using (var response = await sandbox.GetAsync(MailboxUrl(), await sandbox.AccessTokenAsync(Contoso)))
        {
            Assert.Equal(10, Headers(response).Limit);
        }

        await ResetAsync();
        using var read = await sandbox.ControlAsync(HttpMethod.Get, "/rate-limit");
        var after = await read.JsonAsync();
        Assert.Equal(1_000_000, after.GetProperty("limit").GetInt32());
        Assert.Empty(after.GetProperty("tenants").EnumerateArray());
    }

    [Theory]
    [InlineData("{\"limit\":0,\"windowSeconds\":60}", "limit")]
    [InlineData("{\"limit\":5}", "windowSeconds")]
    [InlineData("{\"limit\":5,\"windowSeconds\":60,\"tenant\":\"nowhere.onmicrosoft.com\"}", "no tenant")]
    [InlineData("{\"limit\":5,\"windowSeconds\":60,\"per\":\"user\"}", "Unknown rate-limit key 'per'")]
    public async Task Bad_budgets_are_refused(string body, string reason)
    {
        using var response = await sandbox.ControlAsync(HttpMethod.Put, "/rate-limit", body);
        Assert.Contains(reason, (await response.JsonAsync(400)).GetProperty("error_description").GetString());
    }

    private async Task SetAsync(object budget)
    {
        using var response = await sandbox.ControlAsync(HttpMethod.Put, "/rate-limit", budget);
        await response.JsonAsync();
    }

    private async Task ResetAsync()
    {
        using var response = await sandbox.ControlAsync(HttpMethod.Delete, "/rate-limit");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    private static (int Limit, int Remaining, DateTimeOffset Reset) Headers(HttpResponseMessage response) =>
        (int.Parse(response.Headers.GetValues("Rate-Limit-Limit").Single(), CultureInfo.InvariantCulture),
         int.Parse(response.Headers.GetValues("Rate-Limit-Remaining").Single(), CultureInfo.InvariantCulture),
         DateTimeOffset.ParseExact(response.Headers.GetValues("Rate-Limit-Reset").Single(), "o", CultureInfo.InvariantCulture));
}
