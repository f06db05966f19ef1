using System.Management.Automation;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using ExoAdmin.Engine.Auth;
using ExoAdmin.Engine.Errors;

namespace ExoAdmin.Engine.Http.Handlers;

/// <summary>
/// The connection's bearer token on every attempt (renewed ahead of expiry by the provider). A 401 renews it once, with
/// the claims of a challenge if there is one, and sends again; requests refused with the same token share one renewal.
/// A token given with -AccessToken cannot be renewed, so its refusal fails the request at once, saying so.
/// </summary>
internal sealed class BearerTokenHandler : DelegatingHandler
{
    private readonly ITokenProvider _tokens;

    public BearerTokenHandler(ITokenProvider tokens) => _tokens = tokens;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var context = RequestContext.Of(request);
        var token = await _tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        var response = await SendWithAsync(request, token, context, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        var requestId = ExoRestClient.RequestIdOf(response);
        var claims = ClaimsChallenge.FromResponse(response);
        response.Dispose();
        if (!_tokens.CanRenew)
        {
            throw new ExoException(
                $"The service refused the access token given to -AccessToken (HTTP 401 on {context.Call.Description}{(requestId is null ? string.Empty : $", request-id {requestId}")}): it has expired, was revoked, or is not for this service and tenant. ExoAdmin never renews a token it was given: get a new token and run Connect-ExchangeOnline -AccessToken again, or sign in another way so tokens renew themselves.",
                "AccessTokenRefused", ErrorCategory.AuthenticationError, context.Call.Target);
        }

        context.Debug($"{context.Call.Method} {context.Call.Uri.AbsolutePath}: 401, renewing the token{(claims is null ? string.Empty : " for a claims challenge")}.");
        token = await _tokens.RenewAsync(claims, token, cancellationToken).ConfigureAwait(false);
        return await SendWithAsync(request, token, context, cancellationToken).ConfigureAwait(false);
    }

    private Task<HttpResponseMessage> SendWithAsync(HttpRequestMessage request, AccessToken token, RequestContext context, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
        context.SentToken = token;
        return base.SendAsync(request, cancellationToken);
    }
}
