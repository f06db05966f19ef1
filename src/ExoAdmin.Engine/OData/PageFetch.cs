using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using ExoAdmin.Engine.Http;
using ExoAdmin.Engine.Operations;

namespace ExoAdmin.Engine.OData;

/// <summary>
/// One page request whose body is downloaded at network speed into pooled chunks, independently of how fast its objects
/// are parsed and written. The parser reads the chunks through <see cref="OpenBody"/> as they arrive (first object as
/// soon as its bytes are in), and once the whole body is in, a skim of it gives the next link and the item count: that
/// is what lets the pager ask for the next page while this one is still being written. At most one such page is held
/// ahead, so memory stays at about two pages' bytes whatever the length of the read.
/// </summary>
internal sealed class PageFetch
{
    internal const int ChunkBytes = 64 * 1024;

    // Private, so a long read keeps reusing the same chunks instead of competing with the shared pool's small buckets.
    private static readonly ArrayPool<byte> Chunks = ArrayPool<byte>.Create(ChunkBytes, 64);

    private readonly object _gate = new();
    private readonly List<byte[]> _chunks = new();
    private readonly CancellationTokenSource _cancellation;
    private readonly TaskCompletionSource<HttpResponseMessage> _headers = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _length;
    private bool _completed;
    private Exception? _failure;
    private TaskCompletionSource<bool>? _waiter;
    private Task _work = Task.CompletedTask;
    private bool _closed;

    private PageFetch(RestCall call, CancellationToken cancellationToken)
    {
        Call = call;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    }

    public RestCall Call { get; }

    /// <summary>The response's request-id, once its headers are in.</summary>
    public string? RequestId { get; private set; }

    private volatile bool _skimmed;

    /// <summary>True once the whole body is in and was skimmed as a complete page.</summary>
    public bool IsSkimmed => _skimmed;

    /// <summary>The page's @odata.nextLink, known once <see cref="IsSkimmed"/>.</summary>
    public string? NextLink { get; private set; }

    /// <summary>Objects in the page's value, known once <see cref="IsSkimmed"/>.</summary>
    public int ItemCount { get; private set; }

    /// <summary>Sends the request and starts downloading its body in the background.</summary>
    public static PageFetch Start(ExoRestClient client, RestCall call, IOperationSink log, CancellationToken cancellationToken)
    {
        var fetch = new PageFetch(call, cancellationToken);
        fetch._work = Task.Run(() => fetch.RunAsync(client, log));
        return fetch;
    }

    /// <summary>Waits for the response headers; a service error (after the client's retries) is thrown here.</summary>
    public Task WaitForHeadersAsync() => _headers.Task;

    /// <summary>The body as a stream over the chunks; reads wait for bytes not yet downloaded. One reader at a time.</summary>
    public Stream OpenBody() => new BodyStream(this);

    /// <summary>Stops the download (if still running), waits for it, and gives the chunks back.</summary>
    public async Task CloseAsync()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        _cancellation.Cancel();
        try
        {
            await _work.ConfigureAwait(false);
        }
        catch
        {
            // Its failure, if any, was already handed to the reader or is no longer wanted.
        }

        lock (_gate)
        {
            foreach (var chunk in _chunks)
            {
                Chunks.Return(chunk);
            }

            _chunks.Clear();
        }

