using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace ExoAdmin.Engine.Http;

/// <summary>
/// How many requests one connection has in flight, found the way TCP finds its window (additive increase, multiplicative
/// decrease): it starts low, grows by one each time a full window of answers came back clean, and halves when the service
/// throttles (429, §18.4's concurrent-requests refusal) or says its budget is nearly spent; never above the connection's
/// -MaxConcurrency nor below one. One limiter per connection, shared by all its cmdlets. A burst of refusals to requests
/// sent under the same window halves it once, not once per refusal.
/// </summary>
internal sealed class AdaptiveConcurrencyLimiter
{
    /// <summary>Where a connection starts: one more than the original module's one at a time.</summary>
    public const int InitialLimit = 2;

    private readonly object _gate = new();
    private readonly LinkedList<TaskCompletionSource<Lease>> _waiters = new();
    private int _limit;
    private int _inFlight;
    private int _clean;
    private int _generation;

    public AdaptiveConcurrencyLimiter(int max)
    {
        Max = Math.Max(1, max);
        _limit = Math.Min(InitialLimit, Max);
    }

    public int Max { get; }

    public int Limit
    {
        get
        {
            lock (_gate)
            {
                return _limit;
            }
        }
    }

    public int InFlight
    {
        get
        {
            lock (_gate)
            {
                return _inFlight;
            }
        }
    }

    /// <summary>Waits for a place among the requests in flight; the lease gives it back when disposed.</summary>
    public Task<Lease> AcquireAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource<Lease> waiter;
        LinkedListNode<TaskCompletionSource<Lease>> node;
        lock (_gate)
        {
            if (_inFlight < _limit && _waiters.Count == 0)
            {
                _inFlight++;
                return Task.FromResult(new Lease(this, _generation));
            }

            waiter = new TaskCompletionSource<Lease>(TaskCreationOptions.RunContinuationsAsynchronously);
            node = _waiters.AddLast(waiter);
        }

        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(() =>
            {
                lock (_gate)
                {
                    if (node.List is null)
                    {
                        return; // already granted: the lease is the caller's to dispose
                    }

                    _waiters.Remove(node);
                }

                waiter.TrySetCanceled(cancellationToken);
            });
            waiter.Task.ContinueWith(static (_, state) => ((CancellationTokenRegistration)state!).Dispose(), registration, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return waiter.Task;
    }

    /// <summary>An answer came back clean: after a full window of them, one more request may be in flight.</summary>
    public LimitChange? Clean(Lease lease)
    {
        lock (_gate)
        {
            if (lease.Generation != _generation || _limit >= Max || ++_clean < _limit)
            {
                return null;
            }

            _clean = 0;
            return Change(_limit + 1);
        }
    }

    /// <summary>The service throttled (or is about to): half as many in flight, once per window.</summary>
    public LimitChange? Throttled(Lease lease)
    {
        lock (_gate)
        {
            if (lease.Generation != _generation)
            {
                return null; // sent before the last decrease: that decrease already answered this burst
            }

            _clean = 0;
            return _limit > 1 ? Change(Math.Max(1, _limit / 2)) : null;
        }
    }

    private LimitChange Change(int limit)
    {
        var change = new LimitChange(_limit, limit);
        _limit = limit;
        _generation++;
        GrantWaiters();
        return change;
    }

    private void Release()
    {
        lock (_gate)
        {
            _inFlight--;
            GrantWaiters();
        }
    }

    /// <summary>Hands free places to waiters, oldest first (under the lock).</summary>
    private void GrantWaiters()
    {
        while (_inFlight < _limit && _waiters.First is { } first)
        {
            _waiters.RemoveFirst();
            if (first.Value.TrySetResult(new Lease(this, _generation)))
            {
                _inFlight++;
            }
        }
    }

    /// <summary>One request's place among those in flight.</summary>
    internal sealed class Lease : IDisposable
    {
        private AdaptiveConcurrencyLimiter? _owner;

        public Lease(AdaptiveConcurrencyLimiter owner, int generation)
        {
            _owner = owner;
            Generation = generation;
        }

        /// <summary>The window the request was sent under.</summary>
        public int Generation { get; }

        public void Dispose() => Interlocked.Exchange(ref _owner, null)?.Release();
    }
}

/// <summary>The limit moved from one value to another.</summary>
internal readonly struct LimitChange
{
    public LimitChange(int from, int to)
    {
        From = from;
        To = to;
    }

    public int From { get; }

    public int To { get; }
}
