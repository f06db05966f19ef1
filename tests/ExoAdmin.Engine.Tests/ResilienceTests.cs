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

    private static ExoRestClient Client(FakeService service, RetrySettings settings) =>
        new(TestClients.ServiceRoot, new StaticTokenProvider(), new ConnectionHeaders(Guid.NewGuid().ToString(), "UPN:admin@contoso.test", "7.6.9", "0.1.0"), service, settings)
        { Tenant = "contoso.test" };

    private static RestCall Read() => new(HttpMethod.Get, Page, "cmdlet");

    private static RestCall SetMailbox(string identity = "alex@contoso.test") => new(HttpMethod.Post, Invoke, "cmdlet")
    {
        CmdletName = "Set-Mailbox",
        JsonBody = $"{{\"CmdletInput\":{{\"CmdletName\":\"Set-Mailbox\",\"Parameters\":{{\"Identity\":\"{identity}\",\"HiddenFromAddressListsEnabled\":true}}}}}}",
    };

    private const string ChangeAnswer = "{\"@odata.context\":\"https://exo.test/adminapi/beta/t/$metadata#Collection(Exchange.GenericHashTable)\",\"value\":[]}";

    private static HttpResponseMessage Status(int status, TimeSpan? retryAfter = null, string? requestId = null)
    {
        var response = FakeService.Json("{\"error\":{\"code\":\"x\",\"message\":\"failing\"}}", (HttpStatusCode)status);
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

    /// <summary>A service that answers with the given responses in turn, then with the last one.</summary>
    private static FakeService Sequence(params Func<HttpResponseMessage>[] answers)
    {
        var calls = 0;
        return new FakeService((_, _) =>
        {
            var index = Math.Min(Interlocked.Increment(ref calls) - 1, answers.Length - 1);
            return Task.FromResult(answers[index]());
        });
    }

    [Fact]
    public async Task Retry_After_is_honoured_exactly_instead_of_the_back_off()
    {
        // A back-off of 30 s would time the test out; Retry-After says 0, then 1 s.
        var service = Sequence(() => Status(429, TimeSpan.Zero), () => Status(503, TimeSpan.FromSeconds(1)), () => FakeService.Json("{}"));
        var client = Client(service, Fast(s => s.BaseDelay = TimeSpan.FromSeconds(30)));
        var clock = Stopwatch.StartNew();

        using var response = await client.SendAsync(Read(), new RecordingSink(), CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, service.Requests.Count);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.95, 5);
    }

    [Fact]
    public async Task Server_errors_and_network_failures_of_a_read_are_retried_with_a_growing_back_off()
    {
        var times = new List<DateTime>();
        var calls = 0;
        var service = new FakeService((_, _) =>
        {
            lock (times)
            {
                times.Add(DateTime.UtcNow);
            }

            return ++calls switch
            {
                1 => Task.FromResult(Status(500)),
                2 => throw new HttpRequestException("The response ended prematurely.", new IOException("reset")),
                3 => Task.FromResult(Status(504)),
                _ => Task.FromResult(FakeService.Json("{}")),
            };
        });
        var sink = new RecordingSink();

        using var response = await Client(service, Fast(s => s.BaseDelay = TimeSpan.FromMilliseconds(100))).SendAsync(Read(), sink, CancellationToken.None);

        Assert.Equal(4, service.Requests.Count);
        // 100 ms, 200 ms, 400 ms with ±25 % jitter: each wait longer than the one before.
        var waits = times.Zip(times.Skip(1), (a, b) => (b - a).TotalMilliseconds).ToArray();
        Assert.InRange(waits[0], 70, 400);
        Assert.InRange(waits[1], 145, 600);
        Assert.InRange(waits[2], 295, 1000);
        Assert.Equal(3, sink.Verbose.Count(line => line.StartsWith("Retrying GET /adminapi/beta/t/Mailbox after ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task No_retry_starts_that_the_request_budget_cannot_hold()
    {
        var service = Sequence(() => Status(503, TimeSpan.FromSeconds(1)));
        var client = Client(service, Fast(s =>
        {
            s.MaxRetries = 50;
            s.Budget = TimeSpan.FromSeconds(2.5);
        }));
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<ExoServiceException>(() => client.SendAsync(Read(), null, CancellationToken.None));

        Assert.Equal(503, error.StatusCode);
        Assert.Equal(3, service.Requests.Count); // at 0, 1 and 2 s; a fourth would end past 2.5 s
        Assert.InRange(clock.Elapsed.TotalSeconds, 1.9, 2.5);
    }

    [Fact]
    public async Task A_spent_rate_limit_holds_every_request_of_the_connection_until_the_reset()
    {
        var reset = DateTimeOffset.UtcNow.AddMilliseconds(700);
        var sent = new List<DateTimeOffset>();
        var service = new FakeService((_, _) =>
        {
            lock (sent)
            {
                sent.Add(DateTimeOffset.UtcNow);
            }

            var response = FakeService.Json("{}");
            response.Headers.Add("Rate-Limit-Limit", "100");
            response.Headers.Add("Rate-Limit-Remaining", sent.Count == 1 ? "0" : "99");
            response.Headers.Add("Rate-Limit-Reset", reset.ToString("o"));
            return Task.FromResult(response);
        });
        var client = Client(service, Fast());
        var sink = new RecordingSink();

        (await client.SendAsync(Read(), sink, CancellationToken.None)).Dispose();
        // Two other requests of the same connection, at once: both wait for the window to reset.
        var next = await Task.WhenAll(client.SendAsync(Read(), sink, CancellationToken.None), client.SendAsync(Read(), sink, CancellationToken.None));
        foreach (var response in next)
        {
            response.Dispose();
        }

        Assert.Equal(3, sent.Count);
        Assert.All(sent.Skip(1), at => Assert.True(at >= reset.AddMilliseconds(-20), $"sent at {at:O}, before the reset at {reset:O}"));
        Assert.Contains(sink.Verbose, line => line.Contains("request budget is used up", StringComparison.Ordinal));
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
                    await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
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
        var client = Client(service, Fast(s => s.AttemptTimeout = TimeSpan.FromMilliseconds(200)));

        var error = await Assert.ThrowsAsync<ExoChangeOutcomeUnknownException>(() => client.SendAsync(SetMailbox("alex@contoso.test"), null, CancellationToken.None));

        Assert.Single(service.Requests);
        var record = error.ToErrorRecord();
        Assert.Equal("ExoChangeOutcomeUnknown", record.FullyQualifiedErrorId);
        Assert.Equal(category, record.CategoryInfo.Category);
        Assert.Equal("alex@contoso.test", record.TargetObject);
        Assert.StartsWith("The outcome of Set-Mailbox on 'alex@contoso.test' is unknown: ", error.Message);
        Assert.Contains(says, error.Message);
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
        var service = new FakeService(async (_, cancellationToken) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
            }

            return FakeService.Json("{}");
        });

        using var response = await Client(service, Fast(s => s.AttemptTimeout = TimeSpan.FromMilliseconds(200))).SendAsync(Read(), null, CancellationToken.None);

        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task A_read_that_keeps_timing_out_fails_with_an_OperationTimeout_error_that_names_no_exception_type()
    {
        var service = new FakeService(async (_, cancellationToken) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
            return FakeService.Json("{}");
        });

        var error = await Assert.ThrowsAsync<ExoException>(() => Client(service, Fast(s =>
        {
            s.MaxRetries = 1;
            s.AttemptTimeout = TimeSpan.FromMilliseconds(100);
        })).SendAsync(Read(), null, CancellationToken.None));

        Assert.Equal(ErrorCategory.OperationTimeout, error.Category);
        Assert.Equal("https://exo.test/adminapi/beta/t/Mailbox got no answer within 0.1 s (after 1 retry).", error.Message.Substring("The request to ".Length));
    }

    [Fact]
    public async Task After_a_run_of_failures_the_circuit_stops_sending_with_one_clear_error_and_tries_again_after_the_break()
    {
        var healthy = false;
        var service = new FakeService((_, _) => Task.FromResult(healthy ? FakeService.Json("{}") : Status(500)));
        var client = Client(service, Fast(s =>
        {
            s.MaxRetries = 10;
            s.CircuitMinimumRequests = 4;
            s.CircuitSampling = TimeSpan.FromSeconds(30);
            s.CircuitBreak = TimeSpan.FromSeconds(1);
        }));

        var first = await Assert.ThrowsAsync<ExoException>(() => client.SendAsync(Read(), null, CancellationToken.None));
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
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        using var response = await client.SendAsync(Read(), null, CancellationToken.None);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Requests_in_flight_when_the_token_expired_renew_it_once_and_all_succeed()
    {
        var tokens = new StaticTokenProvider();
        var refused = 0;
        var allRefused = new TaskCompletionSource();
        var service = new FakeService(async (request, _) =>
        {
            if (!request.Headers.Authorization!.Parameter!.StartsWith("renewed", StringComparison.Ordinal))
            {
                if (Interlocked.Increment(ref refused) == 5)
                {
                    allRefused.SetResult();
                }

                await allRefused.Task; // all five are refused with the old token before any renews
                return new HttpResponseMessage(HttpStatusCode.Unauthorized);
            }

            return FakeService.Json("{}");
        });
        var client = new ExoRestClient(TestClients.ServiceRoot, tokens, new ConnectionHeaders(Guid.NewGuid().ToString(), "UPN:a@contoso.test", "7.6.9", "0.1.0"), service, Fast());

        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => client.SendAsync(Read(), null, CancellationToken.None)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, tokens.Renewals);
        Assert.Equal(10, service.Requests.Count);
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
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Client(service, Fast(s => s.MaxDelay = TimeSpan.FromSeconds(60))).SendAsync(Read(), null, stop.Token));

        Assert.InRange(clock.Elapsed.TotalSeconds, 0, 1);
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
        Assert.True(ExoRestClient.IsBeforeSend(new HttpRequestException("x", new SocketException((int)SocketError.ConnectionRefused))));
        Assert.True(ExoRestClient.IsBeforeSend(new HttpRequestException("x", new System.Security.Authentication.AuthenticationException("tls"))));
        Assert.False(ExoRestClient.IsBeforeSend(new HttpRequestException("x", new IOException("reset", new SocketException((int)SocketError.ConnectionReset)))));
        Assert.False(ExoRestClient.IsBeforeSend(new HttpRequestException("The response ended prematurely.")));
    }

    /// <summary>Returns some bytes, then fails as a cut connection does.</summary>
    private sealed class BreakingStream : Stream
    {
        private readonly byte[] _bytes;
        private int _position;

        public BreakingStream(byte[] bytes) => _bytes = bytes;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

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

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
