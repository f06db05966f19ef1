using System;
using System.Globalization;

namespace ExoAdmin.Engine.Http;

/// <summary>
/// How hard one connection tries again, and when it stops trying. The defaults follow the original module
/// (5 retries, 2 s doubling); Retry-After is always honoured as the service sent it (up to MaxDelay).
/// The EXOADMIN_RETRY environment variable overrides them for connections made after it is set, as
/// "Name=value;…" with times in seconds: MaxRetries, BaseDelay, MaxDelay, Budget, AttemptTimeout, BodyIdleTimeout,
/// BodyTimeout, CircuitFailureRatio, CircuitMinimumRequests, CircuitSampling, CircuitBreak (for example
/// "BaseDelay=0.05;CircuitBreak=5").
/// </summary>
internal sealed class RetrySettings
{
    public const string EnvironmentVariable = "EXOADMIN_RETRY";

    public static readonly RetrySettings Default = new();

    /// <summary>Retries of one request after its first attempt.</summary>
    public int MaxRetries { get; set; } = 5;

    /// <summary>The first back-off; each next one doubles, with jitter, up to MaxDelay.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest single wait of a back-off or a Retry-After (a Rate-Limit-Reset is bounded by the Budget instead).</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>All attempts and waits of one request together: no retry starts that would end past it.</summary>
    public TimeSpan Budget { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>How long one attempt may wait for the response headers (slow service cmdlets take minutes).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>How long a response body may go without a byte before it is given up (a stalled connection).</summary>
    public TimeSpan BodyIdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long one response body may take to arrive in all (not counting the time a slow pipeline holds it back), so a
    /// server that trickles a byte at a time cannot hold a read forever.
    /// </summary>
    public TimeSpan BodyTimeout { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>
    /// The circuit opens when, over the last CircuitSampling, at least CircuitMinimumRequests attempts were made and at
    /// least this share of them failed (5xx, network failures, timeouts; throttling does not count).
    /// </summary>
    public double CircuitFailureRatio { get; set; } = 0.5;

    public int CircuitMinimumRequests { get; set; } = 10;

    public TimeSpan CircuitSampling { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit refuses to send before it lets one request try.</summary>
    public TimeSpan CircuitBreak { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The defaults with EXOADMIN_RETRY applied; an entry that does not parse is an error naming it.</summary>
    public static RetrySettings FromEnvironment() => Parse(Environment.GetEnvironmentVariable(EnvironmentVariable));

    internal static RetrySettings Parse(string? text)
    {
        var settings = new RetrySettings();
        if (string.IsNullOrWhiteSpace(text))
        {
            return settings;
        }

        foreach (var entry in text!.Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries))
        {
            if (string.IsNullOrWhiteSpace(entry))
            {
                continue;
            }

            var parts = entry.Split(new[] { '=' }, 2);
            var name = parts[0].Trim();
            if (parts.Length != 2 || !double.TryParse(parts[1].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0)
            {
                throw Errors.Failures.InvalidArgument($"{EnvironmentVariable}: '{entry.Trim()}' is not Name=number (times in seconds).", "InvalidRetrySettings", entry.Trim());
            }

            switch (name.ToUpperInvariant())
            {
                case "MAXRETRIES": settings.MaxRetries = (int)value; break;
                case "BASEDELAY": settings.BaseDelay = TimeSpan.FromSeconds(value); break;
                case "MAXDELAY": settings.MaxDelay = TimeSpan.FromSeconds(value); break;
                case "BUDGET": settings.Budget = TimeSpan.FromSeconds(value); break;
                case "ATTEMPTTIMEOUT": settings.AttemptTimeout = TimeSpan.FromSeconds(value); break;
                case "BODYIDLETIMEOUT": settings.BodyIdleTimeout = TimeSpan.FromSeconds(value); break;
                case "BODYTIMEOUT": settings.BodyTimeout = TimeSpan.FromSeconds(value); break;
                case "CIRCUITFAILURERATIO": settings.CircuitFailureRatio = Math.Min(1, Math.Max(0.01, value)); break;
                case "CIRCUITMINIMUMREQUESTS": settings.CircuitMinimumRequests = Math.Max(2, (int)value); break;
                case "CIRCUITSAMPLING": settings.CircuitSampling = TimeSpan.FromSeconds(Math.Max(0.5, value)); break;
                case "CIRCUITBREAK": settings.CircuitBreak = TimeSpan.FromSeconds(Math.Max(0.5, value)); break;
                default:
                    throw Errors.Failures.InvalidArgument(
                        $"{EnvironmentVariable}: '{name}' is not a setting; use MaxRetries, BaseDelay, MaxDelay, Budget, AttemptTimeout, BodyIdleTimeout, BodyTimeout, CircuitFailureRatio, CircuitMinimumRequests, CircuitSampling or CircuitBreak.",
                        "InvalidRetrySettings", name);
            }
        }

        return settings;
    }
}
