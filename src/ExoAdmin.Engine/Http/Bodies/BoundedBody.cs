using System;
using System.Buffers;
using System.IO;
using System.IO.Pipelines;
using System.Net.Http;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using ExoAdmin.Engine.Http.Transport;

namespace ExoAdmin.Engine.Http.Bodies;

/// <summary>
/// One response body, downloaded into a <see cref="Pipe"/> at network speed (up to <see cref="BodyLimits.BufferBytes"/>
/// ahead of its reader) while the reader parses it. Every byte is counted after decompression against the cap; each
/// wait for the network is bounded by the idle timeout and all of them together by the body's timeout (on the
/// connection's <see cref="TimeProvider"/>). A refused body fails the reader with <see cref="ResponseBodyException"/>.
/// Disposing stops the download wherever it is (a read that has all it wants reads no further).
/// </summary>
internal sealed class BoundedBody : IAsyncDisposable
{
    private const int SegmentBytes = 16 * 1024;

    private readonly HttpContent _content;
    private readonly BodyLimits _limits;
    private readonly TimeProvider _time;
    private readonly Pipe _pipe;
    private readonly CancellationTokenSource _stop;
    private readonly TaskCompletionSource<bool> _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _pump = Task.CompletedTask;
    private long _length;
    private int _timedOut = -1;
    private BodyFailure _pendingFailure;

    private BoundedBody(HttpContent content, BodyLimits limits, TimeProvider time, CancellationToken cancellationToken)
    {
        _content = content;
        _limits = limits;
        _time = time;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var buffered = Math.Max(SegmentBytes, limits.BufferBytes);
        _pipe = new Pipe(new PipeOptions(pauseWriterThreshold: buffered + 1, resumeWriterThreshold: (buffered / 2) + 1, minimumSegmentSize: SegmentBytes, useSynchronizationContext: false));
    }

    public PipeReader Reader => _pipe.Reader;

    /// <summary>Bytes downloaded so far.</summary>
    public long Length => Interlocked.Read(ref _length);

    /// <summary>Completes when the download ends: true when the whole body is in, false when it failed or was stopped.</summary>
    public Task<bool> Finished => _finished.Task;

    /// <summary>Starts downloading; the body owns <paramref name="content"/> and disposes it.</summary>
    public static BoundedBody Start(HttpContent content, BodyLimits limits, TimeProvider time, CancellationToken cancellationToken)
    {
        var body = new BoundedBody(content, limits, time, cancellationToken);
        body._pump = Task.Run(body.PumpAsync);
        return body;
    }

    /// <summary>A body read whole (an entity, a change's answer, the module file), within its limits.</summary>
    public static async Task<byte[]> ReadAllAsync(HttpContent content, BodyLimits limits, TimeProvider time, CancellationToken cancellationToken)
    {
        var body = Start(content, BodyLimits.ForWhole(limits), time, cancellationToken);
        await using (body.ConfigureAwait(false))
        {
            while (true)
            {
                var result = await body.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                if (result.IsCompleted)
                {
                    var bytes = result.Buffer.ToArray();
                    body.Reader.AdvanceTo(result.Buffer.End);
                    return bytes;
                }

                body.Reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            }
        }
    }

    /// <summary>The first <paramref name="maxBytes"/> of a body (an error's text); the rest is never downloaded.</summary>
    public static async Task<byte[]> ReadPrefixAsync(HttpContent content, int maxBytes, BodyLimits limits, TimeProvider time, CancellationToken cancellationToken)
    {
        var body = Start(content, new BodyLimits(long.MaxValue, maxBytes, limits.IdleTimeout, limits.Timeout), time, cancellationToken);
        await using (body.ConfigureAwait(false))
        {
            while (true)
            {
                var result = await body.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                if (result.IsCompleted || result.Buffer.Length >= maxBytes)
                {
                    var bytes = result.Buffer.Slice(0, Math.Min(result.Buffer.Length, maxBytes)).ToArray();
                    body.Reader.AdvanceTo(result.Buffer.End);
                    return bytes;
                }

                body.Reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try
        {
            await _pump.ConfigureAwait(false);
        }
        finally
        {
            await _pipe.Reader.CompleteAsync().ConfigureAwait(false);
            _content.Dispose();
            _stop.Dispose();
        }
    }

    private async Task PumpAsync()
    {
        var writer = _pipe.Writer;
        Exception? failure = null;
        var started = _time.GetTimestamp();
        var heldBack = TimeSpan.Zero; // time the reader kept the download waiting: not the server's to answer for
        using var timeout = _time.CreateTimer(static state => ((BoundedBody)state!).TimedOut(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        try
        {
            using var stream = await _content.ReadAsStreamAsync().ConfigureAwait(false);
            // A stream that ignores cancellation (HttpClientHandler on .NET Framework) is closed instead. Only there:
            // closing a stream while a read is inside it is safe for a socket but not for a decompressing stream,
            // whose native inflate state the close frees under the read (a crashed process, not an exception).
            using var closing = HttpTransport.ReadsObserveCancellation
                ? default
                : _stop.Token.Register(static state => ((Stream)state!).Dispose(), stream);
            while (true)
            {
                var left = _limits.Timeout - (_time.GetElapsedTime(started) - heldBack);
                if (left <= TimeSpan.Zero)
                {
                    throw new ResponseBodyException(BodyFailure.TooSlow, _limits);
                }

                var memory = writer.GetMemory(SegmentBytes);
                if (!MemoryMarshal.TryGetArray<byte>(memory, out var segment))
                {
                    throw new InvalidOperationException("The pipe's memory is not array-backed.");
                }

                // The next byte must come within the idle timeout, and the body within its own.
                _pendingFailure = left <= _limits.IdleTimeout ? BodyFailure.TooSlow : BodyFailure.Stalled;
                timeout.Change(left <= _limits.IdleTimeout ? left : _limits.IdleTimeout, Timeout.InfiniteTimeSpan);
                int read;
                try
                {
                    read = await stream.ReadAsync(segment.Array!, segment.Offset, segment.Count, _stop.Token).ConfigureAwait(false);
                }
                finally
                {
                    timeout.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                }

                if (read == 0)
                {
                    break;
                }

                if (Interlocked.Add(ref _length, read) > _limits.MaxBytes)
                {
                    throw new ResponseBodyException(BodyFailure.TooLarge, _limits);
                }

                writer.Advance(read);
                var flush = writer.FlushAsync(_stop.Token);
                FlushResult flushed;
                if (flush.IsCompleted)
                {
                    flushed = flush.Result;
                }
                else
                {
                    // The reader is a buffer behind (back-pressure): the wait is the reader's, not the server's, and
                    // so is the request's place among those in flight. A ValueTask is awaited once only.
                    (_content as IHeldPlace)?.GiveBack();
                    var waiting = _time.GetTimestamp();
                    flushed = await flush.ConfigureAwait(false);
                    heldBack += _time.GetElapsedTime(waiting);
                }

                if (flushed.IsCompleted)
                {
                    break; // the reader has all it wants
                }
            }
        }
        catch (Exception ex)
        {
            failure = Volatile.Read(ref _timedOut) is var kind and >= 0 ? new ResponseBodyException((BodyFailure)kind, _limits) : ex;
        }
        finally
        {
            await writer.CompleteAsync(failure).ConfigureAwait(false);
            _finished.TrySetResult(failure is null);
        }
    }

    /// <summary>The timer of the current wait fired: stop the download, and say which limit it was.</summary>
    private void TimedOut()
    {
        Volatile.Write(ref _timedOut, (int)_pendingFailure);
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
