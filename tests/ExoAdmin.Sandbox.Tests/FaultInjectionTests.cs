using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using ExoAdmin.Sandbox.Control;
using ExoAdmin.Sandbox.Tests.Infrastructure;

namespace ExoAdmin.Sandbox.Tests;

/// <summary>
/// /_sandbox/faults over real HTTPS: which requests a rule matches and selects, what each kind of fault looks like
/// on the wire, and what phase before/after means for a change (through the audit log and a read-back).
/// </summary>
[Collection(SharedSandbox.Name)]
public sealed class FaultInjectionTests(SharedSandbox.Fixture shared) : IAsyncLifetime
{
    private readonly SandboxFixture sandbox = shared.For(typeof(FaultInjectionTests));

    private const string Contoso = SandboxFixture.Contoso;
    private const string Fabrikam = SandboxFixture.Fabrikam;

    private string MailboxUrl(string domain = Contoso) => sandbox.AdminApi(domain) + "/Mailbox";

    public async Task InitializeAsync()
    {
        await sandbox.ClearFaultsAsync();
        await sandbox.ClearAuditAsync();
    }

    public Task DisposeAsync() => sandbox.ClearFaultsAsync();

    [Theory]
    [InlineData("429", 429, "TooManyRequests", "3")]
    [InlineData("503", 503, "ServiceUnavailable", "3")]
    [InlineData("500", 500, "InternalServerError", null)]
    public async Task Error_faults_answer_the_status_and_error_body_of_the_service_then_stop_when_their_count_is_used(
        string kind, int status, string code, string? retryAfter)
    {
        var id = await sandbox.AddFaultAsync(new { kind, path = "/adminapi/beta/*/Mailbox", count = 2, retryAfterSeconds = 3 });
        var token = await sandbox.AccessTokenAsync(Contoso);

        for (var i = 0; i < 2; i++)
        {
            using var faulted = await sandbox.GetAsync(MailboxUrl(), token);
            var error = (await faulted.JsonAsync(status)).GetProperty("error");
            Assert.Equal(code, error.GetProperty("code").GetString());
            Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
            Assert.Equal(retryAfter, faulted.Headers.TryGetValues("Retry-After", out var values) ? values.Single() : null);
            Assert.True(Guid.TryParse(faulted.Headers.GetValues("request-id").Single(), out _));
            Assert.True(faulted.Headers.Contains("Rate-Limit-Remaining"), "a fault keeps the rate-limit headers");
        }

        using (var third = await sandbox.GetAsync(MailboxUrl(), token))
        {
            await third.JsonAsync();
        }

        var rule = await sandbox.FaultAsync(id);
        Assert.Equal(3, rule.GetProperty("matched").GetInt64());
        Assert.Equal(2, rule.GetProperty("injected").GetInt64());
    }

