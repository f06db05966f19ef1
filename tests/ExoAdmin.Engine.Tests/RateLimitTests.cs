using System.Management.Automation;
using System.Net;
using System.Net.Http.Headers;
using ExoAdmin.Engine.Errors;
using ExoAdmin.Engine.Http;
using ExoAdmin.Engine.Model;
using ExoAdmin.Engine.OData;

namespace ExoAdmin.Engine.Tests;

/// <summary>
/// The tenant's request budget (Rate-Limit-Remaining/Reset) and the connection's adaptive concurrency, in virtual time:
/// a spent budget holds requests until the reset, inside each request's own time budget; a reset it cannot reach fails at
/// once (finding 6: "60 s per page outside the retry budget, so a read never ends in bounded time").
/// </summary>
public class RateLimitTests
{
    private static readonly Uri Page = new("https://exo.test/adminapi/beta/t/Mailbox");

    private static ExoRestClient Client(FakeService service, VirtualClock clock, int maxConcurrency = 8, Action<RetrySettings>? change = null)
    {
        var settings = new RetrySettings { MaxRetries = 4, BaseDelay = TimeSpan.FromMilliseconds(5), CircuitMinimumRequests = 1000 };
        change?.Invoke(settings);
        return new ExoRestClient(TestClients.ServiceRoot, new StaticTokenProvider(), new ConnectionHeaders("c", "UPN:a@contoso.test", "7.6.9", "0.1.0"), service, settings, clock, maxConcurrency) { Tenant = "contoso.test" };
    }

    private static HttpResponseMessage Budget(HttpResponseMessage response, int remaining, DateTimeOffset reset)
    {
        response.Headers.Add("Rate-Limit-Limit", "100");
        response.Headers.Add("Rate-Limit-Remaining", remaining.ToString(System.Globalization.CultureInfo.InvariantCulture));
        response.Headers.Add("Rate-Limit-Reset", reset.ToString("o"));
        return response;
    }

