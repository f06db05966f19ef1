using System.Management.Automation;
using System.Net;
using System.Text;
using System.Web;
using ExoAdmin.Engine.Errors;
using ExoAdmin.Engine.Model;
using ExoAdmin.Engine.OData;

namespace ExoAdmin.Engine.Tests;

/// <summary>
/// The pager asks for the next page while the current one is written (one page ahead at most, and only once the
/// consumer has taken a good part of it), and re-reads a page whose body broke off without losing or repeating objects.
/// </summary>
public class PagerPrefetchTests
{
    private static readonly Uri FirstPage = new("https://exo.test/adminapi/beta/t/Mailbox");

    private static ObjectMaterializer Materializer() => new(EdmModel.Instance.GetType("Mailbox"), "ExoAdmin.Mailbox");

    private static (int Skip, int Size) PageOf(HttpRequestMessage request)
    {
        var skip = int.Parse(HttpUtility.ParseQueryString(request.RequestUri!.Query)["$skiptoken"] ?? "0");
        var size = int.Parse(request.Headers.GetValues("Prefer").Single().Replace("odata.maxpagesize=", string.Empty).TrimEnd(';'));
        return (skip, size);
    }

    private static string PageJson(int total, int skip, int size)
    {
        var end = Math.Min(total, skip + size);
        return TestClients.MailboxPage(Enumerable.Range(skip + 1, end - skip), end < total ? $"https://exo.test/adminapi/beta/t/Mailbox?$skiptoken={end}" : null);
    }

    /// <summary>Pages of `total` mailboxes; `respond` may replace the answer to the n-th request (0-based).</summary>
    private static FakeService Service(int total, Func<int, string, HttpResponseMessage?>? respond = null)
    {
        var n = -1;
        return new FakeService((request, _) =>
        {
            var (skip, size) = PageOf(request);
            var json = PageJson(total, skip, size);
            var response = respond?.Invoke(Interlocked.Increment(ref n), json) ?? FakeService.Json(json);
            response.Headers.TryAddWithoutValidation("request-id", $"rid-{skip}-{n}");
            return Task.FromResult(response);
        });
    }

    private static List<string> Aliases(RecordingSink sink) => sink.Objects.Cast<PSObject>().Select(o => (string)o.Properties["Alias"].Value).ToList();

    [Fact]
    public async Task The_next_page_is_requested_before_the_current_one_is_all_written()
    {
        var pageOneIn = new TaskCompletionSource();
        var service = Service(300, (n, json) => n == 0 ? Whole(json, pageOneIn) : null);
        var requestsWhenPageOneWasDone = -1;
        var written = 0;
        var sink = new RecordingSink(_ =>
        {
            written++;
            if (written == 30)
            {
                Assert.True(pageOneIn.Task.Wait(TimeSpan.FromSeconds(30))); // a slow consumer: the whole body is in by now
            }

            if (written == 100)
            {
                SpinWait.SpinUntil(() => service.Requests.Count >= 2, 2_000);
                requestsWhenPageOneWasDone = service.Requests.Count;
            }
        });
        var pager = new ODataPager(TestClients.Create(service), pageSize: 100);

        await pager.ReadAsync(FirstPage, ResultSize.Unlimited, Materializer(), "req", sink, CancellationToken.None);

        Assert.Equal(2, requestsWhenPageOneWasDone); // page 2 asked for while page 1 was still being written, not page 3
        Assert.Equal(Enumerable.Range(1, 300).Select(i => $"user{i}"), Aliases(sink));
        Assert.Equal(3, service.Requests.Count);
    }

    [Fact]
    public async Task Select_First_10_still_makes_exactly_one_request()
    {
        var pageOneIn = new TaskCompletionSource();
        var service = Service(5000, (n, json) => n == 0 ? Whole(json, pageOneIn) : null);
        var written = 0;
        var sink = new RecordingSink(_ =>
        {
            if (++written == 1)
            {
                Assert.True(pageOneIn.Task.Wait(TimeSpan.FromSeconds(30))); // the first page's body is all in, its next link known
            }

            if (written == 10)
            {
                throw new PipelineStoppedException();
            }
        });
        var pager = new ODataPager(TestClients.Create(service), pageSize: 1000);

        await Assert.ThrowsAsync<PipelineStoppedException>(() => pager.ReadAsync(FirstPage, ResultSize.Unlimited, Materializer(), "req", sink, CancellationToken.None));

        Assert.Single(service.Requests);
    }

    [Fact]
    public async Task Nothing_is_requested_ahead_past_ResultSize()
    {
        var service = Service(1000);
        var sink = new RecordingSink(_ => Thread.Sleep(1));
        var pager = new ODataPager(TestClients.Create(service), pageSize: 50);

        await pager.ReadAsync(FirstPage, ResultSize.Of(100), Materializer(), "req", sink, CancellationToken.None);

        Assert.Equal(100, sink.Objects.Count);
        Assert.Equal(2, service.Requests.Count);
    }

