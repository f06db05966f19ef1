using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using ExoAdmin.Engine.Http;
using ExoAdmin.Engine.Http.Bodies;
using ExoAdmin.Engine.Operations;

namespace ExoAdmin.Engine.OData;

/// <summary>
/// One page request, its body downloaded at network speed into a <see cref="BoundedBody"/> (within the page limits)
/// independently of how fast its objects are parsed and written. The parser reads the body as it arrives; once all of
/// it is in, the parser's look-ahead gives the next link and the item count (<see cref="Lookahead"/>), which is what
/// lets the pager ask for the next page while this one is still being written.
/// </summary>
internal sealed class PageFetch : IAsyncDisposable
{
    private readonly CancellationTokenSource _cancellation;
    private readonly Task<BoundedBody> _body;
    private HttpResponseMessage? _response;
    private volatile bool _closed;

    private PageFetch(ExoRestClient client, RestCall call, IOperationSink log, CancellationToken cancellationToken)
    {
        Call = call;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, client.Closing);
        _body = Task.Run(() => OpenAsync(client, log));
    }

    public RestCall Call { get; }

    /// <summary>The response's request-id, once its headers are in.</summary>
    public string? RequestId { get; private set; }

    /// <summary>The page's next link and item count, once its whole body is in and was looked ahead at; null before.</summary>
    public PageLookahead? Lookahead { get; set; }

    /// <summary>Sends the request and starts downloading its body in the background.</summary>
    public static PageFetch Start(ExoRestClient client, RestCall call, IOperationSink log, CancellationToken cancellationToken) =>
        new(client, call, log, cancellationToken);

    /// <summary>The body, once the response headers are in; a service error (after the client's retries) is thrown here.</summary>
    public Task<BoundedBody> OpenAsync() => _body;

    /// <summary>Stops the download (if still running), waits for it, and lets go of the response.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        _cancellation.Cancel();
        try
        {
            var body = await _body.ConfigureAwait(false);
            await body.DisposeAsync().ConfigureAwait(false);
        }
        catch
        {
            // Its failure, if any, was already handed to the reader or is no longer wanted.
        }

        _response?.Dispose();
        _cancellation.Dispose();
    }

    private async Task<BoundedBody> OpenAsync(ExoRestClient client, IOperationSink log)
    {
        var response = await client.SendAsync(Call, log, _cancellation.Token).ConfigureAwait(false);
        _response = response;
        RequestId = ExoRestClient.RequestIdOf(response);
        return BoundedBody.Start(response.Content, BodyLimits.Page(client.Settings), client.Time, _cancellation.Token);
    }
}
