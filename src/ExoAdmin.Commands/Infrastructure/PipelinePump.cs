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
internal sealed class PipelinePump : IOperationSink, IObjectDeliveryCounter
{
    private const int Capacity = 256;
    private readonly BlockingCollection<Action<Cmdlet>> _queue = new(Capacity);
    private readonly CancellationTokenSource _cancellation;
    private readonly bool _showProgress;
    private long _delivered;

    /// <param name="showProgress">False drops progress records (non-interactive hosts, -ShowProgress:$false).</param>
    public PipelinePump(CancellationToken stopping, bool showProgress = false)
    {
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        _showProgress = showProgress;
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
        task.ContinueWith(_ => _queue.CompleteAdding(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            foreach (var write in _queue.GetConsumingEnumerable())
            {
                write(cmdlet);
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
            // The queue is not disposed: the completion continuation may still touch it.
            _cancellation.Dispose();
        }

        task.GetAwaiter().GetResult();
    }

    public long ObjectsDelivered => Interlocked.Read(ref _delivered);

    public void WriteObject(object value) => Post(c =>
    {
        c.WriteObject(value);
        Interlocked.Increment(ref _delivered);
    });

    public void WriteError(ErrorRecord error) => Post(c => c.WriteError(error));

    public void WriteWarning(string message) => Post(c => c.WriteWarning(message));

    public void WriteVerbose(string message) => Post(c => c.WriteVerbose(message));

    public void WriteDebug(string message) => Post(c => c.WriteDebug(message));

    public void WriteProgress(ProgressRecord record)
    {
        if (_showProgress)
        {
            Post(c => c.WriteProgress(record));
        }
    }

    public void WriteHost(string message) => Post(c => c.WriteInformation(
        new HostInformationMessage { Message = message, ForegroundColor = ConsoleColor.Yellow },
        new[] { "PSHOST" }));

    private void Post(Action<Cmdlet> write)
    {
        // Blocks while the queue is full; throws OperationCanceledException once the cmdlet stops.
        _queue.Add(write, _cancellation.Token);
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
