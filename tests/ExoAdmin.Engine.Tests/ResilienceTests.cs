using System.Diagnostics;
using System.Management.Automation;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using ExoAdmin.Engine.Errors;
using ExoAdmin.Engine.Http;

namespace ExoAdmin.Engine.Tests;

/// <summary>ExoRestClient's Polly pipeline: what is retried, how long it waits, what is never replayed, and the circuit.</summary>
public class ResilienceTests
{
    private static readonly Uri Page = new("https://exo.test/adminapi/beta/t/Mailbox");
    private static readonly Uri Invoke = new("https://exo.test/adminapi/beta/t/InvokeCommand");

    private static RetrySettings Fast(Action<RetrySettings>? change = null)
    {
        var settings = new RetrySettings { MaxRetries = 4, BaseDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromSeconds(5), CircuitMinimumRequests = 50 };
        change?.Invoke(settings);
        return settings;
    }

    private static ExoRestClient Client(FakeService service, RetrySettings settings, TimeProvider? time = null, ExoAdmin.Engine.Auth.ITokenProvider? tokens = null) =>
        new(TestClients.ServiceRoot, tokens ?? new StaticTokenProvider(), new ConnectionHeaders(Guid.NewGuid().ToString(), "UPN:admin@contoso.test", "7.6.9", "0.1.0"), service, settings, time)
        { Tenant = "contoso.test" };

    private static RestCall Read() => new(HttpMethod.Get, Page, "cmdlet");

    private static RestCall SetMailbox(string identity = "alex@contoso.test") => new(HttpMethod.Post, Invoke, "cmdlet")
    {
        Kind = RequestKind.InvokeCommand,
        CmdletName = "Set-Mailbox",
        Target = identity,
        JsonBody = $"{{\"CmdletInput\":{{\"CmdletName\":\"Set-Mailbox\",\"Parameters\":{{\"Identity\":\"{identity}\",\"HiddenFromAddressListsEnabled\":true}}}}}}",
    };

    private const string ChangeAnswer = "{\"@odata.context\":\"https://exo.test/adminapi/beta/t/$metadata#Collection(Exchange.GenericHashTable)\",\"value\":[]}";

    private static HttpResponseMessage Status(int status, TimeSpan? retryAfter = null, string? requestId = null, string? body = null)
    {
        var response = FakeService.Json(body ?? "{\"error\":{\"code\":\"x\",\"message\":\"failing\"}}", (HttpStatusCode)status);
        if (retryAfter is { } after)
        {
            response.Headers.RetryAfter = new RetryConditionHeaderValue(after);
        }

        if (requestId is not null)
        {
            response.Headers.Add("request-id", requestId);
        }

        return response;
    }

    /// <summary>A service that answers with the given responses in turn, then with the last one; it notes the virtual time of each request.</summary>
    private static FakeService Sequence(VirtualClock? clock, List<TimeSpan>? at, params Func<HttpResponseMessage>[] answers)
    {
        var calls = 0;
        return new FakeService((_, _) =>
        {
            if (clock is not null && at is not null)
            {
                lock (at)
                {
                    at.Add(clock.Elapsed);
                }
            }

            var index = Math.Min(Interlocked.Increment(ref calls) - 1, answers.Length - 1);
            return Task.FromResult(answers[index]());
        });
    }

    private static FakeService Sequence(params Func<HttpResponseMessage>[] answers) => Sequence(null, null, answers);