        _cancellation.Dispose();
    }

    private async Task RunAsync(ExoRestClient client, IOperationSink log)
    {
        var token = _cancellation.Token;
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(Call, log, token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _headers.TrySetException(ex);
            Finish(ex);
            return;
        }

        RequestId = ExoRestClient.RequestIdOf(response);
        _headers.TrySetResult(response);
        try
        {
            using (response)
            using (var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false))
            using (token.Register(static state => ((IDisposable)state!).Dispose(), response))
            {
                while (true)
                {
                    byte[] chunk;
                    int offset;
                    lock (_gate)
                    {
                        offset = (int)(_length % ChunkBytes);
                        if (offset == 0)
                        {
                            _chunks.Add(Chunks.Rent(ChunkBytes));
                        }

                        chunk = _chunks[_chunks.Count - 1];
                    }

                    var read = await body.ReadAsync(chunk, offset, ChunkBytes - offset, token).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    Signal(() => _length += read);
                }
            }

            Skim();
            Finish(null);
        }
        catch (Exception ex)
        {
            Finish(token.IsCancellationRequested ? new OperationCanceledException(token) : ex);
        }
    }

    /// <summary>Top-level properties only, each item skipped whole: the next link and the count, without building anything.</summary>
    private void Skim()
    {
        ReadOnlySequence<byte> bytes;
        lock (_gate)
        {
            bytes = Sequence(_chunks, _length);
        }

        try
        {
            var reader = new Utf8JsonReader(bytes, isFinalBlock: true, default);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return;
            }

            string? nextLink = null;
            var count = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("@odata.nextLink"u8))
                {
                    reader.Read();
                    nextLink = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
                else if (reader.ValueTextEquals("value"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.StartArray)
                    {
                        return;
                    }

                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        reader.Skip();
                        count++;
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject)
            {
                return;
            }

            NextLink = nextLink;
            ItemCount = count;
            _skimmed = true;
        }
        catch (JsonException)
        {
            // Truncated or not JSON: the parser reports it when it gets there; nothing is read ahead of it.
        }
    }

    private void Finish(Exception? failure) => Signal(() =>
    {
        _failure = failure;
        _completed = true;
    });

    private void Signal(Action change)
    {
        TaskCompletionSource<bool>? waiter;
        lock (_gate)
        {
            change();
            waiter = _waiter;
            _waiter = null;
        }

        waiter?.TrySetResult(true);
    }

    private static ReadOnlySequence<byte> Sequence(List<byte[]> chunks, long length)
    {
        if (length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        Segment? first = null, last = null;
        var remaining = length;
        foreach (var chunk in chunks)
        {
            var size = (int)Math.Min(remaining, ChunkBytes);
            var segment = new Segment(new ReadOnlyMemory<byte>(chunk, 0, size), last?.RunningIndex + last?.Memory.Length ?? 0);
            if (last is null)
            {
                first = segment;
            }
            else
            {
                last.SetNext(segment);
            }

            last = segment;
            remaining -= size;
            if (remaining == 0)
            {
                break;
            }
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public void SetNext(Segment next) => Next = next;
    }

    /// <summary>Reads the downloaded chunks in order, waiting for more while the download runs.</summary>
    private sealed class BodyStream : Stream
    {
        private readonly PageFetch _fetch;
        private long _position;

        public BodyStream(PageFetch fetch) => _fetch = fetch;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            while (true)
            {
                Task wait;
                var fetch = _fetch;
                lock (fetch._gate)
                {
                    var available = fetch._length - _position;
                    if (available > 0)
                    {
                        var copied = 0;
                        while (copied < count && _position < fetch._length)
                        {
                            var chunk = fetch._chunks[(int)(_position / ChunkBytes)];
                            var at = (int)(_position % ChunkBytes);
                            var n = (int)Math.Min(Math.Min(count - copied, ChunkBytes - at), fetch._length - _position);
                            Buffer.BlockCopy(chunk, at, buffer, offset + copied, n);
                            copied += n;
                            _position += n;
                        }

                        return copied;
                    }

                    if (fetch._completed)
                    {
                        return fetch._failure switch
                        {
                            null => 0,
                            OperationCanceledException canceled => throw canceled,
                            IOException io => throw new IOException(io.Message, io),
                            { } other => throw new IOException($"The response broke off: {other.Message}", other),
                        };
                    }

                    fetch._waiter ??= new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                    wait = fetch._waiter.Task;
                }

                if (cancellationToken.CanBeCanceled)
                {
                    var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                    using (cancellationToken.Register(static s => ((TaskCompletionSource<bool>)s!).TrySetCanceled(), cancelled))
                    {
                        await (await Task.WhenAny(wait, cancelled.Task).ConfigureAwait(false)).ConfigureAwait(false);
                    }
                }
                else
                {
                    await wait.ConfigureAwait(false);
                }
            }
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
