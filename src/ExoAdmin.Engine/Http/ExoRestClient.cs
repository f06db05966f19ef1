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
using Polly;
using Polly.Retry;

namespace ExoAdmin.Engine.Http;

/// <summary>
/// Sends one connection's requests: headers, bearer token (renewed on 401 and claims challenges),
/// retries through a Polly pipeline, and error responses turned into ExoServiceExceptions.
/// Responses are returned after the headers arrive so bodies can be read as a stream.
/// </summary>
internal sealed class ExoRestClient : IDisposable
{
    private const int MaxErrorBodyChars = 64 * 1024;
    private static readonly bool SupportsHttp2 = !RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

    private readonly HttpClient _http;
    private readonly ITokenProvider _tokens;
    private readonly ConnectionHeaders _headers;
    private readonly ResiliencePipeline<HttpResponseMessage> _retries;

    public ExoRestClient(Uri baseUri, ITokenProvider tokens, ConnectionHeaders headers, HttpMessageHandler? handler = null, RetrySettings? retrySettings = null)
    {
        BaseUri = baseUri;
        _tokens = tokens;
        _headers = headers;
        _http = new HttpClient(handler ?? CreateHandler(), disposeHandler: true) { Timeout = TimeSpan.FromSeconds(300) };
        _retries = BuildRetryPipeline(retrySettings ?? RetrySettings.Default);
    }

    /// <summary>scheme://host[:port] of the service; every URL this client follows must stay on it.</summary>
    public Uri BaseUri { get; }

    public ITokenProvider Tokens => _tokens;

    public ConnectionHeaders Headers => _headers;

    public async Task<HttpResponseMessage> SendAsync(RestCall call, IOperationSink? log, CancellationToken cancellationToken)
    {
        RequireSameOrigin(call.Uri);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(LogKey, log);
        context.Properties.Set(CallKey, call);
        var stopwatch = Stopwatch.StartNew();
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
                return response;
            }

            using (response)
            {
                throw await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (Remember(ex))
        {
            throw; // not reached: the filter only notes what failed, for the trace line
        }
        catch (HttpRequestException ex)
        {
            throw Failures.Connection($"The request to {call.Uri.GetLeftPart(UriPartial.Path)} failed: {ex.Message}", call.Uri.AbsolutePath, ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw Failures.Connection($"The request to {call.Uri.GetLeftPart(UriPartial.Path)} timed out.", call.Uri.AbsolutePath, ex);
        }
        finally
        {
            // One verbose line per request, whatever happened to it: what an admin quotes to support.
            var retries = context.Properties.GetValue(RetriesKey, 0);
            ResilienceContextPool.Shared.Return(context);
            // Not once cancelled: the pipeline has stopped, and writing to it would throw from here.
            if (!cancellationToken.IsCancellationRequested)
            {
                log?.WriteVerbose(TraceLine(call, response, failure, stopwatch.ElapsedMilliseconds, retries));
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
    private static readonly ResiliencePropertyKey<string?> RetryRequestIdKey = new("exoadmin.retry-request-id");
    private static readonly ResiliencePropertyKey<int> RetriesKey = new("exoadmin.retries");

    private async ValueTask<HttpResponseMessage> SendOnceAsync(ResilienceContext context)
    {
        var call = context.Properties.GetValue(CallKey, null!);
        var log = context.Properties.GetValue(LogKey, null);
        var cancellationToken = context.CancellationToken;

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
            token = await _tokens.RenewAsync(claims, cancellationToken).ConfigureAwait(false);
            response = await SendWithTokenAsync(call, token, clientRequestId, log, cancellationToken).ConfigureAwait(false);
        }

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

        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
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

    private ResiliencePipeline<HttpResponseMessage> BuildRetryPipeline(RetrySettings settings)
    {
        return new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = settings.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.BaseDelay,
                MaxDelay = settings.MaxDelay,
                ShouldHandle = args => new ValueTask<bool>(IsTransient(args.Outcome, args.Context)),
                DelayGenerator = args => new ValueTask<TimeSpan?>(RetryAfter(args.Outcome.Result, settings.MaxDelay)),
                OnRetry = args =>
                {
                    var call = args.Context.Properties.GetValue(CallKey, null!);
                    var requestId = args.Outcome.Result is { } failed ? RequestIdOf(failed) : null;
                    args.Context.Properties.Set(RetryRequestIdKey, requestId);
                    var reason = args.Outcome.Result is { } result
                        ? ((int)result.StatusCode).ToString(CultureInfo.InvariantCulture)
                        : args.Outcome.Exception?.GetType().Name ?? "error";
                    args.Context.Properties.Set(RetriesKey, args.AttemptNumber + 1);
                    args.Context.Properties.GetValue(LogKey, null)?.WriteDebug(string.Format(
                        CultureInfo.InvariantCulture,
                        "Retrying {0} {1} after {2} (attempt {3} of {4}, waiting {5:0.0} s, request-id {6}).",
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
            .Build();
    }

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome, ResilienceContext context)
    {
        var call = context.Properties.GetValue(CallKey, null!);
        if (outcome.Exception is not null)
        {
            // Network failures: a read is simply asked again. A change is not replayed here.
            return call.IsIdempotent && !context.CancellationToken.IsCancellationRequested &&
                   outcome.Exception is HttpRequestException or TaskCanceledException or IOException;
        }

        var status = (int)outcome.Result!.StatusCode;
        if (status == 429 || (status == 503 && outcome.Result.Headers.RetryAfter is not null))
        {
            return true; // the service refused before doing anything: safe even for changes
        }

        return call.IsIdempotent && status is 500 or 502 or 503 or 504;
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeSpan cap)
    {
        var header = response?.Headers.RetryAfter;
        if (header is null)
        {
            return null; // exponential back-off with jitter
        }

        var wait = header.Delta ?? (header.Date - DateTimeOffset.UtcNow) ?? TimeSpan.Zero;
        if (wait < TimeSpan.Zero)
        {
            wait = TimeSpan.Zero;
        }

        return wait > cap ? cap : wait;
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
        return ServiceErrorReader.Read((int)response.StatusCode, body, RequestIdOf(response), target: null);
    }

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

    private static HttpMessageHandler CreateHandler() => new HttpClientHandler
    {
        AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
        UseCookies = false,
    };
}
