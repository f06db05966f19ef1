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
    private long _total;
    private long _inFlight;

    public long Total => Interlocked.Read(ref _total);

    /// <summary>Requests counted whose response has not completed yet, so a test can be told the sandbox is idle.</summary>
    public long InFlight => Interlocked.Read(ref _inFlight);

    public void Count(HttpRequest request)
    {
        Interlocked.Increment(ref _inFlight);
        request.HttpContext.Response.OnCompleted(() =>
        {
            Interlocked.Decrement(ref _inFlight);
            return Task.CompletedTask;
        });
        var shape = request.Method + " " + KeyLiteral().Replace(request.PathBase + request.Path, "('*')");
        _counts.AddOrUpdate(shape, 1, static (_, n) => n + 1);
        Interlocked.Increment(ref _total);
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
