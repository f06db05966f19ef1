using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using ExoAdmin.Engine.Errors;
using ExoAdmin.Engine.Operations;

namespace ExoAdmin.Commands.Infrastructure;

/// <summary>
/// Runs the engine work of pipelined items (one per ProcessRecord) concurrently, at most <c>window</c> at a time, and
/// writes their output exactly as the sequential run would: everything item k writes (objects, errors, warnings,
/// verbose and debug lines) before anything of item k+1, and only on the pipeline thread. Item k's output is written
/// as it arrives while k is the oldest item; later items buffer theirs (bounded) until their turn.
/// </summary>
/// <remarks>
/// A terminating failure of item k surfaces when k's turn comes, after k's earlier output. For reads the later items are
/// cancelled and their output dropped, as if never started. For changes they are already on the wire, so they are
/// awaited rather than cancelled (a cancelled change would leave its outcome unknown) and each one's outcome is written
/// as a warning before the failure is thrown. When the pipeline stops (Select-Object -First, Ctrl+C, an error under
/// -ErrorAction Stop) every item in flight is cancelled and awaited: no request outlives the cmdlet.
/// </remarks>
internal sealed partial class OrderedFanOut : IDisposable
{
    /// <summary>Output records one waiting item may buffer before its engine work waits (back-pressure).</summary>
    internal const int ItemCapacity = 256;

    private readonly Queue<Item> _items = new();
    private readonly CancellationTokenSource _cancellation;
    private readonly int _window;
    private readonly bool _showProgress;
    private readonly bool _isChange;
    private readonly StoppedChanges? _changes;
    private bool _disposed;

    /// <param name="window">How many items may be in flight (dispatched and not yet written); at least 1.</param>
    /// <param name="isChange">Items change state: on a terminating failure, later items are awaited and reported, not cancelled.</param>
    /// <param name="changes">Where a stop tells what became of each change in flight (see <see cref="Cancel"/>).</param>
    public OrderedFanOut(int window, CancellationToken stopping, bool showProgress, bool isChange, StoppedChanges? changes = null)
    {
        if (window < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(window), window, "The window must be at least 1.");
        }

        _window = window;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        _showProgress = showProgress;
        _isChange = isChange;
        _changes = changes;
    }

    /// <summary>Items dispatched whose output is not yet all written.</summary>
    public int Pending => _items.Count;

    /// <summary>
    /// Starts one item. While the window is full, first writes the oldest item's output until it is done; afterwards
    /// writes whatever is ready without waiting. Throws the failure of an item whose turn came (see remarks).
    /// </summary>
    /// <param name="target">What the item is about (its identity), named in the warnings of a failed change run.</param>
    /// <param name="done">Called on the pipeline thread after the item's output is all written (item progress).</param>
    public void Dispatch(Cmdlet cmdlet, Func<IOperationSink, CancellationToken, Task> work, string? target = null, Action? done = null)
    {
        Guard(cmdlet, () =>
        {
            while (_items.Count >= _window)
            {
                WriteHead(cmdlet, block: true);
            }

            var item = new Item(target, done, _showProgress) { Changes = _changes };
            var token = _cancellation.Token;
            item.Task = Task.Run(() => work(item, token), token);
            item.Task.ContinueWith(static (_, state) => ((Item)state!).Queue.CompleteAdding(), item, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            _items.Enqueue(item);
            WriteReady(cmdlet);
        });
    }

    /// <summary>Writes the output that is ready, in order, without waiting.</summary>
    public void WriteReady(Cmdlet cmdlet) => Guard(cmdlet, () =>
    {
        while (_items.Count > 0 && WriteHead(cmdlet, block: false))
        {
        }
    });

    /// <summary>Writes everything, waiting for each item in turn (EndProcessing).</summary>
    public void Complete(Cmdlet cmdlet) => Guard(cmdlet, () =>
    {
        while (_items.Count > 0)
        {
            WriteHead(cmdlet, block: true);
        }
    });

    /// <summary>
    /// Cancels whatever is still in flight and waits for it (pipeline stopped, or the cmdlet disposed). For changes, what
    /// became of each one whose output will not be written is noted for the stop's report: a change cancelled after it
    /// was sent reports itself as unknown (its engine work writes ExoChangeOutcomeUnknown); one the service had answered
    /// is noted as answered; one cancelled before it left, as not sent.
    /// </summary>
    public void Cancel()
    {
        if (_disposed)
        {
            return;
        }

        _cancellation.Cancel();
        while (_items.Count > 0)
        {
            var item = _items.Dequeue();
            item.Drop();
            WaitQuietly(item.Task!);
            if (_isChange && _changes is not null && !item.ReportedUnknown)
            {
                if (item.Task!.Status == TaskStatus.RanToCompletion)
                {
                    _changes.Answered(item.Target ?? "an item", item.FirstError);
                }
                else
                {
                    _changes.NotSent(item.Target ?? "an item");
                }
            }
        }
    }

    public void Dispose()
    {
        Cancel();
        _disposed = true;
        _cancellation.Dispose();
    }

    /// <summary>Any failure while writing (the pipeline stopped, -ErrorAction Stop) stops and awaits everything in flight.</summary>
    private void Guard(Cmdlet cmdlet, Action action)
    {
        try
        {
            action();
        }
        catch (ItemFailedException failed)
        {
            HandleItemFailure(failed);
            try
            {
                failed.Warnings.ForEach(cmdlet.WriteWarning);
            }
            finally
            {
                var inner = failed.Failure is AggregateException { InnerException: { } single } ? single : failed.Failure;
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(inner).Throw();
            }
        }
        catch
        {
            Cancel();
            throw;
        }
    }

    /// <summary>Writes the head item's output; true when the head finished and was removed.</summary>
    private bool WriteHead(Cmdlet cmdlet, bool block)
    {
        var head = _items.Peek();
        if (block)
        {
            foreach (var write in head.Queue.GetConsumingEnumerable())
            {
                write(cmdlet);
            }
        }
        else
        {
            while (head.Queue.TryTake(out var write))
            {
                write(cmdlet);
            }

            if (!head.Queue.IsCompleted)
            {
                return false;
            }
        }

        _items.Dequeue();
        var task = head.Task!;
        if (task.IsFaulted || task.IsCanceled)
        {
            throw new ItemFailedException(head, task.Exception ?? (Exception)new OperationCanceledException(_cancellation.Token));
        }

        head.Done?.Invoke();
        return true;
    }

    /// <summary>
    /// Item k failed terminating. Reads: cancel and await the later ones, their output unwritten. Changes: the later
    /// ones were sent, so await them and tell what became of each before k's failure ends the pipeline.
    /// </summary>
    private void HandleItemFailure(ItemFailedException failed)
    {
        if (!_isChange || _cancellation.IsCancellationRequested)
        {
            Cancel();
            return;
        }

        var later = new List<Item>(_items);
        _items.Clear();
        foreach (var item in later)
        {
            item.Drop();
            WaitQuietly(item.Task!);
        }

        var failedTarget = failed.Item.Target ?? "an earlier item";
        foreach (var item in later)
        {
            var outcome = item.Task!.IsFaulted ? "it failed: " + (item.Task.Exception!.InnerException ?? item.Task.Exception).Message
                : item.FirstError is { } error ? "it failed: " + error
                : "it completed";
            failed.Warnings.Add($"'{item.Target ?? "an item"}' was already sent when '{failedTarget}' failed; {outcome}.");
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
            // Cancelled because the pipeline stopped, or its failure is reported elsewhere.
        }
    }
}
