using System;
using System.Globalization;
using ExoAdmin.Engine.Http.Transport;

namespace ExoAdmin.Engine.Sessions;

/// <summary>
/// EXOADMIN_TEST_CLOCK_OFFSET (seconds, for example "0" or "3300"): a connection to a sandbox reads its clock that far
/// from the real time, so an end-to-end test lets a token expire, a circuit's break end or a sampling window pass by
/// moving the clock instead of sleeping. The variable is read at every reading, so a test moves the clock of a
/// connection it already made. Only the reading moves: a wait (a back-off, a Retry-After) still takes real time.
/// It is a test's seam and nothing else's: the connection must trust a sandbox CA (EXOADMIN_SANDBOX_CA_FILE) and go to
/// loopback hosts only (service and authority), and the variable must be a number when it connects; any other
/// connection keeps the system clock, whatever the variable says later.
/// </summary>
internal sealed class SandboxTestClock : TimeProvider
{
    public const string EnvironmentVariable = "EXOADMIN_TEST_CLOCK_OFFSET";

    private const double MaxSeconds = 100 * 365.25 * 24 * 3600; // a century either way; more is not a test's clock

    private readonly Func<string?> _offset;

    private SandboxTestClock(Func<string?> offset) => _offset = offset;

    /// <summary>The clock a new connection keeps: the system clock unless this is a test's connection to a sandbox.</summary>
    public static TimeProvider For(Uri connectionUri, Uri authorityUri, SandboxTrust? trust) =>
        For(connectionUri, authorityUri, trust, () => Environment.GetEnvironmentVariable(EnvironmentVariable));

    /// <param name="offset">Reads the offset's text (the variable; a test of this class gives its own).</param>
    internal static TimeProvider For(Uri connectionUri, Uri authorityUri, SandboxTrust? trust, Func<string?> offset) =>
        trust is not null && connectionUri.IsLoopback && authorityUri.IsLoopback && Parse(offset()) is not null ? new SandboxTestClock(offset) : System;

    /// <summary>The real time moved by the offset; once the variable is gone (or not a number), the real time.</summary>
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + (Parse(_offset()) ?? TimeSpan.Zero);

    private static TimeSpan? Parse(string? seconds) =>
        double.TryParse(seconds, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && Math.Abs(value) <= MaxSeconds
            ? TimeSpan.FromSeconds(value)
            : null;
}
