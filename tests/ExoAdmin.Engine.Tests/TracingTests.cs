using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using ExoAdmin.Engine.Errors;
using ExoAdmin.Engine.Http;

namespace ExoAdmin.Engine.Tests;

/// <summary>-Verbose: one line per request; -Debug: headers. Never a credential in either.</summary>
public class TracingTests
{
    private static readonly Uri Page = new("https://exo.test/adminapi/beta/t/Mailbox?PropertySet=Minimum");

    [Fact]
    public async Task A_request_ends_with_one_verbose_line_with_method_path_status_duration_retries_and_request_id_after_a_line_per_retry()
    {
        var calls = 0;
        var service = new FakeService((_, _) =>
        {
            var response = ++calls == 1
                ? FakeService.Json("{}", (HttpStatusCode)429)
                : FakeService.Json("{\"value\":[]}");
            if (calls == 1)
            {
                response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.Zero);
            }

            response.Headers.Add("request-id", $"rid-{calls}");
            return Task.FromResult(response);
        });
        var sink = new RecordingSink();

        using var response = await TestClients.Create(service).SendAsync(new RestCall(HttpMethod.Get, Page, "cmdlet-id"), sink, CancellationToken.None);

        var lines = RequestLines(sink.Verbose);
        Assert.Equal(2, lines.Count);
        Assert.Matches(@"^Retrying GET /adminapi/beta/t/Mailbox after 429 \(retry 1 of 2, waiting 0\.0 s, request-id rid-1\)\.$", lines.First());
        Assert.Matches(@"^GET /adminapi/beta/t/Mailbox\?PropertySet=Minimum 200 in \d+ ms, 1 retry, request-id rid-2$", lines.Last());
        // The throttled answer halved the connection's requests in flight, the clean one grew them back: each a line of its own.
        Assert.Equal(["Requests in flight on this connection: 2 → 1 (the service is throttling or its budget is nearly spent).", "Requests in flight on this connection: 1 → 2 (answers came back clean)."], sink.Verbose.Where(l => l.StartsWith("Requests in flight", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_connection_with_a_trace_log_gets_every_request_and_retry_line_and_its_errors_without_the_token()
    {
        var calls = 0;
        var tokens = new StaticTokenProvider();
        var service = new FakeService((_, _) =>
        {
            var response = ++calls == 1 ? FakeService.Json("{}", (HttpStatusCode)429) : FakeService.Json("{\"error\":{\"code\":\"NotFound\",\"message\":\"no such mailbox\"}}", HttpStatusCode.NotFound);
            response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.Zero);
            response.Headers.Add("request-id", $"rid-{calls}");
            return Task.FromResult(response);
        });
        var log = new RecordingTraceLog();
        var client = TestClients.Create(service, tokens);
        client.TraceLog = log;

        await Assert.ThrowsAsync<ExoServiceException>(() => client.SendAsync(new RestCall(HttpMethod.Get, new Uri("https://exo.test/adminapi/beta/t/Mailbox?access_token=leak"), "c"), null, CancellationToken.None));

        var lines = RequestLines(log.Lines);
        Assert.Equal(3, lines.Count);
        Assert.StartsWith("Retrying GET /adminapi/beta/t/Mailbox after 429", lines[0]);
        Assert.Matches(@"^GET /adminapi/beta/t/Mailbox\?access_token=\[redacted\] 404 in \d+ ms, 1 retry, request-id rid-2$", lines[1]);
        Assert.StartsWith("Error NotFound: no such mailbox", lines[2]);
        Assert.DoesNotContain(log.Lines, line => line.Contains(tokens.Current!.Value, StringComparison.Ordinal) || line.Contains("leak", StringComparison.Ordinal));
    }

    /// <summary>The request and retry lines (and errors), without the concurrency limiter's lines.</summary>
    private static List<string> RequestLines(IEnumerable<string> lines) => lines.Where(l => !l.StartsWith("Requests in flight", StringComparison.Ordinal)).ToList();

    private sealed class RecordingTraceLog : ITraceLog
    {
        public List<string> Lines { get; } = new();

        public void Write(string line)
        {
            lock (Lines)
            {
                Lines.Add(line);
            }
        }
    }

    [Fact]
    public async Task A_failed_request_still_gets_its_line_with_the_status_and_request_id()
    {
        var service = new FakeService((_, _) =>
        {
            var response = FakeService.Json("{\"error\":{\"code\":\"NotFound\",\"message\":\"no such mailbox\"}}", HttpStatusCode.NotFound);
            response.Headers.Add("request-id", "rid-404");
            return Task.FromResult(response);
        });
        var sink = new RecordingSink();

        await Assert.ThrowsAsync<ExoServiceException>(() => TestClients.Create(service).SendAsync(new RestCall(HttpMethod.Get, Page, "c"), sink, CancellationToken.None));

        Assert.Matches(@"^GET \S+ 404 in \d+ ms, 0 retries, request-id rid-404$", Assert.Single(RequestLines(sink.Verbose)));
    }

    [Fact]
    public async Task An_InvokeCommand_line_names_the_cmdlet_and_the_identity()
    {
        var service = new FakeService((_, _) => Task.FromResult(FakeService.Json("{\"value\":[]}")));
        var sink = new RecordingSink();
        var call = new RestCall(HttpMethod.Post, new Uri("https://exo.test/adminapi/beta/t/InvokeCommand"), "c")
        {
            Kind = RequestKind.InvokeCommand,
            JsonBody = "{}",
            CmdletName = "Set-Mailbox",
            Target = "alex",
        };

        using var response = await TestClients.Create(service).SendAsync(call, sink, CancellationToken.None);

        Assert.Matches(@"^POST /adminapi/beta/t/InvokeCommand 200 in \d+ ms, 0 retries, request-id - \(Set-Mailbox 'alex'\)$", Assert.Single(RequestLines(sink.Verbose)));
    }

    [Fact]
    public async Task A_network_failure_is_traced_as_failed_with_its_retries()
    {
        var service = new FakeService((_, _) => throw new HttpRequestException("connection refused"));
        var sink = new RecordingSink();

        await Assert.ThrowsAsync<ExoException>(() => TestClients.Create(service).SendAsync(new RestCall(HttpMethod.Get, Page, "c"), sink, CancellationToken.None));

        var lines = RequestLines(sink.Verbose);
        Assert.Equal(3, lines.Count);
        Assert.All(lines.Take(2), line => Assert.StartsWith("Retrying GET /adminapi/beta/t/Mailbox after a network failure", line));
        Assert.Matches(@"^GET \S+ failed \(HttpRequestException\) in \d+ ms, 2 retries, request-id -$", lines.Last());
    }

    [Fact]
    public async Task Debug_shows_request_and_response_headers_without_the_token_or_cookies()
    {
        var tokens = new StaticTokenProvider();
        var service = new FakeService((_, _) =>
        {
            var response = FakeService.Json("{\"value\":[]}");
            response.Headers.Add("request-id", "rid-1");
            response.Headers.Add("Set-Cookie", "session=s3cr3t-cookie; Secure");
            response.Headers.Add("x-ms-refresh-token", "refresh-value");
            return Task.FromResult(response);
        });
        var sink = new RecordingSink();

        using var response = await TestClients.Create(service, tokens).SendAsync(new RestCall(HttpMethod.Get, Page, "cmdlet-id"), sink, CancellationToken.None);

        var debug = string.Join("\n", sink.Debug);
        Assert.Contains("Request: GET /adminapi/beta/t/Mailbox?PropertySet=Minimum", debug);
        Assert.Contains("Authorization: Bearer [redacted]", debug);
        Assert.Contains("client-request-id: cmdlet-id", debug);
        Assert.Contains("Response: 200", debug);
        Assert.Contains("request-id: rid-1", debug);
        Assert.Contains("Set-Cookie: [redacted]", debug);
        Assert.DoesNotContain(tokens.Current!.Value, debug);
        Assert.DoesNotContain("s3cr3t-cookie", debug);
        Assert.DoesNotContain("refresh-value", debug);
        Assert.DoesNotContain(tokens.Current!.Value, string.Join("\n", sink.Verbose));
    }

    [Theory]
    [InlineData("/a?access_token=abc&$skiptoken=5", "/a?access_token=[redacted]&$skiptoken=5")]
    [InlineData("/a?client_assertion=eyJ.x.y&password=p&code=c", "/a?client_assertion=[redacted]&password=[redacted]&code=[redacted]")]
    [InlineData("/a?sig=abc%3D&Identity=alex", "/a?sig=[redacted]&Identity=alex")]
    [InlineData("/a", "/a")]
    public void Credential_like_query_values_are_masked_and_others_kept(string pathAndQuery, string expected)
    {
        Assert.Equal(expected, Redaction.PathAndQuery(new Uri("https://exo.test" + pathAndQuery)));
    }

    [Theory]
    [InlineData("Authorization", "Bearer eyJhbGciOi.payload.sig", "Authorization: Bearer [redacted]")]
    [InlineData("Proxy-Authorization", "Basic dXNlcjpwYXNz", "Proxy-Authorization: Basic [redacted]")]
    [InlineData("Cookie", "a=b", "Cookie: [redacted]")]
    [InlineData("X-Client-Assertion", "eyJ.x.y", "X-Client-Assertion: [redacted]")]
    [InlineData("X-AnchorMailbox", "UPN:admin@contoso.com", "X-AnchorMailbox: UPN:admin@contoso.com")]
    public void Header_values_that_are_credentials_are_masked(string name, string value, string expected)
    {
        Assert.Equal(expected, Redaction.Header(name, new[] { value }));
        if (expected.EndsWith("[redacted]", StringComparison.Ordinal))
        {
            Assert.DoesNotMatch(Regex.Escape(value.Split(' ').Last()), Redaction.Header(name, new[] { value }));
        }
    }
}
