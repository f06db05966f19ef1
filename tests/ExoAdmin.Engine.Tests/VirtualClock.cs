using Microsoft.Extensions.Time.Testing;

namespace ExoAdmin.Engine.Tests;

/// <summary>
/// Virtual time for the request path: a FakeTimeProvider that knows which of its timers are armed, so a test can run
/// work to completion by jumping straight to each next wake-up (a retry's wait, the rate-limit gate, a timeout) instead
/// of sleeping. Progress is driven by events (a timer armed, the work done), never by real delays, so it does not depend
/// on the machine's speed.
/// </summary>
internal sealed class VirtualClock : FakeTimeProvider
{
    private readonly object _gate = new();

    // Held while time moves and while a timer is set, so that a timer's recorded due time and its inner one are always
    // reckoned from the same "now" (otherwise a jump between the two leaves a due time in the past that never fires).
    private readonly object _moving = new();
    private readonly Dictionary<TrackedTimer, DateTimeOffset> _armed = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly long _start;

    public VirtualClock()
        : base(DateTimeOffset.UtcNow)
    {
        _start = GetTimestamp();
    }

    /// <summary>Virtual time elapsed since the clock was made.</summary>
    public TimeSpan Elapsed => GetElapsedTime(_start);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var tracked = new TrackedTimer(this);
        tracked.Inner = base.CreateTimer(s => { tracked.Fired(); callback(s); }, state, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        tracked.Change(dueTime, period);
        return tracked;
    }

    /// <summary>
    /// Runs <paramref name="work"/> to its end in virtual time: whenever it waits on a timer due within
    /// <paramref name="horizon"/> (30 s unless given), the clock jumps to the earliest one. Timers further out are never
    /// jumped to: they are the watchdogs of work still running for real (a body's 60 s idle timeout, a 300 s attempt
    /// timeout), which a jump would fire before the work could finish.
    /// </summary>
    /// <param name="armedToJump">
    /// Timers that must be armed before a jump. Against a real server whose pace is also on this clock, two (the server's
    /// wait and the client's body timeout) means both sides are waiting, so virtual time passes only while the client
    /// waits for the network, never while a byte is being handled or after the client gave up.
    /// </param>
    public async Task<T> RunAsync<T>(Task<T> work, TimeSpan? horizon = null, int armedToJump = 1)
    {
        await RunAsync((Task)work, horizon, armedToJump);
        return await work;
    }

    public async Task RunAsync(Task work, TimeSpan? horizon = null, int armedToJump = 1)
    {
        var limit = horizon ?? TimeSpan.FromSeconds(30);
        for (var jumps = 0; jumps < 10_000; jumps++)
        {
            Task changed;
            DateTimeOffset? next;
            lock (_gate)
            {
                changed = _changed.Task;
                next = _armed.Count < Math.Max(1, armedToJump) ? null : _armed.Values.Min();
            }

            if (work.IsCompleted)
            {
                await work; // its failure, if any, is the caller's
                return;
            }

            if (next is { } due && due - GetUtcNow() <= limit)
            {
                lock (_moving)
                {
                    Advance(due > GetUtcNow() ? due - GetUtcNow() : TimeSpan.Zero);
                }

                continue;
            }

            // Nothing to jump to yet: the work is running, or about to arm its next timer.
            await Task.WhenAny(work, changed, Task.Delay(TimeSpan.FromSeconds(30)));
        }

        throw new InvalidOperationException("The work kept arming timers: 10,000 jumps in virtual time.");
    }

    /// <summary>
    /// Completes once a timer due exactly <paramref name="dueIn"/> from now is armed, for a test that must act while the
    /// work waits on that timer (a retry's wait, say) rather than guess when the wait has begun. Time does not move
    /// meanwhile, so "exactly" tells that timer from the work's other watchdogs.
    /// </summary>
    public async Task WhenArmedAsync(TimeSpan dueIn)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                var due = GetUtcNow() + dueIn;
                if (_armed.ContainsValue(due))
                {
                    return;
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    private void Arm(TrackedTimer timer, TimeSpan dueTime)
    {
        lock (_gate)
        {
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                _armed.Remove(timer);
            }
            else
            {
                _armed[timer] = GetUtcNow() + dueTime;
            }

            var changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            changed.TrySetResult();
        }
    }

    private sealed class TrackedTimer(VirtualClock clock) : ITimer
    {
        private TimeSpan _period = Timeout.InfiniteTimeSpan;

        public ITimer Inner { get; set; } = null!;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._moving)
            {
                _period = period;
                clock.Arm(this, dueTime);
                return Inner.Change(dueTime, period);
            }
        }

        /// <summary>A one-shot timer is disarmed when it fires; a periodic one is armed again for its next period.</summary>
        public void Fired() => clock.Arm(this, _period);

        public void Dispose()
        {
            lock (clock._moving)
            {
                clock.Arm(this, Timeout.InfiniteTimeSpan);
                Inner.Dispose();
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