    [Fact]
    public async Task Path_glob_method_and_tenant_must_all_match()
    {
        var fabrikam = await FreshTokenAsync(Fabrikam);
        var id = await sandbox.AddFaultAsync(new { kind = "503", path = "/ADMINAPI/*/mailbox", method = "get", tenant = sandbox.Tenant(Fabrikam).TenantId.ToString() });

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(MailboxUrl(Contoso), Contoso));                                   // other tenant
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(MailboxUrl(Fabrikam) + "('YWxleA==')?isEncoded=true", Fabrikam, fabrikam)); // the glob is anchored
        using (var post = await sandbox.InvokeAsync(Fabrikam, "Get-Mailbox", new { Identity = "alex" }, fabrikam))
        {
            Assert.Equal(HttpStatusCode.OK, post.StatusCode);                                                                 // other path and method
        }

        // The rule named the tenant by id; the URL by domain, then by id. Path and method are case-insensitive.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await StatusAsync(MailboxUrl(Fabrikam), Fabrikam, fabrikam));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await StatusAsync($"{sandbox.AdminApi(sandbox.Tenant(Fabrikam).TenantId.ToString())}/Mailbox", Fabrikam, fabrikam));

        var rule = await sandbox.FaultAsync(id);
        Assert.Equal((2, 2), (rule.GetProperty("matched").GetInt64(), rule.GetProperty("injected").GetInt64()));
    }

    [Fact]
    public async Task Every_selects_each_nth_matching_request()
    {
        await sandbox.AddFaultAsync(new { kind = "500", path = "/adminapi/beta/*/Mailbox", every = 3 });

        var statuses = await StatusesAsync(MailboxUrl(), 9);

        Assert.Equal(new[] { 200, 200, 500, 200, 200, 500, 200, 200, 500 }, statuses);
    }

    [Fact]
    public async Task Rate_selects_the_same_requests_for_the_same_seed_and_about_the_given_share()
    {
        const int requests = 60;
        var first = await sandbox.AddFaultAsync(new { kind = "429", path = "/adminapi/beta/*/Mailbox", rate = 0.25, seed = 7 });
        var run1 = await StatusesAsync(MailboxUrl(), requests);
        await sandbox.ClearFaultsAsync();
        await sandbox.AddFaultAsync(new { kind = "429", path = "/adminapi/beta/*/Mailbox", rate = 0.25, seed = 7 });
        var run2 = await StatusesAsync(MailboxUrl(), requests);
        await sandbox.ClearFaultsAsync();
        await sandbox.AddFaultAsync(new { kind = "429", path = "/adminapi/beta/*/Mailbox", rate = 0.25, seed = 8 });
        var run3 = await StatusesAsync(MailboxUrl(), requests);

        Assert.Equal(run1, run2);
        Assert.NotEqual(run1, run3);
        var expected = Enumerable.Range(1, requests).Select(n => FaultRule.Draw(7, n) < 0.25 ? 429 : 200).ToArray();
        Assert.Equal(expected, run1);
        Assert.Contains(429, run1);
        Assert.InRange(Enumerable.Range(1, 20_000).Count(n => FaultRule.Draw(7, n) < 0.25) / 20_000.0, 0.24, 0.26);
        Assert.NotEqual(first, await sandbox.AddFaultAsync(new { kind = "429", path = "/nothing" }));   // ids are never reused
    }

    [Fact]
    public async Task The_first_selecting_rule_is_served_and_a_count_is_spent_only_when_injected()
    {
        var always = await sandbox.AddFaultAsync(new { kind = "503", path = "/adminapi/beta/*/Mailbox", count = 2 });
        var next = await sandbox.AddFaultAsync(new { kind = "500", path = "/adminapi/beta/*/Mailbox", count = 1 });

        var statuses = await StatusesAsync(MailboxUrl(), 4);
        Assert.Equal([503, 503, 500, 200], statuses);
        var second = await sandbox.FaultAsync(next);
        Assert.Equal((4, 1), (second.GetProperty("matched").GetInt64(), second.GetProperty("injected").GetInt64()));
        Assert.Equal(2, (await sandbox.FaultAsync(always)).GetProperty("injected").GetInt64());
    }

    [Fact]
    public async Task Phase_before_refuses_a_change_without_applying_it()
    {
        await sandbox.AddFaultAsync(new { kind = "503", path = "/adminapi/beta/*/InvokeCommand", method = "POST", count = 1 });

        using (var refused = await sandbox.InvokeAsync(Contoso, "Set-Mailbox", new { Identity = "sales", DisplayName = "Before Fault" }))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        }

        Assert.Empty(await sandbox.AuditAsync());
        Assert.NotEqual("Before Fault", (await sandbox.MailboxAsync(Contoso, "sales")).GetProperty("DisplayName").GetString());
    }

    [Fact]
    public async Task Phase_after_applies_and_audits_the_change_and_then_answers_the_fault()
    {
        // 500 is served after the change by default: the client cannot tell whether it was applied.
        await sandbox.AddFaultAsync(new { kind = "500", path = "/adminapi/beta/*/InvokeCommand", count = 1 });
        using (var failed = await sandbox.InvokeAsync(Contoso, "Set-Mailbox", new { Identity = "alex", DisplayName = "After 500" }))
        {
            var error = (await failed.JsonAsync(500)).GetProperty("error");
            Assert.Equal("InternalServerError", error.GetProperty("code").GetString());
        }

        // A 429 can be moved after the change too.
        await sandbox.AddFaultAsync(new { kind = "429", path = "/adminapi/beta/*/InvokeCommand", count = 1, phase = "after" });
        using (var throttled = await sandbox.InvokeAsync(Contoso, "Set-Mailbox", new { Identity = "alex", DisplayName = "After 429" }))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        }

        Assert.Equal("After 429", (await sandbox.MailboxAsync(Contoso, "alex")).GetProperty("DisplayName").GetString());
        var audit = await sandbox.AuditAsync();
        Assert.Equal(["After 500", "After 429"], audit.Select(e => e.GetProperty("parameters").GetProperty("DisplayName").GetString()));
    }

    [Theory]
    [InlineData("1.1")]
    [InlineData("2.0")]
    public async Task Reset_starts_a_200_sends_part_of_the_real_body_and_cuts_the_connection(string httpVersion)
    {
        var resets = await InjectedAsync("reset");
        await sandbox.AddFaultAsync(new { kind = "reset", path = "/adminapi/beta/*/Mailbox", count = 1 });

        using var http = TrustedHttp.CreateClient(sandbox.Authority);
        using var request = new HttpRequestMessage(HttpMethod.Get, MailboxUrl())
        {
            Version = Version.Parse(httpVersion),
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.Authorization = new("Bearer", await sandbox.AccessTokenAsync(Contoso));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(httpVersion, response.Version.ToString());
        var declared = response.Content.Headers.ContentLength;
        var stream = await response.Content.ReadAsStreamAsync();
        var received = new MemoryStream();
        var failure = await Record.ExceptionAsync(() => stream.CopyToAsync(received));

        Assert.True(failure is IOException or HttpRequestException, $"the body ends in a network error, not {failure?.GetType().Name ?? "cleanly"}");
        Assert.InRange(received.Length, 1, declared!.Value - 1);
        Assert.StartsWith("{\"@odata.context\":", Encoding.UTF8.GetString(received.ToArray()));
        Assert.Equal(resets + 1, await InjectedAsync("reset"));

        // The next request is served normally.
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(MailboxUrl(), Contoso));
    }

    [Fact]
    public async Task Reset_after_a_change_leaves_it_applied_and_audited_once()
    {
        await sandbox.AddFaultAsync(new { kind = "reset", path = "/adminapi/beta/*/InvokeCommand", count = 1 });

        var failure = await Record.ExceptionAsync(async () =>
        {
            using var response = await sandbox.InvokeAsync(Contoso, "Set-Mailbox", new { Identity = "admin", DisplayName = "Reset Change" });
            await response.Content.ReadAsStringAsync();
        });

        Assert.NotNull(failure);
        Assert.Equal("Reset Change", (await sandbox.MailboxAsync(Contoso, "admin")).GetProperty("DisplayName").GetString());
        Assert.Equal(["Set-Mailbox"], (await sandbox.AuditAsync()).Select(e => e.GetProperty("cmdlet").GetString()));
    }

    [Fact]
    public async Task Truncate_sends_a_clean_200_whose_JSON_is_cut_short()
    {
        await sandbox.AddFaultAsync(new { kind = "truncate", path = "/adminapi/beta/*/Mailbox", count = 1 });

        using var response = await sandbox.GetAsync(MailboxUrl(), await sandbox.AccessTokenAsync(Contoso));
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(body.Length, response.Content.Headers.ContentLength);
        Assert.StartsWith("{\"@odata.context\":", Encoding.UTF8.GetString(body));
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(body));
    }

    [Fact]
    public async Task Expired_token_refuses_with_2000002_and_the_same_token_stays_refused_until_a_new_one_is_used()
    {
        // A token of its own, so other tests' cached tokens are not the ones revoked.
        var old = await FreshTokenAsync(Fabrikam);
        var injected = await InjectedAsync("expired-token");
        // Tokens carry whole seconds: the revocation must postdate this one's iat. The sandbox's clock moves on instead of the test waiting.
        await sandbox.AdvanceClockAsync(TimeSpan.FromSeconds(2));
        await sandbox.AddFaultAsync(new { kind = "expired-token", path = "/adminapi/beta/*/Mailbox", tenant = Fabrikam, count = 1 });

        using (var expired = await sandbox.GetAsync(MailboxUrl(Fabrikam), old))
        {
            await expired.JsonAsync(401);
            Assert.StartsWith("2000002;", expired.Headers.GetValues("x-ms-diagnostics").Single());
            Assert.Contains("error=\"invalid_token\"", expired.Headers.WwwAuthenticate.Single().Parameter);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(MailboxUrl(Fabrikam), Fabrikam, old));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(MailboxUrl(Fabrikam), Fabrikam, await FreshTokenAsync(Fabrikam)));
        Assert.Equal(injected + 1, await InjectedAsync("expired-token"));
    }

    [Fact]
    public async Task Claims_challenge_names_the_claims_a_new_token_must_satisfy()
    {
        var old = await FreshTokenAsync(Fabrikam);
        await sandbox.AdvanceClockAsync(TimeSpan.FromSeconds(2));   // the challenge must postdate the old token's iat (whole seconds)
        await sandbox.AddFaultAsync(new { kind = "claims-challenge", tenant = Fabrikam, count = 1 });

        using (var challenged = await sandbox.GetAsync(MailboxUrl(Fabrikam), old))
        {
            await challenged.JsonAsync(401);
            var parameter = challenged.Headers.WwwAuthenticate.Single().Parameter!;
            var claims = System.Text.RegularExpressions.Regex.Match(parameter, "claims=\"([^\"]+)\"").Groups[1].Value;
            var nbf = JsonDocument.Parse(Convert.FromBase64String(claims)).RootElement.GetProperty("access_token").GetProperty("nbf");
            Assert.True(nbf.GetProperty("essential").GetBoolean());
            Assert.True(long.Parse(nbf.GetProperty("value").GetString()!) >= DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 5);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(MailboxUrl(Fabrikam), Fabrikam, old));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(MailboxUrl(Fabrikam), Fabrikam, await FreshTokenAsync(Fabrikam)));
    }

    [Fact]
    public async Task Hostile_bodies_non_json_empty_and_without_context()
    {
        var token = await sandbox.AccessTokenAsync(Contoso);
        await sandbox.AddFaultAsync(new { kind = "non-json", path = "/adminapi/beta/*/Mailbox", count = 1 });
        using (var html = await sandbox.GetAsync(MailboxUrl(), token))
        {
            Assert.Equal(HttpStatusCode.OK, html.StatusCode);
            Assert.Equal("text/html", html.Content.Headers.ContentType!.MediaType);
            Assert.StartsWith("<!DOCTYPE html>", await html.Content.ReadAsStringAsync());
        }

        await sandbox.AddFaultAsync(new { kind = "empty-body", path = "/adminapi/beta/*/Mailbox", count = 1 });
        using (var empty = await sandbox.GetAsync(MailboxUrl(), token))
        {
            Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
            Assert.Equal("application/json", empty.Content.Headers.ContentType!.MediaType);
            Assert.Empty(await empty.Content.ReadAsByteArrayAsync());
        }

        await sandbox.AddFaultAsync(new { kind = "no-context", path = "/adminapi/beta/*/Mailbox", count = 1 });
        using (var noContext = await sandbox.GetAsync(MailboxUrl(), token, prefer: "odata.maxpagesize=5"))
        {
            var page = await noContext.JsonAsync();
            Assert.False(page.TryGetProperty("@odata.context", out _));
            Assert.Equal(5, page.GetProperty("value").GetArrayLength());
            Assert.True(page.TryGetProperty("@odata.nextLink", out _));
        }
    }

    [Fact]
    public async Task Oversized_streams_one_object_larger_than_a_client_should_accept()
    {
        await sandbox.AddFaultAsync(new { kind = "oversized", path = "/adminapi/beta/*/InvokeCommand", count = 1, sizeBytes = 3_000_000 });

        using var response = await sandbox.InvokeAsync(Contoso, "Get-Mailbox", new { Identity = "alex" });
        var page = await response.JsonAsync();

        var only = page.GetProperty("value").EnumerateArray().Single();
        Assert.Equal(3_000_000, only.GetProperty("Notes").GetString()!.Length);
        Assert.True(response.Content.Headers.ContentLength > 3_000_000);
        Assert.Equal(FaultRule.DefaultSizeBytes, 32 * 1024 * 1024);
    }

    [Fact]
    public async Task Foreign_next_link_points_at_another_host_and_a_token_sent_there_is_counted()
    {
        var token = await sandbox.AccessTokenAsync(Contoso);
        await sandbox.AddFaultAsync(new { kind = "foreign-next-link", path = "/adminapi/beta/*/Mailbox", count = 1 });
        var before = (await sandbox.StatsAsync()).GetProperty("tokensToForeignHost").GetInt64();

        using var response = await sandbox.GetAsync(MailboxUrl(), token, prefer: "odata.maxpagesize=5");
        var page = await response.JsonAsync();
        var next = new Uri(page.GetProperty("@odata.nextLink").GetString()!);

        Assert.Equal(5, page.GetProperty("value").GetArrayLength());
        Assert.Equal("localhost", next.Host);
        Assert.Equal(new Uri(sandbox.ConnectionUri).Port, next.Port);
        Assert.Equal(before, (await sandbox.StatsAsync()).GetProperty("tokensToForeignHost").GetInt64());

        // What a careless client would do: follow it with its token. The sandbox notices.
        using (await sandbox.GetAsync(next.AbsoluteUri, token))
        {
        }

        Assert.Equal(before + 1, (await sandbox.StatsAsync()).GetProperty("tokensToForeignHost").GetInt64());
    }

    [Fact]
    public async Task Latency_before_delays_the_answer_and_latency_after_a_change_outlasts_a_client_timeout()
    {
        await sandbox.AddFaultAsync(new { kind = "latency", path = "/adminapi/beta/*/Mailbox", latencyMs = 400, count = 1 });
        var clock = Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(MailboxUrl(), Contoso));
        Assert.True(clock.ElapsedMilliseconds >= 380, $"{clock.ElapsedMilliseconds} ms");

        // After the change is applied, the answer waits longer than the client does: the outcome is unknown to it.
        await sandbox.AddFaultAsync(new { kind = "latency", path = "/adminapi/beta/*/InvokeCommand", latencyMs = 3000, phase = "after", count = 1 });
        using var impatient = TrustedHttp.CreateClient(sandbox.Authority);
        impatient.Timeout = TimeSpan.FromMilliseconds(700);
        await Assert.ThrowsAnyAsync<TaskCanceledException>(() =>
            sandbox.InvokeAsync(Contoso, "Set-Mailbox", new { Identity = "anezka.dvorak", DisplayName = "Timed Out" }, http: impatient));

        Assert.Equal("Timed Out", (await sandbox.MailboxAsync(Contoso, "anezka.dvorak")).GetProperty("DisplayName").GetString());
        Assert.Single(await sandbox.AuditAsync());
    }

    [Fact]
    public async Task Latency_rules_add_up_and_another_fault_is_still_served()
    {
        await sandbox.AddFaultAsync(new { kind = "latency", path = "/adminapi/*", latencyMs = 200, count = 1 });
        await sandbox.AddFaultAsync(new { kind = "503", path = "/adminapi/*", count = 1 });

        var clock = Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await StatusAsync(MailboxUrl(), Contoso));
        Assert.True(clock.ElapsedMilliseconds >= 180);
    }

    [Fact]
    public async Task Faults_reach_the_module_endpoints()
    {
        var injected = await InjectedAsync("503");
        await sandbox.AddFaultAsync(new { kind = "503", path = "/adminapi/v1.0/*/EXOModuleFile", count = 1 });
        using (var module = await sandbox.GetAsync($"{sandbox.AdminApi(Contoso, "v1.0")}/EXOModuleFile?Version=3.9.0", await sandbox.AccessTokenAsync(Contoso)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, module.StatusCode);
        }

        Assert.Equal(injected + 1, await InjectedAsync("503"));
    }

    [Theory]
    [InlineData("{}", "needs a kind")]
    [InlineData("{\"kind\":\"418\"}", "Unknown fault kind")]
    [InlineData("{\"kind\":\"429\",\"rate\":1.5}", "rate")]
    [InlineData("{\"kind\":\"429\",\"every\":0}", "every")]
    [InlineData("{\"kind\":\"429\",\"count\":2,\"every\":3}", "one of rate, count or every")]
    [InlineData("{\"kind\":\"429\",\"tenant\":\"nowhere.onmicrosoft.com\"}", "no tenant")]
    [InlineData("{\"kind\":\"429\",\"path\":\"adminapi\"}", "starts with '/'")]
    [InlineData("{\"kind\":\"429\",\"phase\":\"during\"}", "phase")]
    [InlineData("{\"kind\":\"429\",\"rat\":0.1}", "Unknown fault key 'rat'")]
    [InlineData("[1]", "JSON object")]
    [InlineData("not json", "not valid JSON")]
    public async Task Bad_rules_are_refused_with_the_reason_and_add_nothing(string body, string reason)
    {
        using var response = await sandbox.ControlAsync(HttpMethod.Post, "/faults", body);

        var error = await response.JsonAsync(400);
        Assert.Contains(reason, error.GetProperty("error_description").GetString());
        using var list = await sandbox.ControlAsync(HttpMethod.Get, "/faults");
        Assert.Empty((await list.JsonAsync()).GetProperty("faults").EnumerateArray());
    }

    [Fact]
    public async Task Rules_list_with_their_defaults_and_can_be_removed_one_by_one()
    {
        var reset = await sandbox.AddFaultAsync(new { kind = "reset", path = "/adminapi/*" });
        var throttle = await sandbox.AddFaultAsync(new { kind = "429", rate = 0.5 });

        var listed = await sandbox.FaultAsync(throttle);
        Assert.Equal("before", listed.GetProperty("phase").GetString());
        Assert.Equal(1, listed.GetProperty("retryAfterSeconds").GetInt32());
        Assert.Equal(0, listed.GetProperty("seed").GetInt32());
        Assert.Equal("after", (await sandbox.FaultAsync(reset)).GetProperty("phase").GetString());

        using (var removed = await sandbox.ControlAsync(HttpMethod.Delete, "/faults/" + reset))
        {
            Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        }

        using (var again = await sandbox.ControlAsync(HttpMethod.Delete, "/faults/" + reset))
        {
            Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        }

        using var list = await sandbox.ControlAsync(HttpMethod.Get, "/faults");
        Assert.Equal([throttle], (await list.JsonAsync()).GetProperty("faults").EnumerateArray().Select(f => f.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Without_the_key_no_rule_is_added()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, sandbox.Server.Ready.Control.Uri + "/faults")
        {
            Content = new StringContent("{\"kind\":\"503\"}", Encoding.UTF8, "application/json"),
        };
        using var response = await sandbox.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(MailboxUrl(), Contoso));
    }

    private async Task<HttpStatusCode> StatusAsync(string url, string domain, string? token = null)
    {
        using var response = await sandbox.GetAsync(url, token ?? await sandbox.AccessTokenAsync(domain));
        await response.Content.ReadAsByteArrayAsync();
        return response.StatusCode;
    }

    private async Task<int[]> StatusesAsync(string url, int count)
    {
        var statuses = new int[count];
        for (var i = 0; i < count; i++)
        {
            statuses[i] = (int)await StatusAsync(url, Contoso);
        }

        return statuses;
    }

    private async Task<long> InjectedAsync(string kind) => (await sandbox.StatsAsync()).GetProperty("faults").GetProperty(kind).GetInt64();

    /// <summary>A new token from the token endpoint (not the fixture's cached one).</summary>
    private async Task<string> FreshTokenAsync(string domain)
    {
        using var response = await sandbox.PostTokenRequestAsync(domain, sandbox.ClientCredentialsForm(domain));
        return (await response.JsonAsync()).GetProperty("access_token").GetString()!;
    }
}
