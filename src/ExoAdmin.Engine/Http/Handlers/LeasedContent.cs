using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using ExoAdmin.Engine.Http.Bodies;

namespace ExoAdmin.Engine.Http.Handlers;

/// <summary>
/// An answer's body that gives its request's place back (a lease) once it has been read to the end, failed or been
/// disposed, or earlier when its download is held back by the client (<see cref="IHeldPlace"/>).
/// </summary>
internal sealed class LeasedContent : HttpContent, IHeldPlace
{
    private readonly HttpContent _inner;
    private readonly IDisposable _lease;

    public LeasedContent(HttpContent inner, IDisposable lease)
    {
        _inner = inner;
        _lease = lease;
        foreach (var header in inner.Headers)
        {
            Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    public void GiveBack() => _lease.Dispose();

    protected override async Task<Stream> CreateContentReadStreamAsync() =>
        new ReleasingStream(await _inner.ReadAsStreamAsync().ConfigureAwait(false), _lease);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        try
        {
            await _inner.CopyToAsync(stream).ConfigureAwait(false);
        }
        finally
        {
            _lease.Dispose();
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _inner.Headers.ContentLength ?? 0;
        return _inner.Headers.ContentLength is not null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _lease.Dispose();
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private sealed class ReleasingStream : Stream
    {
        private readonly Stream _inner;
        private readonly IDisposable _lease;

        public ReleasingStream(Stream inner, IDisposable lease)
        {
            _inner = inner;
            _lease = lease;
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            try
            {
                var read = await _inner.ReadAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    _lease.Dispose();
                }

                return read;
            }
            catch
            {
                _lease.Dispose();
                throw;
            }
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _lease.Dispose();
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
