using System;
using System.Net.Http;
using ExoAdmin.Engine.Auth;
using ExoAdmin.Engine.Http.Handlers;

namespace ExoAdmin.Engine.Http;

/// <summary>
/// One connection's handlers, outermost first. Per logical request: the trace line, then Polly's retry and circuit
/// breaker. Per attempt: the rate-limit gate (waits inside the request's budget), a place among the requests in flight,
/// the bearer token (renewed on 401), the attempt timeout, -Debug headers, and the same-origin check right before the
/// socket (no redirect is ever followed).
/// </summary>
internal static class HttpPipeline
{
    public static HttpMessageHandler Build(
        Uri origin,
        ITokenProvider tokens,
        RetrySettings settings,
        TimeProvider time,
        RateLimitGate gate,
        AdaptiveConcurrencyLimiter limiter,
        HttpMessageHandler transport,
        Func<string> tenant)
    {
        DelegatingHandler[] handlers =
        {
            new TracingHandler(),
            new ResilienceHandler(settings, time, tenant),
            new RateLimitGateHandler(gate),
            new ConcurrencyHandler(limiter, settings),
            new BearerTokenHandler(tokens, settings),
            new AttemptTimeoutHandler(settings.AttemptTimeout, time),
            new DebugHeadersHandler(),
            new SameOriginHandler(origin),
        };

        HttpMessageHandler inner = transport;
        for (var i = handlers.Length - 1; i >= 0; i--)
        {
            handlers[i].InnerHandler = inner;
            inner = handlers[i];
        }

        return inner;
    }
}