    [Fact]
    public async Task A_page_whose_connection_breaks_mid_body_is_read_again_and_nothing_is_lost_or_repeated()
    {
        // The second request (page 2) breaks off after about half its bytes; the re-request succeeds.
        var service = Service(300, (n, json) => n == 1 ? Breaking(json, json.Length / 2) : null);
        var sink = new RecordingSink();
        var pager = new ODataPager(TestClients.Create(service), pageSize: 100);

        await pager.ReadAsync(FirstPage, ResultSize.Unlimited, Materializer(), "req", sink, CancellationToken.None);

        Assert.Equal(Enumerable.Range(1, 300).Select(i => $"user{i}"), Aliases(sink));
        Assert.Equal(4, service.Requests.Count);
        var urls = service.Requests.Select(r => r.RequestUri!.Query).ToArray();
        Assert.Equal(urls[1], urls[2]); // the same link, asked again
        var line = Assert.Single(sink.Verbose, l => l.Contains("broke off", StringComparison.Ordinal));
        Assert.Contains("request-id rid-100-1", line);
        Assert.Matches(@"after \d+ object", line);
    }

    [Fact]
    public async Task A_truncated_page_is_read_again()
    {
        var service = Service(30, (n, json) => n == 0 ? FakeService.Json(json[..(json.Length * 2 / 3)]) : null);
        var sink = new RecordingSink();
        var pager = new ODataPager(TestClients.Create(service), pageSize: 10);

        await pager.ReadAsync(FirstPage, ResultSize.Unlimited, Materializer(), "req", sink, CancellationToken.None);

        Assert.Equal(Enumerable.Range(1, 30).Select(i => $"user{i}"), Aliases(sink));
        Assert.Contains(sink.Verbose, l => l.Contains("broke off", StringComparison.Ordinal) && l.Contains("truncated", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_body_that_keeps_breaking_fails_the_read_after_the_retries()
    {
        var service = Service(30, (n, json) => Breaking(json, 200));
        var pager = new ODataPager(TestClients.Create(service), pageSize: 10);

        var error = await Assert.ThrowsAsync<ExoException>(() => pager.ReadAsync(FirstPage, ResultSize.Unlimited, Materializer(), "req", new RecordingSink(), CancellationToken.None));

        Assert.Equal(ErrorCategory.ConnectionError, error.Category);
        Assert.Equal(1 + ODataPager.MaxBodyRetries, service.Requests.Count);
    }

    [Fact]
    public async Task A_change_whose_response_breaks_off_is_not_sent_again()
    {
        var service = Service(30, (n, json) => Breaking(json, json.Length / 2));
        var pager = new ODataPager(TestClients.Create(service), pageSize: 10);
        var change = new InvokeCommandCall("Set-Mailbox", "{\"CmdletInput\":{\"CmdletName\":\"Set-Mailbox\",\"Parameters\":{}}}", isReadOnly: false);

        var error = await Assert.ThrowsAsync<ExoChangeOutcomeUnknownException>(() => pager.ReadAsync(FirstPage, ResultSize.Unlimited, Materializer(), "req", new RecordingSink(), CancellationToken.None, change));

        Assert.Contains("Set-Mailbox", error.Message);
        Assert.Single(service.Requests);
    }

    [Fact]
    public async Task A_single_entity_whose_body_breaks_off_is_read_again()
    {
        const string entity = "{\"@odata.context\":\"https://exo.test/adminapi/beta/t/$metadata#Exchange.MailboxStatistics\",\"DisplayName\":\"Alex Wilber\"}";
        var calls = 0;
        var service = new FakeService((_, _) =>
        {
            var response = Interlocked.Increment(ref calls) == 1 ? Breaking(entity, 20) : FakeService.Json(entity);
            response.Headers.TryAddWithoutValidation("request-id", $"rid-{calls}");
            return Task.FromResult(response);
        });
        var sink = new RecordingSink();
        var call = new ExoAdmin.Engine.Http.RestCall(HttpMethod.Get, new Uri("https://exo.test/adminapi/beta/t/Mailbox('alex')/Exchange.GetMailboxStatistics()"), "req");

        var body = await EntityReader.ReadAsync(TestClients.Create(service), call, sink, CancellationToken.None);

        Assert.Equal(entity, Encoding.UTF8.GetString(body));
        Assert.Equal(2, service.Requests.Count);
        Assert.Contains(sink.Verbose, l => l.Contains("broke off", StringComparison.Ordinal) && l.Contains("rid-1", StringComparison.Ordinal));
    }

    /// <summary>A 200 whose body delivers the first `after` bytes and then fails like a reset connection.</summary>
    private static HttpResponseMessage Breaking(string json, int after) =>
        new(HttpStatusCode.OK) { Content = new StreamContent(new BreakingStream(Encoding.UTF8.GetBytes(json), after)) };

    /// <summary>A 200 with the whole page, completing `read` once the client has read its last byte (no sleep to guess when).</summary>
    private static HttpResponseMessage Whole(string json, TaskCompletionSource read)
    {
        var content = new StreamContent(new BreakingStream(Encoding.UTF8.GetBytes(json), int.MaxValue, () => read.TrySetResult()));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return new(HttpStatusCode.OK) { Content = content };
    }

    private sealed class BreakingStream(byte[] bytes, int after, Action? atEnd = null) : ReadOnlyBodyStream
    {
        private int _position;

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_position >= after)
            {
                throw new IOException("Connection reset by peer");
            }

            var n = Math.Min(count, Math.Min(after, bytes.Length) - _position);
            Array.Copy(bytes, _position, buffer, offset, n);
            _position += n;
            if (_position == bytes.Length)
            {
                atEnd?.Invoke();
            }

            return n;
        }
    }
}
