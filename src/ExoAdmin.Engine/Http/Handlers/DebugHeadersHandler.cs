using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace ExoAdmin.Engine.Http.Handlers;

/// <summary>-Debug: the headers of every attempt and of its answer, credentials masked (<see cref="Redaction"/>).</summary>
internal sealed class DebugHeadersHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var context = RequestContext.Of(request);
        if (context.Log is not null)
        {
            context.Debug(Describe($"Request: {request.Method} {Redaction.PathAndQuery(request.RequestUri!)}", request.Headers, request.Content?.Headers));
        }

        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (context.Log is not null)
        {
            context.Debug(Describe($"Response: {(int)response.StatusCode} {response.ReasonPhrase} (HTTP {response.Version})", response.Headers, response.Content?.Headers));
        }

        return response;
    }

    /// <summary>A title and one "Name: value" line per header, credentials masked.</summary>
    internal static string Describe(string title, HttpHeaders headers, HttpHeaders? contentHeaders)
    {
        var text = new StringBuilder(title);
        foreach (var header in contentHeaders is null ? headers : headers.Concat(contentHeaders))
        {
            text.Append('\n').Append("  ").Append(Redaction.Header(header.Key, header.Value));
        }

        return text.ToString();
    }
}
