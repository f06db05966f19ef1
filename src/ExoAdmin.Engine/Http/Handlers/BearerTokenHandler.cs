using System;
using System.Management.Automation;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using ExoAdmin.Engine.Auth;
using ExoAdmin.Engine.Errors;
using ExoAdmin.Engine.Http.Bodies;

namespace ExoAdmin.Engine.Http.Handlers;

/// <summary>
/// The connection's bearer token on every attempt (renewed ahead of expiry by the provider). A 401 renews it once, with
/// the claims of a challenge if there is one, and sends again; requests refused with the same token share one renewal.
/// A token given with -AccessToken cannot be renewed, so its refusal fails the request at once, saying so.
/// </summary>
internal sealed class BearerTokenHandler : DelegatingHandler
{
    private readonly ITokenProvider _tokens;
    private readonly RetrySettings _settings;

    public BearerTokenHandler(ITokenProvider tokens, RetrySettings settings)
    {
        _tokens = tokens;
        _settings = settings;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var context = RequestContext.Of(request);
        var token = await _tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        var response = await SendWithAsync(request, token, context, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        var claims = ClaimsChallenge.FromResponse(response);
        if (!_tokens.CanRenew)
        {
            throw await RefusedAsync(response, context, cancellationToken).ConfigureAwait(false);
        }

        response.Dispose();

        context.Debug($"{context.Call.Method} {context.Call.Uri.AbsolutePath}: 401, renewing the token{(claims is null ? string.Empty : " for a claims challenge")}.");
        token = await _tokens.RenewAsync(claims, token, cancellationToken).ConfigureAwait(false);
        return await SendWithAsync(request, token, context, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The service's own reason (why it refused: audience, expiry…), then what ExoAdmin cannot do about it.</summary>
    private async Task<ExoServiceException> RefusedAsync(HttpResponseMessage response, RequestContext context, CancellationToken cancellationToken)
    {
        using (response)
        {
            var requestId = ExoRestClient.RequestIdOf(response);
            await ErrorBody.BufferAsync(response, BodyLimits.Whole(BodyLimits.ErrorBytes, _settings), context.Time, cancellationToken).ConfigureAwait(false);
            var text = ErrorBody.TextOf(response) is { Length: > 0 } body ? Redaction.Text(body, context.SentToken?.Value) : null;
            var said = text is null ? null : ServiceErrorReader.Read(401, text, null, null).Message;
            return new ExoServiceException(
                $"The service refused the access token given to -AccessToken (HTTP 401 on {context.Call.Description}{(requestId is null ? string.Empty : $", request-id {requestId}")}){(said is null || said.StartsWith("The service answered HTTP 401", StringComparison.Ordinal) ? string.Empty : $": {said}")}. It has expired, was revoked, or is not for this service and tenant; ExoAdmin never renews a token it was given: get a new token and run Connect-ExchangeOnline -AccessToken again, or sign in another way so tokens renew themselves.",
                "AccessTokenRefused", ErrorCategory.AuthenticationError, context.Call.Target, 401, requestId);
        }
    }

    private Task<HttpResponseMessage> SendWithAsync(HttpRequestMessage request, AccessToken token, RequestContext context, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
        context.SentToken = token;
        return base.SendAsync(request, cancellationToken);
    }
}
