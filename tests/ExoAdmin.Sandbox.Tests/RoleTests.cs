using System.Text.Json;
using ExoAdmin.Sandbox.Hosting;
using ExoAdmin.Sandbox.Tests.Infrastructure;

namespace ExoAdmin.Sandbox.Tests;

/// <summary>RBAC (--role) and the EXOModuleFile each role is served.</summary>
public sealed class RoleTests(RoleTests.Fixture sandbox) : IClassFixture<RoleTests.Fixture>
{
    /// <summary>Contoso's app is Organization Management; Fabrikam's is help desk.</summary>
    public sealed class Fixture : SandboxFixture
    {
        internal override SandboxOptions Options => base.Options with
        {
            Roles = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { [Fabrikam] = "HelpDesk" },
        };
    }

    [Fact]
    public async Task Help_desk_is_served_only_Get_cmdlets_and_is_refused_changes()
    {
        var (_, exported) = await sandbox.ModuleAsync(SandboxFixture.Fabrikam);
        Assert.Contains("Get-Mailbox", exported);
        Assert.DoesNotContain("Set-Mailbox", exported);
        Assert.All(exported, name => Assert.False(Exchange.ManagementRoles.ChangesState(name), name));

        var body = JsonSerializer.Serialize(new { CmdletInput = new { CmdletName = "Set-Mailbox", Parameters = new { Identity = "alex", DisplayName = "X" } } });
        using var response = await sandbox.PostJsonAsync(sandbox.AdminApi(SandboxFixture.Fabrikam) + "/InvokeCommand", await sandbox.AccessTokenAsync(SandboxFixture.Fabrikam), body);
        var error = await response.JsonAsync(403);
        Assert.StartsWith("AccessDeniedException|", error.GetProperty("error").GetProperty("details")[0].GetProperty("message").GetString());
    }
}
