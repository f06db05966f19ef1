using System;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using ExoAdmin.Engine.Errors;
using ExoAdmin.Engine.Http.Bodies;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace ExoAdmin.Engine.Http;

/// <summary>
/// What a call's answer or failure becomes for its caller. The rule that matters most: a change that may have reached
/// the service and whose answer is lost (a timeout, a cut, a 5xx, an answer cut short, the pipeline or the connection
/// stopped under it) is never sent again and fails with <see cref="ExoChangeOutcomeUnknownException"/> naming its target,
/// taken from the request the cmdlet built.
/// </summary>
internal static class CallOutcome
{
    /// <summary>A success is returned (a change's answer read whole first); anything else throws what it means.</summary>
    public static async Task<HttpResponseMessage> AcceptAsync(HttpResponseMessage response, RequestContext context, RetrySettings settings, CancellationToken cancellationToken)
    {
        var call = context.Call;
        if (response.IsSuccessStatusCode)
        {
            if (NotJson(response) is not { } what)
            {
                return call.IsIdempotent ? response : await ReadChangeAnswerAsync(response, context, settings, cancellationToken).ConfigureAwait(false);
            }

            using (response)
            {
                // An HTML page from a proxy or an outage page, or nothing at all, where the protocol has JSON.
                if (!call.IsIdempotent)
                {
                    throw Unknown(call, $"the service answered with {what} instead of JSON", what == "an empty body" ? ErrorCategory.ConnectionError : ErrorCategory.ProtocolError, ExoRestClient.RequestIdOf(response));
                }

                throw Failures.Protocol(
                    $"The service answered {call.Method} {call.Uri.AbsolutePath} with {what} instead of JSON{RequestIdText(response)}. A proxy, a captive portal or an outage page may be answering in its place.",
                    call.Uri.GetLeftPart(UriPartial.Path));
            }
        }

        using (response)
        {
            if (!call.IsIdempotent && RetryRules.IsAmbiguous(response))
            {
                // The service failed while (or after) running the change: it may have been applied.
                throw Unknown(call, $"the service answered HTTP {(int)response.StatusCode} ({response.ReasonPhrase})", ErrorCategory.ConnectionError, ExoRestClient.RequestIdOf(response));
            }

            await ErrorBody.BufferAsync(response, BodyLimits.Whole(BodyLimits.ErrorBytes, settings), context.Time, cancellationToken).ConfigureAwait(false);
            var text = Redaction.Text(ErrorBody.TextOf(response) ?? string.Empty, context.SentToken?.Value);
            throw ServiceErrorReader.Read(
                (int)response.StatusCode,
                text,
                ExoRestClient.RequestIdOf(response),
                call.Target,
                exceptionTypeHeader: HeaderOf(response, "x-ExceptionType"),
                server: HeaderOf(response, "X-CalculatedBETarget")?.Split('.')[0],
                timestamp: response.Headers.Date?.ToString("r", CultureInfo.InvariantCulture));
        }
    }

