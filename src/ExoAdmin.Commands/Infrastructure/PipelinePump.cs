using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using ExoAdmin.Engine.Operations;

namespace ExoAdmin.Commands.Infrastructure;

/// <summary>
/// Runs engine work on the thread pool and replays its output on the pipeline thread, the only
/// thread allowed to call Write*. The queue is bounded: when the pipeline is slower than the
/// network, the engine waits, so a read of 100,000 mailboxes holds a few hundred at most.
/// </summary>
/// <remarks>
/// When the pipeline is faster than the engine, waking the pipeline thread for every object costs more than writing
/// it. So after writing, an idle pipeline thread first naps (1 ms at a time, unsignalled) and takes whatever arrived
/// in one go; only after a few empty naps does it sleep until the engine signals the next record. The first record
/// after a pause is therefore written at once, and a steady stream is written in batches.
/// </remarks>
internal sealed class PipelinePump : DeferredCmdletSink
{
    private const int Capacity = 256;

    /// <summary>Empty 1 ms naps before the pipeline thread sleeps until signalled.</summary>
    private const int Naps = 3;

    private readonly ConcurrentQueue<Action<Cmdlet>> _queue = new();
    private readonly SemaphoreSlim _space = new(Capacity, Capacity);
    private readonly SemaphoreSlim _ready = new(0);
    private readonly CancellationTokenSource _cancellation;
    private int _asleep;
    private volatile bool _done;

    /// <param name="showProgress">False drops progress records (non-interactive hosts, -ShowProgress:$false).</param>
    public PipelinePump(CancellationToken stopping, bool showProgress = false)
        : base(showProgress)
    {
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(stopping);
    }

    /// <summary>
    /// Runs work to completion while writing its output; rethrows its failure on this thread. If
    /// the pipeline stops early (Select-Object -First, Ctrl+C), the work is cancelled and awaited
    /// so no request outlives the cmdlet.
    /// </summary>
    public void Run(Cmdlet cmdlet, Func<IOperationSink, CancellationToken, Task> work)
    {
        var token = _cancellation.Token;
        var task = Task.Run(() => work(this, token), token);
        task.ContinueWith(
            static (_, state) =>
            {
                var pump = (PipelinePump)state!;
                pump._done = true;
                Interlocked.MemoryBarrier(); // the flag must be visible before the sleep flag is read
                pump.Wake();
            },
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        try
        {
            var naps = Naps; // the first record is awaited with a signal, not a nap
            while (true)
            {
                if (_queue.TryDequeue(out var write))
                {
                    _space.Release();
                    write(cmdlet);
                    naps = 0;
                    continue;
                }

                if (_done)
                {
                    if (_queue.IsEmpty)
                    {
                        break;
                    }

                    continue;
                }

                if (naps < Naps)
                {
                    // A producer just given room is usually about to post: spin a little before napping.
                    var spin = default(SpinWait);
                    while (!spin.NextSpinWillYield && _queue.IsEmpty && !_done)
                    {
                        spin.SpinOnce();
                    }

                    if (_queue.IsEmpty && !_done)
                    {
                        naps++;
                        _ready.Wait(1);
                    }

                    continue;
                }

                // Announce the sleep, then look once more: a record posted in between either is seen here or signals.
                Interlocked.Exchange(ref _asleep, 1); // a full fence: the queue is read only after the flag is set
                if (!_queue.IsEmpty || _done)
                {
                    Interlocked.Exchange(ref _asleep, 0);
                    continue;
                }

                _ready.Wait();
                naps = 0;
            }
        }
        catch
        {
            _cancellation.Cancel();
            WaitQuietly(task);
            throw;
        }
        finally
        {
            // The semaphores are not disposed: the completion continuation may still touch them.
            _cancellation.Dispose();
        }

        task.GetAwaiter().GetResult();
    }

    protected override void Post(Action<Cmdlet> write)
    {
        // Blocks while the queue is full; throws OperationCanceledException once the cmdlet stops.
        _space.Wait(_cancellation.Token);
        _queue.Enqueue(write);
        Wake();
    }

    /// <summary>Signals the pipeline thread only if it is sleeping (not napping): one wake per pause, not per record.</summary>
    private void Wake()
    {
        if (Volatile.Read(ref _asleep) == 1 && Interlocked.Exchange(ref _asleep, 0) == 1)
        {
            _ready.Release();
        }
    }

    private static void WaitQuietly(Task task)
    {
        try
        {
            task.Wait();
        }
        catch (AggregateException)
        {
            // The work was cancelled because the pipeline stopped; its own failure no longer matters.
        }
    }
}
