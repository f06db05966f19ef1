using System.Net.Http;
using ExoAdmin.Engine.Http.Bodies;

namespace ExoAdmin.Engine.Tests;

public class BoundedBodyTests
{
    private static readonly BodyLimits Limits = new(1024 * 1024, 64 * 1024, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5));

    /// <summary>
    /// A decompressing stream frees its native state when closed; closed under a read, the process crashes (seen in CI
    /// as a test host crash while a gzip body was being stopped). Where reads observe their token, stopping a body must
    /// cancel the read, never close the stream beneath it.
    /// </summary>
    [Fact]
    public async Task Stopping_a_body_cancels_its_read_and_never_closes_the_stream_under_it()
    {
        var stream = new ReadUntilCancelledStream();
        using var stopping = new CancellationTokenSource();
        var body = BoundedBody.Start(new StreamContent(stream), Limits, TimeProvider.System, stopping.Token);
        await stream.Reading.WaitAsync(TimeSpan.FromSeconds(30));

        stopping.Cancel();   // runs the body's cancellation callbacks here and now, while the read is still in flight
        stream.EndRead();
        var complete = await body.Finished.WaitAsync(TimeSpan.FromSeconds(30));
        await body.DisposeAsync();

        Assert.False(complete);
        Assert.True(stream.ReadCancelled);
        Assert.False(stream.ClosedDuringRead);
        Assert.True(stream.Closed); // once the read has ended, the body still closes what it owns
    }

    /// <summary>
    /// A body whose first read lasts until the test ends it, and which records a close that comes while that read is in
    /// flight. The read then ends as a read observing its token does.
    /// </summary>
    private sealed class ReadUntilCancelledStream : ReadOnlyBodyStream
    {
        private readonly TaskCompletionSource _reading = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _end = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _inRead;

        public void EndRead() => _end.TrySetResult();

        public Task Reading => _reading.Task;

        public bool ReadCancelled { get; private set; }

        public bool ClosedDuringRead { get; private set; }

        public bool Closed { get; private set; }

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Interlocked.Exchange(ref _inRead, 1);
            try
            {
                _reading.TrySetResult();
                await _end.Task;
                ReadCancelled = cancellationToken.IsCancellationRequested;
                cancellationToken.ThrowIfCancellationRequested();
                return 0;
            }
            finally
            {
                Interlocked.Exchange(ref _inRead, 0);
            }
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("The body is read asynchronously.");

        protected override void Dispose(bool disposing)
        {
            if (Volatile.Read(ref _inRead) == 1)
            {
                ClosedDuringRead = true;
            }

            Closed = true;
            base.Dispose(disposing);
        }
    }
}
