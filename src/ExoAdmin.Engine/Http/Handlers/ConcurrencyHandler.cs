using System;
using System.Globalization;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using ExoAdmin.Engine.Http.Bodies;

namespace ExoAdmin.Engine.Http.Handlers;

/// <summary>
/// Holds each attempt to the connection's <see cref="AdaptiveConcurrencyLimiter"/>: a place is taken before sending and
/// given back when the answer's body has arrived (or is disposed), or as soon as the client holds the body's download
/// back (<see cref="IHeldPlace"/>), never when a slow pipeline has finished with it: output waiting for its turn never
/// holds a place another request needs. Each answer moves the limit: clean ones grow
/// it, throttling (429, §18.4's concurrent-requests refusal, read here from the error body) and a nearly spent budget
/// halve it. Each change is a Verbose line.
/// </summary>
internal sealed class ConcurrencyHandler : DelegatingHandler
{
    private readonly AdaptiveConcurrencyLimiter _limiter;
    private readonly RetrySettings _settings;

    public ConcurrencyHandler(AdaptiveConcurrencyLimiter limiter, RetrySettings settings)
    {
        _limiter = limiter;
        _settings = settings;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var context = RequestContext.Of(request);
        AdaptiveConcurrencyLimiter.Lease? lease = await _limiter.AcquireAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                // Error answers are small and wanted whole (their text, the retry rules' §18.4 check): read them in the place.
                await ErrorBody.BufferAsync(response, BodyLimits.Whole(BodyLimits.ErrorBytes, _settings), context.Time, cancellationToken).ConfigureAwait(false);
            }

            Report(context, Adjust(response, lease!));
            if (response.Content is not null && response.IsSuccessStatusCode)
            {
                response.Content = new LeasedContent(response.Content, lease);
                lease = null; // the body gives it back
            }

            return response;
        }
        finally
        {
            lease?.Dispose();
        }
    }

    private LimitChange? Adjust(HttpResponseMessage response, AdaptiveConcurrencyLimiter.Lease lease)
    {
        if (RetryRules.IsThrottling(response))
        {
            return _limiter.Throttled(lease);
        }

        if (RateLimitGate.Remaining(response) is long remaining && remaining < _limiter.Limit)
        {
            return _limiter.Throttled(lease); // fewer requests left in the window than may be in flight
        }

        return response.IsSuccessStatusCode ? _limiter.Clean(lease) : null;
    }

    private static void Report(RequestContext context, LimitChange? change)
    {
        if (change is { } moved)
        {
            context.Verbose(string.Format(
                CultureInfo.InvariantCulture,
                "Requests in flight on this connection: {0} → {1} ({2}).",
                moved.From,
                moved.To,
                moved.To > moved.From ? "answers came back clean" : "the service is throttling or its budget is nearly spent"));
        }
    }
}
