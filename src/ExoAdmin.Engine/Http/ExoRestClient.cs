using System;
using System.Net.Http;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using ExoAdmin.Engine.Auth;
using ExoAdmin.Engine.Errors;
using ExoAdmin.Engine.Operations;

namespace ExoAdmin.Engine.Http;

/// <summary>
/// Sends one connection's requests through its <see cref="HttpPipeline"/> and turns what came back into what the caller
/// gets (<see cref="CallOutcome"/>): a read's response, streaming; a change's answer, read whole (so a cut is seen while
/// its outcome can still be reported); or one ExoException that says what happened. Disposing it (Disconnect, Remove-Module)
/// stops every request in flight with an error that says the connection was closed.
/// </summary>
internal sealed class ExoRestClient : IDisposable
{
    private static readonly bool SupportsHttp2 = !RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

    private readonly HttpMessageInvoker _pipeline;
    private readonly CancellationTokenSource _closing = new();
    private readonly ConnectionTrace _trace;

    public ExoRestClient(
        Uri baseUri,
        ITokenProvider tokens,
        ConnectionHeaders headers,
        HttpMessageHandler? transport = null,
        RetrySettings? retrySettings = null,
        TimeProvider? time = null,
        int maxConcurrency = Sessions.ExoConnection.DefaultMaxConcurrency,
        ITraceLog? traceLog = null)
    {
        BaseUri = baseUri;
        Tokens = tokens;
        Headers = headers;
        Settings = retrySettings ?? RetrySettings.Default;
        Time = time ?? TimeProvider.System;
        Limiter = new AdaptiveConcurrencyLimiter(maxConcurrency);
        _trace = new ConnectionTrace(traceLog);
        var pipeline = HttpPipeline.Build(baseUri, tokens, Settings, Time, new RateLimitGate(), Limiter, transport ?? Transport.HttpTransport.Create(null), () => TenantName);
        _pipeline = new HttpMessageInvoker(pipeline, disposeHandler: true);
    }

    /// <summary>scheme://host[:port] of the service; every URL this client follows must stay on it.</summary>
    public Uri BaseUri { get; }

    /// <summary>The tenant, as errors about the whole connection (an open circuit) name it.</summary>
    public string? Tenant { get; set; }

    public ITokenProvider Tokens { get; }

    public ConnectionHeaders Headers { get; }

    public RetrySettings Settings { get; }

    /// <summary>The clock of every wait on the path: retries, the rate-limit gate, attempt and body timeouts.</summary>
    public TimeProvider Time { get; }

    /// <summary>The requests in flight on this connection, shared by all its cmdlets.</summary>
    public AdaptiveConcurrencyLimiter Limiter { get; }

    /// <summary>The connection's own log (-LogDirectoryPath), if it has one: every trace line and error, redacted.</summary>
    public ITraceLog? TraceLog
    {
        get => _trace.Log;
        set => _trace.Log = value;
    }

    /// <summary>Disconnected or the module removed: every request fails with ExoConnectionClosed.</summary>
    public bool IsClosed => _closing.IsCancellationRequested;

    /// <summary>Cancelled when the connection closes, for work that outlives a request (a body being read).</summary>
    public CancellationToken Closing => _closing.Token;

    private string TenantName => Tenant ?? BaseUri.Host;

    public async Task<HttpResponseMessage> SendAsync(RestCall call, IOperationSink? log, CancellationToken cancellationToken)
    {
        var context = new RequestContext(call, log, _trace, Time, Settings.Budget, cancellationToken);
        using var request = CreateRequest(call, context);
        try
        {
            if (IsClosed)
            {
                throw Failures.ConnectionClosed(TenantName, call.Description, null);
            }

            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closing.Token);
            var response = await _pipeline.SendAsync(request, linked.Token).ConfigureAwait(false);
            return await CallOutcome.AcceptAsync(response, context, Settings, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (CallOutcome.Translate(ex, context, IsClosed, TenantName) is { } error)
        {
            _trace.Error(error.ErrorId, error.Message);
            if (ReferenceEquals(error, ex))
            {
                throw;
            }

            throw error;
        }
    }

    public void Dispose()
    {
        if (!IsClosed)
        {
            _closing.Cancel();
            _pipeline.Dispose();
        }
    }

    internal static string? RequestIdOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues("request-id", out var values) ? string.Join(",", values) : null;

    private HttpRequestMessage CreateRequest(RestCall call, RequestContext context)
    {
        var request = new HttpRequestMessage(call.Method, call.Uri);
        if (SupportsHttp2)
        {
            request.Version = new Version(2, 0); // falls back to 1.1 where the server does not offer h2
        }

        context.AttachTo(request);
        Headers.Apply(request, call);
        if (call.JsonBody is not null)
        {
            request.Content = new StringContent(call.JsonBody, Encoding.UTF8, "application/json");
        }

        return request;
    }
}