    [Fact]
    public async Task A_spent_budget_holds_every_request_of_the_connection_until_the_reset()
    {
        var clock = new VirtualClock();
        var reset = clock.GetUtcNow().AddMilliseconds(700);
        var sent = new List<DateTimeOffset>();
        var service = new FakeService((_, _) =>
        {
            lock (sent)
            {
                sent.Add(clock.GetUtcNow());
                return Task.FromResult(Budget(FakeService.Json("{}"), sent.Count == 1 ? 0 : 99, reset));
            }
        });
        var client = Client(service, clock);
        var sink = new RecordingSink();

        (await client.SendAsync(new RestCall(HttpMethod.Get, Page, "c"), sink, CancellationToken.None)).Dispose();
        // Two other requests of the same connection, at once: both wait for the window to reset.
        var next = await clock.RunAsync(Task.WhenAll(client.SendAsync(new RestCall(HttpMethod.Get, Page, "c"), sink, CancellationToken.None), client.SendAsync(new RestCall(HttpMethod.Get, Page, "c"), sink, CancellationToken.None)));
        foreach (var response in next)
        {
            response.Dispose();
        }

        Assert.Equal(3, sent.Count);
        Assert.All(sent.Skip(1), at => Assert.True(at >= reset, $"sent at {at:O}, before the reset at {reset:O}"));
        Assert.Contains(sink.Verbose, line => line.Contains("request budget is used up", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_reset_past_the_requests_budget_fails_at_once_saying_until_when_and_the_read_ends()
    {
        var clock = new VirtualClock();
        var reset = clock.GetUtcNow().AddHours(1);
        var service = new FakeService((request, _) => Task.FromResult(Budget(FakeService.Json(TestClients.MailboxPage([1, 2], "https://exo.test/adminapi/beta/t/Mailbox?$skiptoken=2")), 0, reset)));
        var sink = new RecordingSink();

        var error = await Assert.ThrowsAsync<ExoException>(() => clock.RunAsync(new ODataPager(Client(service, clock), 2, "Get-EXOMailbox")
            .ReadAsync(Page, ResultSize.Unlimited, new ObjectMaterializer(EdmModel.Instance.GetType("Mailbox"), "ExoAdmin.Mailbox"), "c", sink, CancellationToken.None)));

        Assert.Equal("ExoRequestBudgetExhausted", error.ErrorId);
        Assert.Equal(ErrorCategory.LimitsExceeded, error.Category);
        Assert.Contains($"used up until {reset.UtcDateTime:HH:mm:ss} UTC (Rate-Limit-Reset)", error.Message);
        Assert.Contains("was not sent", error.Message);
        Assert.Equal(TimeSpan.Zero, clock.Elapsed); // no wait at all: the reset is out of reach
        Assert.Single(service.Requests);
        Assert.Equal(2, sink.Objects.Count);
    }

    [Fact]
    public async Task The_limiter_starts_low_grows_by_one_per_window_of_clean_answers_and_stops_at_the_maximum()
    {
        var limiter = new AdaptiveConcurrencyLimiter(4);
        Assert.Equal(AdaptiveConcurrencyLimiter.InitialLimit, limiter.Limit);

        var growth = new List<int>();
        for (var i = 0; i < 20; i++)
        {
            using var lease = await limiter.AcquireAsync(CancellationToken.None);
            if (limiter.Clean(lease) is { } change)
            {
                growth.Add(change.To);
            }
        }

        Assert.Equal([3, 4], growth); // 2 clean answers at 2, then 3 at 3; never above -MaxConcurrency
        Assert.Equal(4, limiter.Limit);
    }

    [Fact]
    public async Task A_burst_of_throttled_answers_halves_the_limit_once_and_never_below_one()
    {
        var limiter = new AdaptiveConcurrencyLimiter(8);
        for (var i = 0; limiter.Limit < 8; i++)
        {
            using var lease = await limiter.AcquireAsync(CancellationToken.None);
            limiter.Clean(lease);
        }

        // Eight requests sent under the same window, all throttled: one halving, not eight.
        var leases = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => limiter.AcquireAsync(CancellationToken.None)));
        var changes = leases.Select(limiter.Throttled).Where(c => c is not null).ToList();
        foreach (var lease in leases)
        {
            lease.Dispose();
        }

        Assert.Single(changes);
        Assert.Equal(4, limiter.Limit);

        for (var i = 0; i < 5; i++)
        {
            using var lease = await limiter.AcquireAsync(CancellationToken.None);
            limiter.Throttled(lease);
        }

        Assert.Equal(1, limiter.Limit);
    }

    [Fact]
    public async Task Waiters_get_places_in_order_and_one_that_stops_waiting_takes_none()
    {
        var limiter = new AdaptiveConcurrencyLimiter(1);
        var first = await limiter.AcquireAsync(CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var cancelled = limiter.AcquireAsync(stop.Token);
        var second = limiter.AcquireAsync(CancellationToken.None);

        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.False(second.IsCompleted);
        first.Dispose();

        (await second).Dispose();
        Assert.Equal(0, limiter.InFlight);
    }

    [Fact]
    public async Task The_connection_never_has_more_requests_in_flight_than_its_limit_and_halves_it_when_throttled()
    {
        var clock = new VirtualClock();
        var inFlight = 0;
        var peak = 0;
        var answered = 0;
        var gates = new List<TaskCompletionSource>();
        var service = new FakeService(async (_, _) =>
        {
            var now = Interlocked.Increment(ref inFlight);
            lock (gates)
            {
                peak = Math.Max(peak, now);
            }

            await Task.Yield();
            Interlocked.Decrement(ref inFlight);
            var n = Interlocked.Increment(ref answered);
            if (n is 30 or 31)
            {
                var throttled = FakeService.Json("{}", (HttpStatusCode)429);
                throttled.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.Zero);
                return throttled;
            }

            return FakeService.Json("{}");
        });
        var client = Client(service, clock, maxConcurrency: 6);
        var sink = new RecordingSink();

        await clock.RunAsync(Task.WhenAll(Enumerable.Range(0, 60).Select(async _ =>
        {
            using var response = await client.SendAsync(new RestCall(HttpMethod.Get, Page, "c"), sink, CancellationToken.None);
        })));

        Assert.InRange(peak, 1, 6);
        var changes = sink.Verbose.Where(l => l.StartsWith("Requests in flight on this connection", StringComparison.Ordinal)).ToList();
        Assert.Contains("Requests in flight on this connection: 2 → 3 (answers came back clean).", changes);
        Assert.Contains(changes, l => l.Contains("(the service is throttling or its budget is nearly spent)", StringComparison.Ordinal));
        Assert.DoesNotContain(changes, l => l.Contains("→ 7", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_nearly_spent_budget_halves_the_requests_in_flight()
    {
        var clock = new VirtualClock();
        var client = Client(new FakeService((_, _) => Task.FromResult(Budget(FakeService.Json("{}"), 1, clock.GetUtcNow().AddSeconds(1)))), clock);
        var sink = new RecordingSink();

        using var response = await client.SendAsync(new RestCall(HttpMethod.Get, Page, "c"), sink, CancellationToken.None);

        Assert.Equal(1, client.Limiter.Limit);
        Assert.Contains("Requests in flight on this connection: 2 → 1 (the service is throttling or its budget is nearly spent).", sink.Verbose);
    }

    [Fact]
    public async Task A_page_held_back_by_a_busy_pipeline_gives_its_place_back_so_the_pipeline_s_own_requests_can_run()
    {
        // Get-EXOMailbox | Get-EXOMailboxStatistics on a connection down to one place: the pipeline thread waits for a
        // statistics request while the page's download waits for the pipeline to take its objects. A page bigger than
        // its read-ahead must not keep the place while the client itself holds it back, or neither ever moves.
        var page = TestClients.MailboxPage(Enumerable.Range(1, 100_000), null);
        Assert.True(page.Length > ExoAdmin.Engine.Http.Bodies.BodyLimits.PageBufferBytes, "the page must be bigger than its read-ahead");
        var service = new FakeService((request, _) => Task.FromResult(FakeService.Json(request.RequestUri!.AbsolutePath.EndsWith("Mailbox", StringComparison.Ordinal)
            ? page
            : "{\"@odata.context\":\"x\",\"DisplayName\":\"Alex\"}")));
        var client = Client(service, new VirtualClock(), maxConcurrency: 1);
        var statistics = new Uri("https://exo.test/adminapi/beta/t/Mailbox('alex')/Exchange.GetMailboxStatistics()");
        var answered = 0;
        var sink = new RecordingSink(_ =>
        {
            if (answered < 3)
            {
                var request = client.SendAsync(new RestCall(HttpMethod.Get, statistics, "c2"), null, CancellationToken.None);
                Assert.True(request.Wait(TimeSpan.FromSeconds(30)), "the statistics request never got a place: the page's download kept it");
                request.Result.Dispose();
                answered++;
            }
        });

        await new ODataPager(client, 1000, "Get-EXOMailbox").ReadAsync(Page, ResultSize.Of(10), new ObjectMaterializer(EdmModel.Instance.GetType("Mailbox"), "ExoAdmin.Mailbox"), "c", sink, CancellationToken.None);

        Assert.Equal(3, answered);
        Assert.Equal(10, sink.Objects.Count);
        Assert.Equal(0, client.Limiter.InFlight);
    }
}
