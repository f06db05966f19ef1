using ExoAdmin.Engine.Http.Transport;
using ExoAdmin.Engine.Sessions;
using ExoAdmin.Engine.Tests.Hostile;

namespace ExoAdmin.Engine.Tests;

/// <summary>
/// EXOADMIN_TEST_CLOCK_OFFSET moves the clock of a test's connection to a sandbox, read live; any other connection keeps
/// the system clock whatever the variable says (the variable itself is not touched here: other tests connect meanwhile).
/// </summary>
public class SandboxTestClockTests
{
    private static readonly Uri Sandbox = new("https://127.0.0.1:44301/");
    private static readonly Uri SandboxAuthority = new("https://localhost:44301/organizations");

    [Fact]
    public void A_sandbox_connection_reads_the_offset_at_every_reading()
    {
        string? offset = "3600";
        var clock = SandboxTestClock.For(Sandbox, SandboxAuthority, TestCertificates.Trust, () => offset);
        Assert.NotSame(TimeProvider.System, clock);

        AssertNear(DateTimeOffset.UtcNow.AddHours(1), clock.GetUtcNow());
        offset = "-90.5";
        AssertNear(DateTimeOffset.UtcNow.AddSeconds(-90.5), clock.GetUtcNow());
        offset = null; // the variable removed: the real time again
        AssertNear(DateTimeOffset.UtcNow, clock.GetUtcNow());
    }

    [Theory]
    [InlineData("https://outlook.office365.com/", "https://localhost:44301/organizations", true, "0")]
    [InlineData("https://127.0.0.1:44301/", "https://login.microsoftonline.com/organizations", true, "0")]
    [InlineData("https://127.0.0.1:44301/", "https://localhost:44301/organizations", false, "0")]
    [InlineData("https://127.0.0.1:44301/", "https://localhost:44301/organizations", true, null)]
    [InlineData("https://127.0.0.1:44301/", "https://localhost:44301/organizations", true, "")]
    [InlineData("https://127.0.0.1:44301/", "https://localhost:44301/organizations", true, "soon")]
    [InlineData("https://127.0.0.1:44301/", "https://localhost:44301/organizations", true, "1e300")]
    public void Any_other_connection_keeps_the_system_clock(string service, string authority, bool sandboxTrust, string? offset)
    {
        SandboxTrust? trust = sandboxTrust ? TestCertificates.Trust : null;

        Assert.Same(TimeProvider.System, SandboxTestClock.For(new Uri(service), new Uri(authority), trust, () => offset));
    }

    private static void AssertNear(DateTimeOffset expected, DateTimeOffset actual) =>
        Assert.InRange((actual - expected).Duration(), TimeSpan.Zero, TimeSpan.FromSeconds(5));
}
