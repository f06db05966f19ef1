using System;
using System.Globalization;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace ExoAdmin.Engine.Http.Handlers;

/// <summary>
/// The connection's Polly pipeline, shared by all its requests: a retry strategy outside a circuit breaker, both on the
/// connection's TimeProvider. What is retried is <see cref="RetryRules"/>'; waits are Retry-After as sent (a date already
/// past counts as none), else the back-off; no retry starts that would end past the request's budget. Each retry is a
/// Verbose line, and each attempt gets its client-request-id here (§5.1, §9.1).
/// </summary>
internal sealed class ResilienceHandler : DelegatingHandler
{
    private static readonly ResiliencePropertyKey<RequestContext> ContextKey = new("exoadmin.request");
    private static readonly ResiliencePropertyKey<TimeSpan> NextDelayKey = new("exoadmin.next-delay");
    private static readonly ThreadLocal<Random> Jitter = new(() => new Random(Guid.NewGuid().GetHashCode()));

    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly RetrySettings _settings;

    public ResilienceHandler(RetrySettings settings, TimeProvider time, Func<string> tenant)
    {
        _settings = settings;
        _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = Math.Max(1, settings.MaxRetries),
                // Whether to retry and how long to wait are decided together, so no retry starts that the budget cannot hold.
                ShouldHandle = args => new ValueTask<bool>(settings.MaxRetries > 0 && ShouldRetry(args.Outcome, args.Context, args.AttemptNumber)),
                DelayGenerator = args => new ValueTask<TimeSpan?>(args.Context.Properties.GetValue(NextDelayKey, TimeSpan.Zero)),
                OnRetry = args =>
                {
                    OnRetry(args.Context.Properties.GetValue(ContextKey, null!), args.Outcome, args.AttemptNumber, args.RetryDelay);
                    return default;
                },
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                // A tenant that keeps failing: enough attempts in the window, and most of them failed.
                FailureRatio = settings.CircuitFailureRatio,
                MinimumThroughput = Math.Max(2, settings.CircuitMinimumRequests),
                SamplingDuration = settings.CircuitSampling,
                BreakDuration = settings.CircuitBreak,
                ShouldHandle = args => new ValueTask<bool>(RetryRules.IsServiceFailure(args.Outcome, args.Context.CancellationToken)),
                OnOpened = args =>
                {
                    args.Context.Properties.GetValue(ContextKey, null!).Verbose(string.Format(
                        CultureInfo.InvariantCulture,
                        "The service for {0} failed {1:P0} or more of the last {2:0} s of requests: no request is sent on this connection for {3:0.#} s.",
                        tenant(),
                        settings.CircuitFailureRatio,
                        settings.CircuitSampling.TotalSeconds,
                        args.BreakDuration.TotalSeconds));
                    return default;
                },
            })
            .Build();
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var requestContext = RequestContext.Of(request);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(ContextKey, requestContext);
        try
        {
            return await _pipeline.ExecuteAsync(
                static async (ctx, state) =>
                {
                    var (handler, message, requestContext) = state;
                    ConnectionHeaders.SetClientRequestId(message, requestContext.Call, requestContext.Retries, requestContext.FailedRequestId);
                    return await handler.SendAttemptAsync(message, ctx.CancellationToken).ConfigureAwait(false);
                },
                context,
                (this, request, requestContext)).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private Task<HttpResponseMessage> SendAttemptAsync(HttpRequestMessage request, CancellationToken cancellationToken) => base.SendAsync(request, cancellationToken);

    private bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context, int attempt)
    {
        var request = context.Properties.GetValue(ContextKey, null!);
        if (context.CancellationToken.IsCancellationRequested || !RetryRules.IsRetryable(outcome, request.Call))
        {
            return false;
        }

        var delay = RetryRules.RetryAfter(outcome.Result, request.Time.GetUtcNow(), _settings.MaxDelay) ?? RetryRules.Backoff(attempt, _settings, Jitter.Value!.NextDouble());
        if (request.Elapsed + delay > request.Budget)
        {
            return false; // the request's time budget is spent: report the last failure
        }

        context.Properties.Set(NextDelayKey, delay);
        return true;
    }

    private void OnRetry(RequestContext request, Outcome<HttpResponseMessage> outcome, int attempt, TimeSpan delay)
    {
        var requestId = outcome.Result is { } failed ? ExoRestClient.RequestIdOf(failed) : null;
        request.FailedRequestId = requestId;
        request.Retries = attempt + 1;
        var reason = outcome.Result is { } result
            ? RetryRules.IsConcurrencyRefusal(result) ? $"{(int)result.StatusCode}, too many requests in flight for the tenant" : ((int)result.StatusCode).ToString(CultureInfo.InvariantCulture)
            : outcome.Exception is TimeoutRejectedException ? "a timeout" : "a network failure";
        request.Verbose(string.Format(
            CultureInfo.InvariantCulture,
            "Retrying {0} {1} after {2} (retry {3} of {4}, waiting {5:0.0} s, request-id {6}).",
            request.Call.Method,
            request.Call.Uri.AbsolutePath,
            reason,
            attempt + 1,
            _settings.MaxRetries,
            delay.TotalSeconds,
            requestId ?? "-"));
    }
}
