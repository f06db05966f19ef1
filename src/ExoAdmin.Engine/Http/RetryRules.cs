using System;
using System.IO;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using ExoAdmin.Engine.Http.Bodies;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace ExoAdmin.Engine.Http;

/// <summary>
/// What is tried again and after how long: reads after any transient failure; changes only where the service cannot
/// have applied them (throttled, refused before it ran, a connection that never opened). Deterministic refusals (400,
/// 404, 413, 414, 431…) are never retried: the same request gets the same answer.
/// </summary>
internal static class RetryRules
{
    /// <summary>§18.4: the service's answer when a tenant has too many requests in flight, whatever its status code.</summary>
    public const string ConcurrencyRefusal = "maximum number of concurrent requests per tenant";

    public static bool IsRetryable(Outcome<HttpResponseMessage> outcome, RestCall call)
    {
        if (outcome.Exception is { } exception)
        {
            return exception switch
            {
                BrokenCircuitException => false,
                TimeoutRejectedException => call.IsIdempotent,
                HttpRequestException or IOException => !IsRequestTooLarge(exception) && (call.IsIdempotent || IsBeforeSend(exception)),
                _ => false,
            };
        }

        var response = outcome.Result!;
        if (IsThrottling(response) || ((int)response.StatusCode == 503 && response.Headers.RetryAfter is not null))
        {
            return true; // the service refused before doing anything: safe even for changes
        }

        return call.IsIdempotent && (int)response.StatusCode is 408 or 500 or 502 or 503 or 504;
    }

    /// <summary>Throttling: 429, or §18.4's refusal of one request too many in flight (told apart by its text).</summary>
    public static bool IsThrottling(HttpResponseMessage response) =>
        (int)response.StatusCode == 429 || IsConcurrencyRefusal(response);

    public static bool IsConcurrencyRefusal(HttpResponseMessage response) =>
        !response.IsSuccessStatusCode && ErrorBody.TextOf(response) is { } text && text.IndexOf(ConcurrencyRefusal, StringComparison.OrdinalIgnoreCase) >= 0;

    /// <summary>What the circuit counts: the service or the network failing, not throttling or the caller's errors.</summary>
    public static bool IsServiceFailure(Outcome<HttpResponseMessage> outcome, CancellationToken stopping)
    {
        if (outcome.Exception is { } exception)
        {
            return !stopping.IsCancellationRequested && exception is HttpRequestException or IOException or TimeoutRejectedException;
        }

        return !IsThrottling(outcome.Result!) && (int)outcome.Result!.StatusCode is 500 or 502 or 503 or 504;
    }

    /// <summary>Statuses after which a change may or may not have been applied.</summary>
    public static bool IsAmbiguous(HttpResponseMessage response) =>
        !IsThrottling(response) && ((int)response.StatusCode is 500 or 502 or 504 || ((int)response.StatusCode == 503 && response.Headers.RetryAfter is null));

    /// <summary>
    /// Retry-After as sent (seconds, or a date still to come), capped at <paramref name="cap"/>. Null when there is none
    /// or its date has passed: a server whose clock is behind must not get a burst of immediate retries, so the back-off
    /// applies then, as without the header.
    /// </summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage? response, DateTimeOffset now, TimeSpan cap)
    {
        var header = response?.Headers.RetryAfter;
        TimeSpan wait;
        if (header?.Delta is { } delta)
        {
            wait = delta;
        }
        else if (header?.Date is { } date && date > now)
        {
            wait = date - now;
        }
        else
        {
            return null; // none, or a date already past
        }

        return wait > cap ? cap : wait;
    }

    /// <summary>base × 2^attempt, with ±25 % jitter so parallel callers spread out, capped at MaxDelay.</summary>
    public static TimeSpan Backoff(int attempt, RetrySettings settings, double jitter)
    {
        var exponential = settings.BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30));
        var jittered = exponential * (0.75 + (0.5 * jitter));
        return TimeSpan.FromMilliseconds(Math.Min(jittered, settings.MaxDelay.TotalMilliseconds));
    }

    /// <summary>
    /// A failure where nothing can have reached the service: the connection was refused, the name did not resolve,
    /// or TLS did not complete. Only these let a change be sent again.
    /// </summary>
    public static bool IsBeforeSend(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SocketException socket && socket.SocketErrorCode is
                    SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.HostUnreachable or
                    SocketError.NetworkUnreachable or SocketError.TryAgain or SocketError.NoData or SocketError.AddressNotAvailable)
            {
                return true;
            }

            if (e is System.Security.Authentication.AuthenticationException)
            {
                return true;
            }
        }

        return ErrorKind(exception) is "NameResolutionError" or "ConnectionError" or "SecureConnectionError" or "ProxyTunnelError";
    }

    /// <summary>.NET 8 and later say what failed (HttpRequestException.HttpRequestError); netstandard2.0 cannot name the type.</summary>
    private static string? ErrorKind(Exception exception) => exception.GetType().GetProperty("HttpRequestError")?.GetValue(exception)?.ToString();

    /// <summary>
    /// The request was too large for the server's limits (as with a 100,000-character filter): the same request gets the
    /// same refusal, so it is never retried. Over HTTP/1.1 the server says so with 414 or 431; over HTTP/2 the client
    /// itself refuses to send a header list over the server's advertised limit, with an exception that names no kind
    /// (HttpRequestError.Unknown), so its words are the only sign.
    /// </summary>
    public static bool IsRequestTooLarge(Exception exception) =>
        ErrorKind(exception) is "ConfigurationLimitExceeded" ||
        (exception is HttpRequestException && exception.Message.IndexOf("request headers length exceeded", StringComparison.OrdinalIgnoreCase) >= 0);

    /// <summary>What went wrong with the network, in words an admin can act on (no exception type names).</summary>
    public static string Describe(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is System.Security.Authentication.AuthenticationException)
            {
                return "the secure (TLS) connection could not be set up; the server's certificate is not trusted or the handshake failed";
            }

            if (e is SocketException socket)
            {
                return socket.Message;
            }
        }

        var innermost = exception;
        while (innermost.InnerException is not null)
        {
            innermost = innermost.InnerException;
        }

        return innermost.Message.TrimEnd('.');
    }
}