    /// <summary>The ExoException a failure means for the caller; null when it is the caller's own cancellation.</summary>
    public static ExoException? Translate(Exception exception, RequestContext context, bool connectionClosed, string tenant)
    {
        var call = context.Call;
        var changeInFlight = !call.IsIdempotent && context.MayHaveReachedService;
        switch (exception)
        {
            case ExoException known:
                return known;
            case OperationCanceledException or ObjectDisposedException or HttpRequestException or IOException when connectionClosed:
                return changeInFlight
                    ? Unknown(call, "the connection was closed (Disconnect-ExchangeOnline or Remove-Module) before the service answered", ErrorCategory.OperationStopped, null, exception)
                    : Failures.ConnectionClosed(tenant, call.Description, null, exception);
            case OperationCanceledException when context.Stopping.IsCancellationRequested:
                return changeInFlight ? Unknown(call, "the pipeline was stopped before the service answered", ErrorCategory.OperationStopped, null, exception) : null;
            case BrokenCircuitException open:
                return Failures.CircuitOpen(tenant, open.RetryAfter, context.Time.GetUtcNow(), open);
            case TimeoutRejectedException timeout:
                return !call.IsIdempotent
                    ? Unknown(call, string.Format(CultureInfo.InvariantCulture, "no answer came within {0:0.#} s after it was sent", timeout.Timeout.TotalSeconds), ErrorCategory.OperationTimeout, null, timeout)
                    : Failures.Timeout(string.Format(CultureInfo.InvariantCulture, "The request to {0} got no answer within {1:0.#} s{2}.", call.Uri.GetLeftPart(UriPartial.Path), timeout.Timeout.TotalSeconds, RetriesText(context)), call.Uri.AbsolutePath, timeout);
            case HttpRequestException or IOException when RetryRules.IsRequestTooLarge(exception):
                return new ExoException(
                    $"The request to {call.Uri.GetLeftPart(UriPartial.Path)} is larger than the service accepts ({RetryRules.Describe(exception)}). Shorten it (a long -Filter, or fewer values) and run the command again.",
                    "RequestTooLarge", ErrorCategory.LimitsExceeded, call.Target ?? call.Uri.AbsolutePath, exception);
            case HttpRequestException or IOException:
                return !call.IsIdempotent && !RetryRules.IsBeforeSend(exception)
                    ? Unknown(call, $"the connection failed after it was sent ({RetryRules.Describe(exception)})", ErrorCategory.ConnectionError, null, exception)
                    : Failures.Connection($"The request to {call.Uri.GetLeftPart(UriPartial.Path)} failed: {RetryRules.Describe(exception)}{RetriesText(context)}.", call.Uri.AbsolutePath, exception);
            default:
                return null;
        }
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
        return mediaType is null || mediaType.EndsWith("json", StringComparison.OrdinalIgnoreCase) ? null : mediaType;
    }

    /// <summary>True when the bytes are one whole JSON value (not cut short).</summary>
    internal static bool IsCompleteJson(byte[] body)
    {
        if (body.Length == 0)
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(body, isFinalBlock: true, state: default);
            while (reader.Read())
            {
            }

            return reader.BytesConsumed > 0 && reader.CurrentDepth == 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// A change's answer, read whole (within the body limits) before the caller sees it: a connection cut while it
    /// arrives, or an answer that ends before its JSON does, leaves the change's outcome unknown, and that is reported here.
    /// </summary>
    private static async Task<HttpResponseMessage> ReadChangeAnswerAsync(HttpResponseMessage response, RequestContext context, RetrySettings settings, CancellationToken cancellationToken)
    {
        var call = context.Call;
        if (response.StatusCode == HttpStatusCode.NoContent || response.Content is null)
        {
            return response;
        }

        var requestId = ExoRestClient.RequestIdOf(response);
        byte[] body;
        try
        {
            body = await BoundedBody.ReadAllAsync(response.Content, BodyLimits.Whole(BodyLimits.EntityBytes, settings), context.Time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            response.Dispose();
            var what = ex is ResponseBodyException refused ? refused.Message : "the connection was cut while the service's answer was arriving";
            throw Unknown(call, what, ErrorCategory.ConnectionError, requestId, ex);
        }

        if (!IsCompleteJson(body))
        {
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

    internal static ExoChangeOutcomeUnknownException Unknown(RestCall call, string what, ErrorCategory category, string? requestId, Exception? inner = null) =>
        new(call.CmdletName ?? call.Description, call.Target?.ToString(), what, category, requestId, inner);

    private static string? HeaderOf(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    private static string RequestIdText(HttpResponseMessage response) => ExoRestClient.RequestIdOf(response) is { } id ? $" (request-id {id})" : string.Empty;

    private static string RetriesText(RequestContext context) =>
        context.Retries == 0 ? string.Empty : string.Format(CultureInfo.InvariantCulture, " (after {0} {1})", context.Retries, context.Retries == 1 ? "retry" : "retries");
}
