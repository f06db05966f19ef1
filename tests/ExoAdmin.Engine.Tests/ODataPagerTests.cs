using System.Management.Automation;
using System.Net;
using System.Web;
using ExoAdmin.Engine.Errors;
using ExoAdmin.Engine.Model;
using ExoAdmin.Engine.OData;

namespace ExoAdmin.Engine.Tests;

public class ODataPagerTests
{
    private static readonly Uri FirstPage = new("https://exo.test/adminapi/beta/t/Mailbox");

    /// <summary>A service of `total` mailboxes that honours Prefer: odata.maxpagesize, as the real one does.</summary>
    private static FakeService PagedService(int total, Func<int, CancellationToken, Task>? beforePage = null)
    {
        var pageNumber = 0;
        return new FakeService(async (request, cancellationToken) =>
        {
            var query = HttpUtility.ParseQueryString(request.RequestUri!.Query);
            var skip = int.Parse(query["$skiptoken"] ?? "0");
            var prefer = request.Headers.GetValues("Prefer").Single();
            var size = int.Parse(prefer.Replace("odata.maxpagesize=", string.Empty).TrimEnd(';'));
            if (beforePage is not null)
            {
                await beforePage(pageNumber++, cancellationToken);
            }

            var end = Math.Min(total, skip + size);
            var next = end < total ? $"https://exo.test/adminapi/beta/t/Mailbox?$skiptoken={end}" : null;
            return FakeService.Json(TestClients.MailboxPage(Enumerable.Range(skip + 1, end - skip), next));
        });
    }

    private static ObjectMaterializer Materializer() => new(EdmModel.Instance.GetType("Mailbox"), "ExoAdmin.Mailbox");

    [Fact]
    public async Task Follows_next_links_until_the_last_page_and_returns_each_object_once()
    {
        var service = PagedService(2500);
        var sink = new RecordingSink();
        var pager = new ODataPager(TestClients.Create(service), pageSize: 1000);

        var result = await pager.ReadAsync(FirstPage, ResultSize.Unlimited, Materializer(), "req", sink, CancellationToken.None);

        var aliases = sink.Objects.Cast<PSObject>().Select(o => (string)o.Properties["Alias"].Value).ToList();
        Assert.Equal(2500, result.Written);
        Assert.Equal(2500, aliases.Distinct().Count());
        Assert.Equal(3, service.Requests.Count);
        Assert.False(result.MoreAvailable);
    }

    [Fact]
    public async Task Asks_only_for_what_ResultSize_still_needs_and_stops_without_requesting_the_next_link()
    {
        var service = PagedService(100);
        var sink = new RecordingSink();
        var pager = new ODataPager(TestClients.Create(service), pageSize: 3);

        var result = await pager.ReadAsync(FirstPage, ResultSize.Of(5), Materializer(), "req", sink, CancellationToken.None);

        Assert.Equal(5, sink.Objects.Count);
        Assert.True(result.MoreAvailable);
        Assert.Equal(new[] { "odata.maxpagesize=3;", "odata.maxpagesize=2;" }, service.Requests.Select(r => r.Headers.GetValues("Prefer").Single()));
        // OData-Version goes on the first request only, as the original sends it.
        Assert.True(service.Requests.First().Headers.Contains("OData-Version"));
        Assert.False(service.Requests.Last().Headers.Contains("OData-Version"));
    }

    [Theory]
    [InlineData(40, 40, false)] // the page ends with the last object asked for and has no next link: nothing more
    [InlineData(41, 40, true)]  // a next link
    public async Task A_list_that_ends_exactly_at_ResultSize_has_no_more(int total, int resultSize, bool more)
    {
        var pager = new ODataPager(TestClients.Create(PagedService(total)), pageSize: 1000);

        var result = await pager.ReadAsync(FirstPage, ResultSize.Of(resultSize), Materializer(), "req", new RecordingSink(), CancellationToken.None);

        Assert.Equal(resultSize, result.Written);
        Assert.Equal(more, result.MoreAvailable);
    }

    [Fact]
    public async Task A_page_with_objects_beyond_ResultSize_has_more_though_it_has_no_next_link()
    {
        // A server that ignores the page size asked for: the 41st object says there are more; it is not read.
        var service = new FakeService((_, _) => Task.FromResult(FakeService.Json(TestClients.MailboxPage(Enumerable.Range(1, 41), null))));
        var sink = new RecordingSink();
        var pager = new ODataPager(TestClients.Create(service), pageSize: 1000);

        var result = await pager.ReadAsync(FirstPage, ResultSize.Of(40), Materializer(), "req", sink, CancellationToken.None);

        Assert.Equal(40, sink.Objects.Count);
        Assert.True(result.MoreAvailable);
    }

    [Fact]
    public async Task A_stop_downstream_makes_no_further_request()
    {
        var service = PagedService(5000);
        var written = 0;
        // What Select-Object -First 5 does to the pump: the sixth write throws.
        var sink = new RecordingSink(_ =>
        {
            if (++written == 5)
            {
                throw new PipelineStoppedException();
            }
        });
        var pager = new ODataPager(TestClients.Create(service), pageSize: 1000);

        await Assert.ThrowsAsync<PipelineStoppedException>(() => pager.ReadAsync(FirstPage, ResultSize.Unlimited, Materializer(), "req", sink, CancellationToken.None));

        Assert.Single(service.Requests);
    }

