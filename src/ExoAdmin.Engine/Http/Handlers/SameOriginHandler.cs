using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using ExoAdmin.Engine.Errors;

namespace ExoAdmin.Engine.Http.Handlers;

/// <summary>
/// The last handler before the socket: every hop stays on the connection's origin (scheme, host and port), so a token or
/// a change's body goes nowhere else. The transport never follows redirects, and any 3xx answer is a protocol error here
/// (the one redirect the protocol uses, compliance discovery's 302, is read by <c>ComplianceDiscovery</c> on its own).
/// </summary>
internal sealed class SameOriginHandler : DelegatingHandler
{
    private readonly Uri _origin;

    public SameOriginHandler(Uri origin) => _origin = origin;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var context = RequestContext.Of(request);
        var uri = request.RequestUri!;
        if (!IsSameOrigin(uri, _origin))
        {
            throw Failures.Protocol(
                $"The service sent a link to '{uri.GetLeftPart(UriPartial.Authority)}', which is not the connection's host '{_origin.GetLeftPart(UriPartial.Authority)}'. It was not followed.",
                uri.GetLeftPart(UriPartial.Authority));
        }

        context.MarkSent();
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        if (status is >= 300 and < 400)
        {
            var location = response.Headers.Location is { } to ? (to.IsAbsoluteUri ? to : new Uri(uri, to)).GetLeftPart(UriPartial.Path) : "nowhere";
            var requestId = ExoRestClient.RequestIdOf(response);
            response.Dispose();
            throw Failures.Protocol(
                $"The service answered {context.Call.Description}{Redaction.TargetText(context.Call.Target)} with a redirect (HTTP {status}) to {location}{(requestId is null ? string.Empty : $" (request-id {requestId})")}. ExoAdmin follows no redirect: a request, its token and its changes go only to '{_origin.GetLeftPart(UriPartial.Authority)}'.",
                context.Call.Target ?? uri.GetLeftPart(UriPartial.Path));
        }

        return response;
    }

    public static bool IsSameOrigin(Uri uri, Uri origin) =>
        Uri.Compare(uri, origin, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;
}
