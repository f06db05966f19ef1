using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace ExoAdmin.Sandbox.Control;

/// <summary>
/// Counts every request the sandbox answers (all listeners, Entra and Exchange alike, but not the control
/// endpoint itself) by method and path shape, so benchmarks and tests can say how many requests a command made.
/// The shape is the path without its query and with every key literal <c>('…')</c> replaced by <c>('*')</c>:
/// a thousand different mailboxes read by key count under one entry.
/// </summary>
internal sealed partial class RequestCounter : IResettable
{
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _total;
    private long _inFlight;

    /// <summary>Completed when the in-flight count next reaches zero; null while nobody waits for that.</summary>
    private TaskCompletionSource? _idle;

    public long Total => Interlocked.Read(ref _total);

    /// <summary>Requests counted whose response has not completed yet, so a test can be told the sandbox is idle.</summary>
    public long InFlight => Interlocked.Read(ref _inFlight);

    public void Count(HttpRequest request)
    {
        lock (_gate)
        {
            _inFlight++;
        }

        request.HttpContext.Response.OnCompleted(() =>
        {
            TaskCompletionSource? idle = null;
            lock (_gate)
            {
                if (--_inFlight == 0)
                {
                    (idle, _idle) = (_idle, null);
                }
            }

            idle?.TrySetResult();
            return Task.CompletedTask;
        });
        var shape = request.Method + " " + KeyLiteral().Replace(request.PathBase + request.Path, "('*')");
        _counts.AddOrUpdate(shape, 1, static (_, n) => n + 1);
        Interlocked.Increment(ref _total);
    }

    /// <summary>
    /// Completes once no counted request is being answered (at once if none is): a test is told the sandbox is idle
    /// instead of asking again and again or guessing a time (GET /_sandbox/idle).
    /// </summary>
    public Task WhenIdleAsync()
    {
        lock (_gate)
        {
            return _inFlight == 0 ? Task.CompletedTask : (_idle ??= new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
    }

    /// <summary>The counts so far, by shape in ordinal order.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> Snapshot() =>
        _counts.OrderBy(p => p.Key, StringComparer.Ordinal).ToArray();

    /// <summary>Every count back to zero (DELETE /_sandbox/stats and the sandbox reset).</summary>
    public void Reset()
    {
        _counts.Clear();
        Interlocked.Exchange(ref _total, 0);
    }

    /// <summary>A quoted key literal: <c>('x')</c>, with '' as an escaped quote inside, percent-encoded or not.</summary>
    [GeneratedRegex(@"\((?:'|%27)(?:[^']|'')*?(?:'|%27)\)", RegexOptions.IgnoreCase)]
    private static partial Regex KeyLiteral();
}
