using System;
using System.Net.Http;
using System.Threading;
using ExoAdmin.Engine.Auth;
using ExoAdmin.Engine.Operations;

namespace ExoAdmin.Engine.Http;

/// <summary>
/// What the handlers of one logical request share, carried on its HttpRequestMessage: the call, where its trace goes,
/// when it started (its time budget counts from there), its retries, and whether it may have reached the service.
/// </summary>
internal sealed class RequestContext
{
    private const string Key = "exoadmin.request";
    private int _mayHaveReachedService;

    public RequestContext(RestCall call, IOperationSink? log, ConnectionTrace trace, TimeProvider time, TimeSpan budget, CancellationToken stopping)
    {
        Call = call;
        Log = log;
        Trace = trace;
        Time = time;
        Budget = budget;
        Stopping = stopping;
        Started = time.GetTimestamp();
    }

    public RestCall Call { get; }

    /// <summary>The cmdlet's streams (-Verbose, -Debug); null for requests nobody traces.</summary>
    public IOperationSink? Log { get; }

    public ConnectionTrace Trace { get; }

    public TimeProvider Time { get; }

    /// <summary>All attempts and waits of this request together, rate-limit waits included.</summary>
    public TimeSpan Budget { get; }

    /// <summary>The caller's cancellation (the pipeline stopping), as opposed to a timeout of the request's own.</summary>
    public CancellationToken Stopping { get; }

    public long Started { get; }

    public TimeSpan Elapsed => Time.GetElapsedTime(Started);

    public TimeSpan RemainingBudget => Budget - Elapsed is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero;

    /// <summary>Retries so far (attempts after the first).</summary>
    public int Retries { get; set; }

    /// <summary>The request-id of the last failed attempt (§9.1: a Get-EXO* retry carries it as its client-request-id).</summary>
    public string? FailedRequestId { get; set; }

    /// <summary>The token the last attempt carried, so an answer that echoes it can be redacted.</summary>
    public AccessToken? SentToken { get; set; }

    /// <summary>Set once bytes of the request may have left for the service: from then on a lost answer leaves a change unknown.</summary>
    public bool MayHaveReachedService => Volatile.Read(ref _mayHaveReachedService) == 1;

    public void MarkSent() => Interlocked.Exchange(ref _mayHaveReachedService, 1);

    public void AttachTo(HttpRequestMessage request) => request.Properties[Key] = this;

    public static RequestContext Of(HttpRequestMessage request) =>
        request.Properties.TryGetValue(Key, out var value) && value is RequestContext context
            ? context
            : throw new InvalidOperationException("The request was not made by ExoRestClient.");

    /// <summary>A Verbose line for this request's cmdlet and the connection's log.</summary>
    public void Verbose(string line) => Trace.Verbose(this, line);

    /// <summary>A Debug line for this request's cmdlet only (headers: never in the connection's log).</summary>
    public void Debug(string line)
    {
        if (!Stopping.IsCancellationRequested)
        {
            Log?.WriteDebug(line);
        }
    }
}
