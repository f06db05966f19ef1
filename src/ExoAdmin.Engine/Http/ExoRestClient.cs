using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using ExoAdmin.Engine.Auth;
using ExoAdmin.Engine.Errors;
using ExoAdmin.Engine.Operations;
using System.Management.Automation;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace ExoAdmin.Engine.Http;

/// <summary>
/// Sends one connection's requests: headers, bearer token (renewed on 401 and claims challenges), and a Polly
/// pipeline of its own (retry outside, circuit breaker inside) shared by all of the connection's requests.
/// Reads are retried after throttling, 5xx and network failures; changes only where the service cannot have
/// applied them (429, 503 with Retry-After, a connection that never opened). A change whose answer is lost
/// is never replayed: it fails with <see cref="ExoChangeOutcomeUnknownException"/> naming the object.
/// Read responses are returned after the headers arrive so bodies stream; a change's answer is read whole
/// here, so a cut is seen while its outcome can still be reported.
/// </summary>
internal sealed class ExoRestClient : IDisposable
{
    private const int MaxErrorBodyChars = 64 * 1024;
    private const int MaxChangeResponseBytes = 32 * 1024 * 1024;
    private static readonly bool SupportsHttp2 = !RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

    private readonly HttpClient _http;
    private readonly ITokenProvider _tokens;
    private readonly ConnectionHeaders _headers;
    private readonly RetrySettings _settings;
    private readonly RateLimitGate _budget = new();
    private readonly ResiliencePipeline<HttpResponseMessage> _retries;

