using System;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Threading;

namespace ExoAdmin.Engine.Http;

/// <summary>
/// The tenant's request budget as the service reports it (Rate-Limit-Remaining, Rate-Limit-Reset): once a response
/// says none is left, no request of the connection is sent before the window resets. One per connection, shared by
/// all its concurrent requests, so a parallel read does not spend the next window's budget in refusals. How long a
/// request may wait for the reset is its own budget's business (<see cref="Handlers.RateLimitGateHandler"/>).
/// </summary>
internal sealed class RateLimitGate
{
    private long _notBeforeTicks; // UTC ticks; 0 = open

    /// <summary>Reads the budget headers of a response; closes the gate until the reset when none is left.</summary>
    public void Observe(HttpResponseMessage response, DateTimeOffset now)
    {
        if (Remaining(response) is not 0 || !TryHeader(response, "Rate-Limit-Reset", out var resetText))
        {
            return;
        }

        DateTimeOffset reset;
        if (DateTimeOffset.TryParse(resetText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            reset = at;
        }
        else if (double.TryParse(resetText, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            reset = now.AddSeconds(seconds); // some services send seconds until the reset instead of a date
        }
        else
        {
            return;
        }

        // Only ever later: two responses of the same window must not reopen the gate early.
        var ticks = reset.UtcTicks;
        long seen;
        while ((seen = Interlocked.Read(ref _notBeforeTicks)) < ticks)
        {
            if (Interlocked.CompareExchange(ref _notBeforeTicks, ticks, seen) == seen)
            {
                return;
            }
        }
    }

    /// <summary>How long the next request must wait, and until when.</summary>
    public TimeSpan Pending(DateTimeOffset now, out DateTimeOffset until)
    {
        var ticks = Interlocked.Read(ref _notBeforeTicks);
        until = ticks == 0 ? now : new DateTimeOffset(ticks, TimeSpan.Zero);
        // Rounded up to a whole millisecond: a delay truncates, which would wake just before the reset.
        return until > now ? TimeSpan.FromMilliseconds(Math.Ceiling((until - now).TotalMilliseconds)) : TimeSpan.Zero;
    }

    /// <summary>Rate-Limit-Remaining, when the answer has a number there.</summary>
    public static long? Remaining(HttpResponseMessage response) =>
        TryHeader(response, "Rate-Limit-Remaining", out var text) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var remaining)
            ? Math.Max(0, remaining)
            : null;

    private static bool TryHeader(HttpResponseMessage response, string name, out string value)
    {
        value = response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() ?? string.Empty : string.Empty;
        return value.Length > 0;
    }
}
