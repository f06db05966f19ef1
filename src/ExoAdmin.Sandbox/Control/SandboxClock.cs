namespace ExoAdmin.Sandbox.Control;

/// <summary>
/// The sandbox's "now": the time it issues and checks tokens by and counts rate-limit windows in. It runs with the
/// clock it is given (the system's, or a test's virtual one) plus an offset a test sets through
/// <c>PUT /_sandbox/clock</c>, so a test can make the service see its tokens expire, or issue tokens that are already
/// expired, without waiting. The sandbox reset sets the offset back to zero.
/// </summary>
internal sealed class SandboxClock(TimeProvider underlying) : TimeProvider, IResettable
{
    private long _offsetTicks;

    /// <summary>How far the sandbox's clock is from the underlying one.</summary>
    public TimeSpan Offset
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
        set => Interlocked.Exchange(ref _offsetTicks, value.Ticks);
    }

    public override DateTimeOffset GetUtcNow() => underlying.GetUtcNow() + Offset;

    // Timers and timestamps measure intervals: the offset moves "now", not how long a delay lasts.
    public override long GetTimestamp() => underlying.GetTimestamp();

    public override long TimestampFrequency => underlying.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => underlying.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        underlying.CreateTimer(callback, state, dueTime, period);

    public void Reset() => Offset = TimeSpan.Zero;
}