    public ExoRestClient(Uri baseUri, ITokenProvider tokens, ConnectionHeaders headers, HttpMessageHandler? handler = null, RetrySettings? retrySettings = null)
    {
        BaseUri = baseUri;
        _tokens = tokens;
        _headers = headers;
        _settings = retrySettings ?? RetrySettings.Default;
        // Each attempt has its own timeout (RetrySettings.AttemptTimeout), so the client's own is off.
        _http = new HttpClient(handler ?? Transport.HttpTransport.Create(null), disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        _retries = BuildPipeline(_settings);
    }

    /// <summary>scheme://host[:port] of the service; every URL this client follows must stay on it.</summary>
    public Uri BaseUri { get; }

    /// <summary>The tenant, as errors about the whole connection (an open circuit) name it.</summary>
    public string? Tenant { get; set; }

    public ITokenProvider Tokens => _tokens;

    /// <summary>The connection's own log (-LogDirectoryPath), if it has one: gets every trace line and error, redacted.</summary>
    public ITraceLog? TraceLog { get; set; }

    /// <summary>A Verbose line that also goes to the connection's log.</summary>
    private void Trace(IOperationSink? log, string line)
    {
        log?.WriteVerbose(line);
        TraceLog?.Write(line);
    }

    public ConnectionHeaders Headers => _headers;

    public async Task<HttpResponseMessage> SendAsync(RestCall call, IOperationSink? log, CancellationToken cancellationToken)
    {
        RequireSameOrigin(call.Uri);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(LogKey, log);
        context.Properties.Set(CallKey, call);
        var stopwatch = Stopwatch.StartNew();
        context.Properties.Set(ClockKey, stopwatch);
        HttpResponseMessage? response = null;
        Exception? failure = null;
        bool Remember(Exception ex)
        {
            failure = ex;
            return false;
        }

        try
        {
            response = await _retries.ExecuteAsync(
                static (ctx, client) => client.SendOnceAsync(ctx), context, this).ConfigureAwait(false);

            if (response.IsSuccessStatusCode)
            {
                if (NotJson(response) is { } what)
                {
                    using (response)
                    {
                        // An HTML page from a proxy or an outage page, or nothing at all, where the protocol has JSON.
                        if (!call.IsIdempotent)
                        {
                            throw Unknown(call, $"the service answered with {what} instead of JSON", what == "an empty body" ? ErrorCategory.ConnectionError : ErrorCategory.ProtocolError, RequestIdOf(response));
                        }

                        throw Failures.Protocol(
                            $"The service answered {call.Method} {call.Uri.AbsolutePath} with {what} instead of JSON{RequestIdText(response)}. A proxy, a captive portal or an outage page may be answering in its place.",
                            call.Uri.GetLeftPart(UriPartial.Path));
                    }
                }

                return call.IsIdempotent ? response : await ReadChangeAnswerAsync(response, call, cancellationToken).ConfigureAwait(false);
            }

            using (response)
            {
                if (!call.IsIdempotent && IsAmbiguousStatus(response))
                {
                    // The service failed while (or after) running the change: it may have been applied.
                    throw Unknown(call, $"the service answered HTTP {(int)response.StatusCode} ({response.ReasonPhrase})", ErrorCategory.ConnectionError, RequestIdOf(response));
                }

                throw await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (Remember(ex))
        {
            throw; // not reached: the filter only notes what failed, for the trace line
        }
        catch (BrokenCircuitException ex)
        {
            throw Failures.CircuitOpen(Tenant ?? BaseUri.Host, ex.RetryAfter, ex);
        }
        catch (AttemptTimeoutException ex) when (!cancellationToken.IsCancellationRequested)
        {
            if (!call.IsIdempotent)
            {
                throw Unknown(call, $"no answer came within {ex.Timeout.TotalSeconds:0.#} s after it was sent", ErrorCategory.OperationTimeout, null, ex);
            }

            throw Failures.Timeout($"The request to {call.Uri.GetLeftPart(UriPartial.Path)} got no answer within {ex.Timeout.TotalSeconds:0.#} s{RetriesText(context)}.", call.Uri.AbsolutePath, ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            if (!call.IsIdempotent && !IsBeforeSend(ex))
            {
                throw Unknown(call, $"the connection failed after it was sent ({Describe(ex)})", ErrorCategory.ConnectionError, null, ex);
            }

            throw Failures.Connection($"The request to {call.Uri.GetLeftPart(UriPartial.Path)} failed: {Describe(ex)}{RetriesText(context)}.", call.Uri.AbsolutePath, ex);
        }
        finally
        {
            // One verbose line per request, whatever happened to it: what an admin quotes to support.
            var retries = context.Properties.GetValue(RetriesKey, 0);
            ResilienceContextPool.Shared.Return(context);
            // Not once cancelled: the pipeline has stopped, and writing to it would throw from here.
            var line = TraceLine(call, response, failure, stopwatch.ElapsedMilliseconds, retries);
            if (!cancellationToken.IsCancellationRequested)
            {
                Trace(log, line);
            }
            else
            {
                TraceLog?.Write(line);
            }

            if (failure is ExoException error && !cancellationToken.IsCancellationRequested)
            {
                TraceLog?.Write($"Error {error.ErrorId}: {error.Message}");
            }
        }
    }

    /// <summary>METHOD path?query STATUS in N ms, R retries, request-id X (credentials in the query masked).</summary>
    internal static string TraceLine(RestCall call, HttpResponseMessage? response, Exception? failure, long milliseconds, int retries)
    {
        var outcome = response is not null
            ? ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture)
            : "failed (" + (failure?.GetType().Name ?? "error") + ")";
        return string.Format(
            CultureInfo.InvariantCulture,
            "{0} {1} {2} in {3} ms, {4} {5}, request-id {6}",
            call.Method,
            Redaction.PathAndQuery(call.Uri),
            outcome,
            milliseconds,
            retries,
            retries == 1 ? "retry" : "retries",
            (response is null ? null : RequestIdOf(response)) ?? "-");
    }

    public void Dispose() => _http.Dispose();

    private static readonly ResiliencePropertyKey<IOperationSink?> LogKey = new("exoadmin.log");
    private static readonly ResiliencePropertyKey<RestCall> CallKey = new("exoadmin.call");
    private static readonly ResiliencePropertyKey<Stopwatch> ClockKey = new("exoadmin.clock");
    private static readonly ResiliencePropertyKey<string?> RetryRequestIdKey = new("exoadmin.retry-request-id");
    private static readonly ResiliencePropertyKey<int> RetriesKey = new("exoadmin.retries");
    private static readonly ResiliencePropertyKey<TimeSpan> NextDelayKey = new("exoadmin.next-delay");

    private async ValueTask<HttpResponseMessage> SendOnceAsync(ResilienceContext context)
    {
        var call = context.Properties.GetValue(CallKey, null!);
        var log = context.Properties.GetValue(LogKey, null);
        var cancellationToken = context.CancellationToken;

        // The tenant's budget is spent (Rate-Limit-Remaining: 0): nothing goes out before the window resets.
        // A loop: a timer may wake a hair before the reset it was set for, and a request sent then is refused.
        TimeSpan wait;
        while ((wait = _budget.Pending(DateTimeOffset.UtcNow, out var until)) > TimeSpan.Zero)
        {
            log?.WriteVerbose(string.Format(
                CultureInfo.InvariantCulture,
                "Waiting {0:0.0} s before {1} {2}: the tenant's request budget is used up until {3:HH:mm:ss} UTC (Rate-Limit-Reset).",
                wait.TotalSeconds,
                call.Method,
                call.Uri.AbsolutePath,
                until.UtcDateTime));
            await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
        }

        // §9.1: a retry carries the request-id of the failed response as its client-request-id.
        var clientRequestId = context.Properties.TryGetValue(RetryRequestIdKey, out var retryId) ? retryId ?? string.Empty : call.CmdletRequestId;
        var token = await _tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        var response = await SendWithTokenAsync(call, token, clientRequestId, log, cancellationToken).ConfigureAwait(false);

        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            // The token was refused (expired, revoked, or a claims challenge): renew once and resend.
            var claims = ClaimsChallenge.FromResponse(response);
            log?.WriteDebug($"{call.Method} {call.Uri.AbsolutePath}: 401, renewing the token{(claims is null ? string.Empty : " for a claims challenge")}.");
            response.Dispose();
            token = await _tokens.RenewAsync(claims, token, cancellationToken).ConfigureAwait(false);
            response = await SendWithTokenAsync(call, token, clientRequestId, log, cancellationToken).ConfigureAwait(false);
        }

        _budget.Observe(response, DateTimeOffset.UtcNow, _settings.MaxDelay);
        return response;
    }

    private async Task<HttpResponseMessage> SendWithTokenAsync(RestCall call, AccessToken token, string clientRequestId, IOperationSink? log, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(call.Method, call.Uri);
        if (SupportsHttp2)
        {
            request.Version = new Version(2, 0); // falls back to 1.1 where the server does not offer h2
        }

        _headers.Apply(request, call, clientRequestId);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
        if (call.JsonBody is not null)
        {
            request.Content = new StringContent(call.JsonBody, Encoding.UTF8, "application/json");
        }

        if (log is not null)
        {
            log.WriteDebug(DescribeHeaders($"Request: {call.Method} {Redaction.PathAndQuery(call.Uri)}", request.Headers, request.Content?.Headers));
        }

        HttpResponseMessage response;
        using (var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            attempt.CancelAfter(_settings.AttemptTimeout);
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attempt.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested && attempt.IsCancellationRequested)
            {
                throw new AttemptTimeoutException(_settings.AttemptTimeout, ex);
            }
        }

        if (log is not null)
        {
            log.WriteDebug(DescribeHeaders($"Response: {(int)response.StatusCode} {response.ReasonPhrase} (HTTP {response.Version})", response.Headers, response.Content?.Headers));
        }

        return response;
    }

    /// <summary>A title and one "Name: value" line per header, credentials masked (Redaction).</summary>
    internal static string DescribeHeaders(string title, HttpHeaders headers, HttpHeaders? contentHeaders)
    {
        var text = new StringBuilder(title);
        foreach (var header in contentHeaders is null ? headers : headers.Concat(contentHeaders))
        {
            text.Append('\n').Append("  ").Append(Redaction.Header(header.Key, header.Value));
        }

        return text.ToString();
    }

    private ResiliencePipeline<HttpResponseMessage> BuildPipeline(RetrySettings settings)
    {
        return new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = Math.Max(1, settings.MaxRetries),
                // Whether to retry and how long to wait are decided together, so no retry starts that the budget cannot hold.
                ShouldHandle = args => new ValueTask<bool>(settings.MaxRetries > 0 && ShouldRetry(args.Outcome, args.Context, args.AttemptNumber, settings)),
                DelayGenerator = args => new ValueTask<TimeSpan?>(args.Context.Properties.GetValue(NextDelayKey, TimeSpan.Zero)),
                OnRetry = args =>
                {
                    var call = args.Context.Properties.GetValue(CallKey, null!);
                    var requestId = args.Outcome.Result is { } failed ? RequestIdOf(failed) : null;
                    args.Context.Properties.Set(RetryRequestIdKey, requestId);
                    var reason = args.Outcome.Result is { } result
                        ? ((int)result.StatusCode).ToString(CultureInfo.InvariantCulture)
                        : args.Outcome.Exception is AttemptTimeoutException ? "a timeout" : "a network failure";
                    args.Context.Properties.Set(RetriesKey, args.AttemptNumber + 1);
                    Trace(args.Context.Properties.GetValue(LogKey, null), string.Format(
                        CultureInfo.InvariantCulture,
                        "Retrying {0} {1} after {2} (retry {3} of {4}, waiting {5:0.0} s, request-id {6}).",
                        call.Method,
                        call.Uri.AbsolutePath,
                        reason,
                        args.AttemptNumber + 1,
                        settings.MaxRetries,
                        args.RetryDelay.TotalSeconds,
                        requestId ?? "-"));
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
                ShouldHandle = args => new ValueTask<bool>(IsServiceFailure(args.Outcome, args.Context)),
                OnOpened = args =>
                {
                    args.Context.Properties.GetValue(LogKey, null)?.WriteVerbose(string.Format(
                        CultureInfo.InvariantCulture,
                        "The service for {0} failed {1:P0} or more of the last {2:0} s of requests: no request is sent on this connection for {3:0.#} s.",
                        Tenant ?? BaseUri.Host,
                        settings.CircuitFailureRatio,
                        settings.CircuitSampling.TotalSeconds,
                        args.BreakDuration.TotalSeconds));
                    return default;
                },
            })
            .Build();
    }

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context, int attempt, RetrySettings settings)
    {
        if (context.CancellationToken.IsCancellationRequested || !IsRetryable(outcome, context.Properties.GetValue(CallKey, null!)))
        {
            return false;
        }

        var delay = RetryAfter(outcome.Result, settings.MaxDelay) ?? Backoff(attempt, settings);
        var elapsed = context.Properties.GetValue(ClockKey, null!).Elapsed;
        if (elapsed + delay > settings.Budget)
        {
            return false; // the request's time budget is spent: report the last failure
        }

        context.Properties.Set(NextDelayKey, delay);
        return true;
    }

    /// <summary>Reads: any transient failure. Changes: only where the service cannot have applied them.</summary>
    internal static bool IsRetryable(Outcome<HttpResponseMessage> outcome, RestCall call)
    {
        if (outcome.Exception is { } exception)
        {
            return exception switch
            {
                BrokenCircuitException => false,
                AttemptTimeoutException => call.IsIdempotent,
                HttpRequestException or IOException => call.IsIdempotent || IsBeforeSend(exception),
                _ => false,
            };
        }

        var status = (int)outcome.Result!.StatusCode;
        if (status == 429 || (status == 503 && outcome.Result.Headers.RetryAfter is not null))
        {
            return true; // the service refused before doing anything: safe even for changes
        }

        return call.IsIdempotent && status is 500 or 502 or 503 or 504;
    }

    /// <summary>What the circuit counts: the service or the network failing, not throttling or the caller's errors.</summary>
    private static bool IsServiceFailure(Outcome<HttpResponseMessage> outcome, ResilienceContext context)
    {
        if (outcome.Exception is { } exception)
        {
            return !context.CancellationToken.IsCancellationRequested && exception is HttpRequestException or IOException or AttemptTimeoutException;
        }

        return (int)outcome.Result!.StatusCode is 500 or 502 or 503 or 504;
    }

    /// <summary>Statuses after which a change may or may not have been applied.</summary>
    private static bool IsAmbiguousStatus(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        return status is 500 or 502 or 504 || (status == 503 && response.Headers.RetryAfter is null);
    }

    /// <summary>base × 2^attempt, with ±25 % jitter so parallel callers spread out, capped at MaxDelay.</summary>
    internal static TimeSpan Backoff(int attempt, RetrySettings settings)
    {
        var exponential = settings.BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30));
        var jittered = exponential * (0.75 + (0.5 * Jitter.NextDouble()));
        return TimeSpan.FromMilliseconds(Math.Min(jittered, settings.MaxDelay.TotalMilliseconds));
    }

    private static readonly ThreadLocal<Random> JitterSource = new(() => new Random(Guid.NewGuid().GetHashCode()));

    private static Random Jitter => JitterSource.Value!;

    /// <summary>Retry-After exactly as sent (seconds or a date), capped at MaxDelay; null when there is none.</summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeSpan cap)
    {
        var header = response?.Headers.RetryAfter;
        if (header is null)
        {
            return null;
        }

        var wait = header.Delta ?? (header.Date - DateTimeOffset.UtcNow) ?? TimeSpan.Zero;
        if (wait < TimeSpan.Zero)
        {
            wait = TimeSpan.Zero;
        }

        return wait > cap ? cap : wait;
    }

    /// <summary>
    /// A change's answer, read whole before the caller sees it: a connection cut while it arrives, or an answer
    /// that ends before its JSON does, leaves the change's outcome unknown, and that is reported here.
    /// </summary>
    private static async Task<HttpResponseMessage> ReadChangeAnswerAsync(HttpResponseMessage response, RestCall call, CancellationToken cancellationToken)
    {
        if (response.StatusCode == HttpStatusCode.NoContent || response.Content is null)
        {
            return response;
        }

        byte[] body;
        try
        {
            using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            using var copy = new MemoryStream();
            var buffer = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (copy.Length + read > MaxChangeResponseBytes)
                {
                    response.Dispose();
                    throw Failures.Protocol($"The answer to {call.CmdletName ?? call.Method.Method} is larger than {MaxChangeResponseBytes / (1024 * 1024)} MiB; it was refused.", ChangeTarget(call));
                }

                copy.Write(buffer, 0, read);
            }

            body = copy.ToArray();
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or ObjectDisposedException && !cancellationToken.IsCancellationRequested)
        {
            var requestId = RequestIdOf(response);
            response.Dispose();
            throw Unknown(call, "the connection was cut while the service's answer was arriving", ErrorCategory.ConnectionError, requestId, ex);
        }

        if (!IsCompleteJson(body))
        {
            var requestId = RequestIdOf(response);
            response.Dispose();
            throw Unknown(call, body.Length == 0 ? "the service's answer was empty" : "the service's answer was cut short", ErrorCategory.ConnectionError, requestId);
        }

        var buffered = new ByteArrayContent(body);
        foreach (var header in response.Content.Headers)
        {
            buffered.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        response.Content.Dispose();
        response.Content = buffered;
        return response;
    }

    /// <summary>What a success answer is when it is not JSON ("an empty body", "text/html"); null when it is (or does not say).</summary>
    internal static string? NotJson(HttpResponseMessage response)
    {
        if (response.StatusCode == HttpStatusCode.NoContent || response.Content is null)
        {
            return null;
        }

        var headers = response.Content.Headers;
        if (headers.ContentLength == 0)
        {
            return "an empty body";
        }

        var mediaType = headers.ContentType?.MediaType;
        if (mediaType is null || mediaType.EndsWith("json", StringComparison.OrdinalIgnoreCase) || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return mediaType;
    }

    private static string RequestIdText(HttpResponseMessage response) => RequestIdOf(response) is { } id ? $" (request-id {id})" : string.Empty;

    /// <summary>True when the bytes are one whole JSON value (not cut short).</summary>
    internal static bool IsCompleteJson(byte[] body)
    {
        if (body.Length == 0)
        {
            return false;
        }

        try
        {
            var reader = new System.Text.Json.Utf8JsonReader(body, isFinalBlock: true, state: default);
            while (reader.Read())
            {
            }

            return reader.BytesConsumed > 0 && reader.CurrentDepth == 0;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    private static ExoChangeOutcomeUnknownException Unknown(RestCall call, string what, ErrorCategory category, string? requestId, Exception? inner = null) =>
        new(call.CmdletName ?? $"{call.Method} {call.Uri.AbsolutePath}", ChangeTarget(call), what, category, requestId, inner);

    /// <summary>The object a change is about: its -Identity, as the InvokeCommand body names it.</summary>
    internal static string? ChangeTarget(RestCall call)
    {
        if (call.JsonBody is null)
        {
            return null;
        }

        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(call.JsonBody);
            if (document.RootElement.TryGetProperty("CmdletInput", out var input) &&
                input.TryGetProperty("Parameters", out var parameters) &&
                parameters.ValueKind == System.Text.Json.JsonValueKind.Object)
            {
                foreach (var parameter in parameters.EnumerateObject())
                {
                    if (string.Equals(parameter.Name, "Identity", StringComparison.OrdinalIgnoreCase))
                    {
                        return parameter.Value.ValueKind == System.Text.Json.JsonValueKind.String ? parameter.Value.GetString() : parameter.Value.GetRawText();
                    }
                }
            }
        }
        catch (System.Text.Json.JsonException)
        {
        }

        return null;
    }

    /// <summary>
    /// A failure where nothing can have reached the service: the connection was refused, the name did not resolve,
    /// or TLS did not complete. Only these let a change be sent again.
    /// </summary>
    internal static bool IsBeforeSend(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is System.Net.Sockets.SocketException socket && socket.SocketErrorCode is
                    System.Net.Sockets.SocketError.ConnectionRefused or System.Net.Sockets.SocketError.HostNotFound or
                    System.Net.Sockets.SocketError.HostUnreachable or System.Net.Sockets.SocketError.NetworkUnreachable or
                    System.Net.Sockets.SocketError.TryAgain or System.Net.Sockets.SocketError.NoData or
                    System.Net.Sockets.SocketError.AddressNotAvailable)
            {
                return true;
            }

            if (e is System.Security.Authentication.AuthenticationException)
            {
                return true;
            }
        }

        // .NET 8 and later say it directly (HttpRequestException.HttpRequestError); netstandard2.0 cannot name it.
        var kind = exception.GetType().GetProperty("HttpRequestError")?.GetValue(exception)?.ToString();
        return kind is "NameResolutionError" or "ConnectionError" or "SecureConnectionError" or "ProxyTunnelError";
    }

    /// <summary>What went wrong with the network, in words an admin can act on (no exception type names).</summary>
    internal static string Describe(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is System.Security.Authentication.AuthenticationException)
            {
                return "the secure (TLS) connection could not be set up; the server's certificate is not trusted or the handshake failed";
            }

            if (e is System.Net.Sockets.SocketException socket)
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

    private static string RetriesText(ResilienceContext context)
    {
        var retries = context.Properties.GetValue(RetriesKey, 0);
        return retries == 0 ? string.Empty : string.Format(CultureInfo.InvariantCulture, " (after {0} {1})", retries, retries == 1 ? "retry" : "retries");
    }

    private static async Task<ExoServiceException> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string? body = null;
        if (response.Content is not null)
        {
            using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var buffer = new char[MaxErrorBodyChars];
            var read = await reader.ReadBlockAsync(buffer, 0, buffer.Length).ConfigureAwait(false);
            body = new string(buffer, 0, read);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return ServiceErrorReader.Read(
            (int)response.StatusCode,
            body,
            RequestIdOf(response),
            target: null,
            exceptionTypeHeader: HeaderOf(response, "x-ExceptionType"),
            server: HeaderOf(response, "X-CalculatedBETarget")?.Split('.')[0],
            timestamp: response.Headers.Date?.ToString("r", CultureInfo.InvariantCulture));
    }

    private static string? HeaderOf(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    internal static string? RequestIdOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues("request-id", out var values) ? string.Join(",", values) : null;

    private void RequireSameOrigin(Uri uri)
    {
        // Tokens go only to the connection's own service: a link elsewhere is refused, not followed.
        if (Uri.Compare(uri, BaseUri, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) != 0)
        {
            throw Failures.Protocol($"The service sent a link to '{uri.GetLeftPart(UriPartial.Authority)}', which is not the connection's host '{BaseUri.GetLeftPart(UriPartial.Authority)}'. It was not followed.", uri.GetLeftPart(UriPartial.Authority));
        }
    }
}

/// <summary>One attempt got no response headers within RetrySettings.AttemptTimeout.</summary>
internal sealed class AttemptTimeoutException : Exception
{
    public AttemptTimeoutException(TimeSpan timeout, Exception inner)
        : base($"No response within {timeout.TotalSeconds:0.#} s.", inner)
    {
        Timeout = timeout;
    }

    public TimeSpan Timeout { get; }
}
