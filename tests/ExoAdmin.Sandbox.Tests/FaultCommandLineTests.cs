using System.Globalization;
using System.Net;
using ExoAdmin.Sandbox.Control;
using ExoAdmin.Sandbox.Hosting;
using ExoAdmin.Sandbox.Tests.Infrastructure;

namespace ExoAdmin.Sandbox.Tests;

/// <summary>Faults and a budget given on the command line (--fault, --rate-limit) are in force from the first request.</summary>
public sealed class FaultCommandLineTests(FaultCommandLineTests.Fixture sandbox) : IClassFixture<FaultCommandLineTests.Fixture>
{
    public sealed class Fixture : SandboxFixture
    {
        internal override SandboxOptions Options => SandboxOptions.Parse(
        [
            "--tenant", Contoso, "--tenant", Fabrikam, "--mailboxes", "10",
            "--fault", "kind=503;path=/adminapi/beta/*/Mailbox;tenant=contoso.onmicrosoft.com;count=1;retryAfterSeconds=4",
            "--rate-limit", "100/60",
        ]);
    }

    [Fact]
    public async Task Command_line_faults_and_budget_apply_from_the_start()
    {
        var token = await sandbox.AccessTokenAsync(SandboxFixture.Contoso);

        using (var first = await sandbox.GetAsync(sandbox.AdminApi(SandboxFixture.Contoso) + "/Mailbox", token))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
            Assert.Equal("4", first.Headers.GetValues("Retry-After").Single());
            Assert.Equal("100", first.Headers.GetValues("Rate-Limit-Limit").Single());
        }

        using (var second = await sandbox.GetAsync(sandbox.AdminApi(SandboxFixture.Contoso) + "/Mailbox", token))
        {
            Assert.Equal(HttpStatusCode.OK, second.StatusCode);
            Assert.Equal(98, int.Parse(second.Headers.GetValues("Rate-Limit-Remaining").Single(), CultureInfo.InvariantCulture));
        }

        var rule = await sandbox.FaultAsync("f1");
        Assert.Equal(("503", 2L, 1L), (rule.GetProperty("kind").GetString(), rule.GetProperty("matched").GetInt64(), rule.GetProperty("injected").GetInt64()));
        Assert.Equal(SandboxFixture.Contoso, rule.GetProperty("tenant").GetString());
        Assert.Equal(FaultPhase.Before.ToString().ToLowerInvariant(), rule.GetProperty("phase").GetString());
    }
}
