using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Polly;

namespace ExoAdmin.Engine.Http.Handlers;

/// <summary>
/// How long one attempt may wait for its answer's headers (Polly's timeout strategy, on the connection's TimeProvider);
/// a timeout surfaces as Polly's TimeoutRejectedException, which the retry rules know. Bodies have limits of their own.
/// </summary>
internal sealed class AttemptTimeoutHandler : DelegatingHandler
{
    private readonly ResiliencePipeline _timeout;

    public AttemptTimeoutHandler(TimeSpan timeout, TimeProvider time) =>
        _timeout = new ResiliencePipelineBuilder { TimeProvider = time }.AddTimeout(timeout).Build();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        await _timeout.ExecuteAsync(
            static async (state, token) => await state.Handler.SendInnerAsync(state.Request, token).ConfigureAwait(false),
            (Handler: this, Request: request),
            cancellationToken).ConfigureAwait(false);

    private Task<HttpResponseMessage> SendInnerAsync(HttpRequestMessage request, CancellationToken cancellationToken) => base.SendAsync(request, cancellationToken);
}
