using System;
using System.Globalization;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace ExoAdmin.Engine.Http.Handlers;

/// <summary>
/// The outermost handler: one Verbose line per logical request, after its retries and whatever happened to it
/// (<c>GET /path?query 200 in 41 ms, 1 retry, request-id …</c>), to the cmdlet and the connection's log. What an admin
/// quotes to support; credential-like query values are masked. An InvokeCommand line also names the classic cmdlet and
/// the identity it was for, since every one of them is a POST to the same path.
/// </summary>
internal sealed class TracingHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var context = RequestContext.Of(request);
        HttpResponseMessage? response = null;
        Exception? failure = null;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return response;
        }
        catch (Exception ex)
        {
            failure = ex;
            throw;
        }
        finally
        {
            context.Verbose(Line(context.Call, response, failure, (long)context.Elapsed.TotalMilliseconds, context.Retries));
        }
    }

    /// <summary>METHOD path?query STATUS in N ms, R retries, request-id X[ (Cmdlet 'identity')] (credentials in the query masked).</summary>
    internal static string Line(RestCall call, HttpResponseMessage? response, Exception? failure, long milliseconds, int retries)
    {
        var outcome = response is not null
            ? ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture)
            : "failed (" + (failure?.GetType().Name ?? "error") + ")";
        return string.Format(
            CultureInfo.InvariantCulture,
            "{0} {1} {2} in {3} ms, {4} {5}, request-id {6}{7}",
            call.Method,
            Redaction.PathAndQuery(call.Uri),
            outcome,
            milliseconds,
            retries,
            retries == 1 ? "retry" : "retries",
            (response is null ? null : ExoRestClient.RequestIdOf(response)) ?? "-",
            call.CmdletName is null ? string.Empty : " (" + call.CmdletName + (call.Target is { } target ? " '" + target + "'" : string.Empty) + ")");
    }
}