    [Fact]
    public async Task Retry_After_is_honoured_exactly_instead_of_the_back_off()
    {
        // A back-off would wait 30 s; Retry-After says 0, then 1 s.
        var clock = new VirtualClock();
        var at = new List<TimeSpan>();
        var service = Sequence(clock, at, () => Status(429, TimeSpan.Zero), () => Status(503, TimeSpan.FromSeconds(1)), () => FakeService.Json("{}"));
        var client = Client(service, Fast(s => s.BaseDelay = TimeSpan.FromSeconds(30)), clock);

        using var response = await clock.RunAsync(client.SendAsync(Read(), new RecordingSink(), CancellationToken.None));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromSeconds(1)], at);
    }

    [Fact]
    public async Task A_Retry_After_date_already_past_is_not_a_burst_of_immediate_retries_but_the_back_off()
    {
        var clock = new VirtualClock();
        var at = new List<TimeSpan>();
        HttpResponseMessage Past()
        {
            var response = Status(503);
            response.Headers.RetryAfter = new RetryConditionHeaderValue(clock.GetUtcNow().AddMinutes(-5));
            return response;
        }

        var service = Sequence(clock, at, Past, Past, Past, () => FakeService.Json("{}"));
        var client = Client(service, Fast(s =>
        {
            s.BaseDelay = TimeSpan.FromSeconds(2);
            s.MaxDelay = TimeSpan.FromSeconds(60);
        }), clock);

        using var response = await clock.RunAsync(client.SendAsync(Read(), null, CancellationToken.None));

        // 2 s, 4 s, 8 s (±25 %), as without the header: not three retries at once.
        var waits = at.Zip(at.Skip(1), (a, b) => (b - a).TotalSeconds).ToArray();
        Assert.Equal(3, waits.Length);
        Assert.InRange(waits[0], 1.5, 2.5);
        Assert.InRange(waits[1], 3, 5);
        Assert.InRange(waits[2], 6, 10);
    }

    [Fact]
    public async Task Server_errors_and_network_failures_of_a_read_are_retried_with_a_growing_back_off()
    {
        var clock = new VirtualClock();
        var at = new List<TimeSpan>();
        var calls = 0;
        var service = new FakeService((_, _) =>
        {
            at.Add(clock.Elapsed);
            return ++calls switch
            {
                1 => Task.FromResult(Status(500)),
                2 => throw new HttpRequestException("The response ended prematurely.", new IOException("reset")),
                3 => Task.FromResult(Status(504)),
                _ => Task.FromResult(FakeService.Json("{}")),
            };
        });
        var sink = new RecordingSink();

        using var response = await clock.RunAsync(Client(service, Fast(s => s.BaseDelay = TimeSpan.FromMilliseconds(100)), clock).SendAsync(Read(), sink, CancellationToken.None));

        Assert.Equal(4, service.Requests.Count);
        // 100 ms, 200 ms, 400 ms with ±25 % jitter: each wait longer than the one before.
        var waits = at.Zip(at.Skip(1), (a, b) => (b - a).TotalMilliseconds).ToArray();
        Assert.InRange(waits[0], 75, 125);
        Assert.InRange(waits[1], 150, 250);
        Assert.InRange(waits[2], 300, 500);
        Assert.Equal(3, sink.Verbose.Count(line => line.StartsWith("Retrying GET /adminapi/beta/t/Mailbox after ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task No_retry_starts_that_the_request_budget_cannot_hold()
    {
        var clock = new VirtualClock();
        var at = new List<TimeSpan>();
        var service = Sequence(clock, at, () => Status(503, TimeSpan.FromSeconds(1)));
        var client = Client(service, Fast(s =>
        {
            s.MaxRetries = 50;
            s.Budget = TimeSpan.FromSeconds(2.5);
        }), clock);

        var error = await Assert.ThrowsAsync<ExoServiceException>(() => clock.RunAsync(client.SendAsync(Read(), null, CancellationToken.None)));

        Assert.Equal(503, error.StatusCode);
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], at); // a fourth would end past 2.5 s
    }

    [Theory]
    [InlineData(400)]
    [InlineData(404)]
    [InlineData(413)]
    [InlineData(414)]
    [InlineData(431)]
    public async Task A_deterministic_refusal_is_not_retried(int status)
    {
        var service = Sequence(() => Status(status, requestId: "rid-refused"));

        var error = await Assert.ThrowsAsync<ExoServiceException>(() => Client(service, Fast()).SendAsync(Read(), null, CancellationToken.None));

        Assert.Equal(status, error.StatusCode);
        Assert.Single(service.Requests);
    }

    [Fact]
    public async Task A_tenant_with_too_many_requests_in_flight_is_throttling_whatever_the_status_and_a_change_waits_and_is_sent_again()
    {
        // §18.4: the service refuses one request too many in flight with this text (here with a 500, which for a change
        // would otherwise mean an unknown outcome): throttling, never a failed change.
        const string refusal = "{\"error\":{\"code\":\"ServerError\",\"message\":\"You have reached the maximum number of concurrent requests per tenant. Please wait and try again\"}}";
        var clock = new VirtualClock();
        var at = new List<TimeSpan>();
        var service = Sequence(clock, at, () => Status(500, body: refusal), () => FakeService.Json(ChangeAnswer));
        var sink = new RecordingSink();

        using var response = await clock.RunAsync(Client(service, Fast(s => s.BaseDelay = TimeSpan.FromSeconds(2)), clock).SendAsync(SetMailbox(), sink, CancellationToken.None));

        Assert.Equal(2, at.Count);
        Assert.InRange((at[1] - at[0]).TotalSeconds, 1.5, 2.5);
        Assert.Contains(sink.Verbose, line => line.Contains("after 500, too many requests in flight for the tenant", StringComparison.Ordinal));
        // And the connection sends fewer at once from then on: the refusal halves its limit like a 429.
        Assert.Contains("Requests in flight on this connection: 2 → 1 (the service is throttling or its budget is nearly spent).", sink.Verbose);
    }

    [Theory]
    [InlineData(429, true)]
    [InlineData(503, true)]
    public async Task A_change_refused_before_it_ran_is_sent_again(int status, bool withRetryAfter)
    {
        var service = Sequence(() => Status(status, withRetryAfter ? TimeSpan.Zero : null), () => FakeService.Json(ChangeAnswer));

        using var response = await Client(service, Fast()).SendAsync(SetMailbox(), null, CancellationToken.None);

        Assert.Equal(2, service.Requests.Count);
        Assert.Equal(ChangeAnswer, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_change_whose_connection_was_refused_is_sent_again()
    {
        var calls = 0;
        var service = new FakeService((_, _) => ++calls == 1
            ? throw new HttpRequestException("Connection refused (exo.test:443)", new SocketException((int)SocketError.ConnectionRefused))
            : Task.FromResult(FakeService.Json(ChangeAnswer)));

        using var response = await Client(service, Fast()).SendAsync(SetMailbox(), null, CancellationToken.None);

        Assert.Equal(2, service.Requests.Count);
    }

    public static TheoryData<string, ErrorCategory, string> AmbiguousFailures => new()
    {
        { "500", ErrorCategory.ConnectionError, "HTTP 500" },
        { "503 without Retry-After", ErrorCategory.ConnectionError, "HTTP 503" },
        { "reset after sending", ErrorCategory.ConnectionError, "the connection failed after it was sent" },
        { "timeout", ErrorCategory.OperationTimeout, "no answer came within 0.2 s" },
        { "cut mid-answer", ErrorCategory.ConnectionError, "the connection was cut while the service's answer was arriving" },
        { "truncated answer", ErrorCategory.ConnectionError, "the service's answer was cut short" },
        { "empty answer", ErrorCategory.ConnectionError, "the service answered with an empty body instead of JSON" },
        { "HTML answer", ErrorCategory.ProtocolError, "the service answered with text/html instead of JSON" },
    };

    [Theory]
    [MemberData(nameof(AmbiguousFailures))]
    public async Task A_change_whose_outcome_is_unknown_is_not_replayed_and_the_error_names_the_object(string failure, ErrorCategory category, string says)
    {
        var service = new FakeService(async (_, cancellationToken) =>
        {
            switch (failure)
            {
                case "500":
                    return Status(500, requestId: "rid-500");
                case "503 without Retry-After":
                    return Status(503);
                case "reset after sending":
                    throw new HttpRequestException("An error occurred while sending the request.", new IOException("Connection reset by peer"));
                case "timeout":
                    await Task.Delay(Timeout.Infinite, cancellationToken); // never answers: the attempt timeout ends it
                    return FakeService.Json(ChangeAnswer);
                case "cut mid-answer":
                    return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new BreakingStream(Encoding.UTF8.GetBytes(ChangeAnswer.Substring(0, 30)))) };
                case "truncated answer":
                    return FakeService.Json(ChangeAnswer.Substring(0, ChangeAnswer.Length - 3));
                case "HTML answer":
                    return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("<html><body>Service Unavailable</body></html>", Encoding.UTF8, "text/html") };
                default:
                    return FakeService.Json(string.Empty);
            }
        });
        var clock = new VirtualClock();
        var client = Client(service, Fast(s => s.AttemptTimeout = TimeSpan.FromMilliseconds(200)), clock);

        var error = await Assert.ThrowsAsync<ExoChangeOutcomeUnknownException>(() => clock.RunAsync(client.SendAsync(SetMailbox("alex@contoso.test"), null, CancellationToken.None)));

        Assert.Single(service.Requests);
        var record = error.ToErrorRecord();
        Assert.Equal("ExoChangeOutcomeUnknown", record.FullyQualifiedErrorId);
        Assert.Equal(category, record.CategoryInfo.Category);
        Assert.Equal("alex@contoso.test", record.TargetObject);
        Assert.StartsWith("The outcome of Set-Mailbox on 'alex@contoso.test' is unknown: ", error.Message);
        Assert.True(error.Message.Contains(says, StringComparison.Ordinal), error.Message);
        Assert.Contains("was not sent again", error.Message);
        Assert.DoesNotContain("Exception", error.Message);
        if (failure == "500")
        {
            Assert.Contains("request-id rid-500", error.Message);
        }
    }

    [Theory]
    [InlineData("text/html", "<html><body>Sign in to the proxy</body></html>", "with text/html instead of JSON")]
    [InlineData("application/json", "", "with an empty body instead of JSON")]
    public async Task A_read_answered_with_something_other_than_JSON_is_a_protocol_error_that_says_so(string mediaType, string body, string says)
    {
        var service = new FakeService((_, _) =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, mediaType) };
            response.Headers.Add("request-id", "rid-html");
            return Task.FromResult(response);
        });

        var error = await Assert.ThrowsAsync<ExoException>(() => Client(service, Fast()).SendAsync(Read(), null, CancellationToken.None));

        Assert.Equal(ErrorCategory.ProtocolError, error.Category);
        Assert.Equal($"The service answered GET /adminapi/beta/t/Mailbox {says} (request-id rid-html). A proxy, a captive portal or an outage page may be answering in its place.", error.Message);
        Assert.Single(service.Requests);
    }

    [Fact]
    public async Task A_read_is_retried_after_an_attempt_timed_out()
    {
        var calls = 0;
        var hanging = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var service = new FakeService(async (_, cancellationToken) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                hanging.SetResult();
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            return FakeService.Json("{}");
        });
        var clock = new VirtualClock();
        var sending = Client(service, Fast(s => s.AttemptTimeout = TimeSpan.FromMilliseconds(200)), clock).SendAsync(Read(), null, CancellationToken.None);

        // The first attempt waits for an answer that never comes: its timeout fires. After that only the back-off is jumped
        // to (a horizon under 200 ms), never the second attempt's own timeout, a watchdog over work running for real.
        await hanging.Task.WaitAsync(TimeSpan.FromSeconds(30));
        clock.Advance(TimeSpan.FromMilliseconds(200));
        using var response = await clock.RunAsync(sending, horizon: TimeSpan.FromMilliseconds(100));

        Assert.Equal(2, calls);
        Assert.InRange(clock.Elapsed.TotalMilliseconds, 203, 207); // the timeout, then a back-off of 5 ms ± 25 % (to the millisecond)
    }

    [Fact]
    public async Task A_read_that_keeps_timing_out_fails_with_an_OperationTimeout_error_that_names_no_exception_type()
    {
        var service = new FakeService(async (_, cancellationToken) =>
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return FakeService.Json("{}");
        });
        var clock = new VirtualClock();

        var error = await Assert.ThrowsAsync<ExoException>(() => clock.RunAsync(Client(service, Fast(s =>
        {
            s.MaxRetries = 1;
            s.AttemptTimeout = TimeSpan.FromMilliseconds(100);
        }), clock).SendAsync(Read(), null, CancellationToken.None)));

        Assert.Equal(ErrorCategory.OperationTimeout, error.Category);
        Assert.Equal("https://exo.test/adminapi/beta/t/Mailbox got no answer within 0.1 s (after 1 retry).", error.Message.Substring("The request to ".Length));
    }

    [Fact]
    public async Task After_a_run_of_failures_the_circuit_stops_sending_with_one_clear_error_and_tries_again_after_the_break()
    {
        var healthy = false;
        var service = new FakeService((_, _) => Task.FromResult(healthy ? FakeService.Json("{}") : Status(500)));
        var clock = new VirtualClock();
        var client = Client(service, Fast(s =>
        {
            s.MaxRetries = 10;
            s.CircuitMinimumRequests = 4;
            s.CircuitSampling = TimeSpan.FromSeconds(30);
            s.CircuitBreak = TimeSpan.FromSeconds(1);
        }), clock);

        var first = await Assert.ThrowsAsync<ExoException>(() => clock.RunAsync(client.SendAsync(Read(), null, CancellationToken.None)));
        Assert.Equal(4, service.Requests.Count); // the fifth attempt met the open circuit
        Assert.Equal("ExoCircuitOpen", first.ErrorId);
        Assert.Equal(ErrorCategory.ResourceUnavailable, first.Category);
        Assert.Equal("contoso.test", first.Target);
        Assert.Matches(@"^The Exchange Online service for contoso\.test keeps failing, so ExoAdmin has stopped sending it requests on this connection\. It will try again after \d\d:\d\d:\d\d UTC \(in 1 s\); run the command again then\.$", first.Message);

        // While the circuit is open nothing is sent, a change included.
        var second = await Assert.ThrowsAsync<ExoException>(() => client.SendAsync(SetMailbox(), null, CancellationToken.None));
        Assert.Equal("ExoCircuitOpen", second.ErrorId);
        Assert.Equal(4, service.Requests.Count);

        healthy = true;
        clock.Advance(TimeSpan.FromSeconds(1.1));
        using var response = await client.SendAsync(Read(), null, CancellationToken.None);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Requests_in_flight_when_the_token_expired_renew_it_once_and_all_succeed()
    {
        var tokens = new StaticTokenProvider();
        var client = new ExoRestClient(TestClients.ServiceRoot, tokens, new ConnectionHeaders(Guid.NewGuid().ToString(), "UPN:a@contoso.test", "7.6.9", "0.1.0"), null!, Fast());
        var inFlight = client.Limiter.Limit; // the connection lets this many go at once
        var refused = 0;
        var allRefused = new TaskCompletionSource();
        var service = new FakeService(async (request, _) =>
        {
            if (!request.Headers.Authorization!.Parameter!.StartsWith("renewed", StringComparison.Ordinal))
            {
                if (Interlocked.Increment(ref refused) == inFlight)
                {
                    allRefused.SetResult();
                }

                await allRefused.Task; // all those in flight are refused with the old token before any renews
                return new HttpResponseMessage(HttpStatusCode.Unauthorized);
            }

            return FakeService.Json("{}");
        });
        client = new ExoRestClient(TestClients.ServiceRoot, tokens, new ConnectionHeaders(Guid.NewGuid().ToString(), "UPN:a@contoso.test", "7.6.9", "0.1.0"), service, Fast());

        // Each answer is taken as it comes (a request holds its place until its body is read or let go).
        var statuses = await Task.WhenAll(Enumerable.Range(0, 5).Select(async _ =>
        {
            using var response = await client.SendAsync(Read(), null, CancellationToken.None);
            return response.StatusCode;
        }));

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(1, tokens.Renewals);
        Assert.Equal(inFlight, refused);
        Assert.Equal(5 + inFlight, service.Requests.Count);
    }

    [Fact]
    public async Task Throttling_never_opens_the_circuit()
    {
        var service = Sequence(() => Status(429, TimeSpan.Zero), () => Status(429, TimeSpan.Zero), () => Status(429, TimeSpan.Zero), () => FakeService.Json("{}"));
        var client = Client(service, Fast(s => s.CircuitMinimumRequests = 2));

        using var response = await client.SendAsync(Read(), null, CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Stopping_during_a_retry_wait_ends_at_once()
    {
        var service = Sequence(() => Status(503, TimeSpan.FromSeconds(30)));
        using var stop = new CancellationTokenSource();
        var clock = new VirtualClock();
        var sending = Client(service, Fast(s => s.MaxDelay = TimeSpan.FromSeconds(60)), clock).SendAsync(Read(), null, stop.Token);

        // The first answer came and the 30 s wait began (in virtual time, which does not move): Ctrl+C now.
        await clock.WhenArmedAsync(TimeSpan.FromSeconds(30));
        Assert.Single(service.Requests);
        Assert.False(sending.IsCompleted);
        stop.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
        Assert.Equal(TimeSpan.Zero, clock.Elapsed);
        Assert.Single(service.Requests);
    }

    [Theory]
    [InlineData("BaseDelay=0.05;MaxRetries=8;Budget=30;CircuitBreak=2", 8, 50, 30, 2)]
    [InlineData(" basedelay = 1 ; ", 5, 1000, 180, 30)]
    [InlineData("CircuitFailureRatio=0.8;CircuitMinimumRequests=20;CircuitSampling=10", 5, 2000, 180, 30)]
    [InlineData(null, 5, 2000, 180, 30)]
    public void Retry_settings_come_from_EXOADMIN_RETRY(string? text, int retries, int baseMs, int budgetSeconds, int breakSeconds)
    {
        var settings = RetrySettings.Parse(text);

        Assert.Equal(retries, settings.MaxRetries);
        Assert.Equal(TimeSpan.FromMilliseconds(baseMs), settings.BaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(budgetSeconds), settings.Budget);
        Assert.Equal(TimeSpan.FromSeconds(breakSeconds), settings.CircuitBreak);
    }

    [Theory]
    [InlineData("BaseDelay=fast", "'BaseDelay=fast' is not Name=number")]
    [InlineData("Retries=3", "'Retries' is not a setting")]
    [InlineData("CircuitFailures=3", "'CircuitFailures' is not a setting")]
    public void A_retry_setting_that_does_not_parse_is_an_error_naming_it(string text, string says)
    {
        var error = Assert.Throws<ExoException>(() => RetrySettings.Parse(text));

        Assert.Equal(ErrorCategory.InvalidArgument, error.Category);
        Assert.Contains(says, error.Message);
    }

    [Fact]
    public void Only_failures_that_never_reached_the_service_count_as_before_sending()
    {
        Assert.True(RetryRules.IsBeforeSend(new HttpRequestException("x", new SocketException((int)SocketError.ConnectionRefused))));
        Assert.True(RetryRules.IsBeforeSend(new HttpRequestException("x", new System.Security.Authentication.AuthenticationException("tls"))));
        Assert.False(RetryRules.IsBeforeSend(new HttpRequestException("x", new IOException("reset", new SocketException((int)SocketError.ConnectionReset)))));
        Assert.False(RetryRules.IsBeforeSend(new HttpRequestException("The response ended prematurely.")));
    }

    /// <summary>Returns some bytes, then fails as a cut connection does.</summary>
    private sealed class BreakingStream : ReadOnlyBodyStream
    {
        private readonly byte[] _bytes;
        private int _position;

        public BreakingStream(byte[] bytes) => _bytes = bytes;

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_position >= _bytes.Length)
            {
                throw new IOException("The response ended prematurely.");
            }

            var n = Math.Min(count, _bytes.Length - _position);
            Array.Copy(_bytes, _position, buffer, offset, n);
            _position += n;
            return n;
        }
    }
}