    [Fact]
    public async Task Cancellation_stops_the_request_in_flight()
    {
        var secondPageCancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondPageArrived = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var service = PagedService(3000, async (page, cancellationToken) =>
        {
            if (page == 1)
            {
                secondPageArrived.TrySetResult(true);
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    secondPageCancelled.TrySetResult(true);
                    throw;
                }
            }
        });
        using var cancellation = new CancellationTokenSource();
        var written = 0;
        // Ctrl+C while the second page is on its way (once the service has it: a loaded machine may take a while to send it).
        var sink = new RecordingSink(_ =>
        {
            if (++written == 1000)
            {
                secondPageArrived.Task.ContinueWith(_ => cancellation.CancelAfter(TimeSpan.FromMilliseconds(100)), TaskScheduler.Default);
            }
        });
        var pager = new ODataPager(TestClients.Create(service), pageSize: 1000);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pager.ReadAsync(FirstPage, ResultSize.Unlimited, Materializer(), "req", sink, cancellation.Token));

        Assert.True(await secondPageCancelled.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(1000, sink.Objects.Count);
    }

    [Fact]
    public async Task A_next_link_to_another_host_is_refused_and_no_token_is_sent_there()
    {
        var service = new FakeService((request, _) => Task.FromResult(
            FakeService.Json(TestClients.MailboxPage(new[] { 1 }, "https://evil.test/adminapi/beta/t/Mailbox?$skiptoken=1"))));
        var pager = new ODataPager(TestClients.Create(service), pageSize: 1);

        var error = await Assert.ThrowsAsync<ExoException>(() => pager.ReadAsync(FirstPage, ResultSize.Unlimited, Materializer(), "req", new RecordingSink(), CancellationToken.None));

        Assert.Equal(ErrorCategory.ProtocolError, error.Category);
        Assert.All(service.Requests, r => Assert.Equal("exo.test", r.RequestUri!.Host));
    }

    [Fact]
    public async Task A_page_without_odata_context_is_refused()
    {
        var service = new FakeService((_, _) => Task.FromResult(FakeService.Json("{\"value\":[{\"Alias\":\"a\"}]}")));
        var pager = new ODataPager(TestClients.Create(service), pageSize: 10);

        var error = await Assert.ThrowsAsync<ExoException>(() => pager.ReadAsync(FirstPage, ResultSize.Unlimited, Materializer(), "req", new RecordingSink(), CancellationToken.None));

        Assert.Contains("@odata.context", error.Message);
    }

    [Fact]
    public async Task Throttled_pages_are_retried_after_Retry_After_and_nothing_is_duplicated()
    {
        var calls = 0;
        var inner = PagedService(30);
        var service = new FakeService(async (request, cancellationToken) =>
        {
            if (Interlocked.Increment(ref calls) % 2 == 1)
            {
                var throttled = FakeService.Json("{\"error\":{\"code\":\"TooManyRequests\",\"message\":\"slow down\"}}", (HttpStatusCode)429);
                throttled.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.Zero);
                throttled.Headers.Add("request-id", $"throttled-{calls}");
                return throttled;
            }

            return await inner.SendForTest(request, cancellationToken);
        });
        var sink = new RecordingSink();
        var pager = new ODataPager(TestClients.Create(service), pageSize: 10);

        await pager.ReadAsync(FirstPage, ResultSize.Unlimited, Materializer(), "req", sink, CancellationToken.None);

        Assert.Equal(30, sink.Objects.Cast<PSObject>().Select(o => (string)o.Properties["Alias"].Value).Distinct().Count());
        Assert.Equal(30, sink.Objects.Count);
        // §9.1: the retry carries the failed response's request-id as its client-request-id.
        var retried = service.Requests.ElementAt(1);
        Assert.Equal("throttled-1", retried.Headers.GetValues("client-request-id").Single());
        Assert.Contains(sink.Verbose, line => line.StartsWith("Retrying GET", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refused_token_is_renewed_once_and_the_request_resent()
    {
        var tokens = new StaticTokenProvider();
        var service = new FakeService((request, _) => Task.FromResult(
            request.Headers.Authorization!.Parameter!.StartsWith("renewed", StringComparison.Ordinal)
                ? FakeService.Json(TestClients.MailboxPage(new[] { 1 }, null))
                : new HttpResponseMessage(HttpStatusCode.Unauthorized)));
        var sink = new RecordingSink();
        var pager = new ODataPager(TestClients.Create(service, tokens), pageSize: 10);

        await pager.ReadAsync(FirstPage, ResultSize.Unlimited, Materializer(), "req", sink, CancellationToken.None);

        Assert.Single(sink.Objects);
        Assert.Equal(1, tokens.Renewals);
    }
}

internal static class FakeServiceExtensions
{
    /// <summary>Lets one fake delegate to another.</summary>
    public static async Task<HttpResponseMessage> SendForTest(this FakeService service, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var invoker = new HttpMessageInvoker(service, disposeHandler: false);
        return await invoker.SendAsync(request, cancellationToken);
    }
}
