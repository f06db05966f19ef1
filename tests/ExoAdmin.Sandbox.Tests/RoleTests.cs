using System.Management.Automation.Language;
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

    private async Task<JsonElement> ModuleFileAsync(string domain, string? commandName = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"{sandbox.ConnectionUri}/AdminApi/v1.0/{domain}/EXOModuleFile?Version=3.9.0");
        request.Headers.Authorization = new("Bearer", await sandbox.AccessTokenAsync(domain));
        if (commandName is not null)
        {
            request.Headers.Add("CommandName", commandName);
        }

        using var response = await sandbox.Http.SendAsync(request);
        return (await response.JsonAsync()).GetProperty("value")[0].Clone();
    }

    [Fact]
    public async Task Help_desk_is_served_only_Get_cmdlets_and_is_refused_changes()
    {
        var file = await ModuleFileAsync(SandboxFixture.Fabrikam);
        var exported = file.GetProperty("exportedCmdlets").GetString()!.Split(',');
        Assert.Contains("Get-Mailbox", exported);
        Assert.DoesNotContain("Set-Mailbox", exported);
        Assert.All(exported, name => Assert.StartsWith("Get-", name));

        var body = JsonSerializer.Serialize(new { CmdletInput = new { CmdletName = "Set-Mailbox", Parameters = new { Identity = "alex", DisplayName = "X" } } });
        using var response = await sandbox.PostJsonAsync(sandbox.AdminApi(SandboxFixture.Fabrikam) + "/InvokeCommand", await sandbox.AccessTokenAsync(SandboxFixture.Fabrikam), body);
        var error = await response.JsonAsync(403);
        Assert.StartsWith("AccessDeniedException|", error.GetProperty("error").GetProperty("details")[0].GetProperty("message").GetString());
    }

    [Fact]
    public async Task The_module_parses_and_has_a_function_with_a_param_block_per_exported_cmdlet()
    {
        var file = await ModuleFileAsync(SandboxFixture.Contoso, "Set-Mailbox,Get-*Permission");
        var exported = file.GetProperty("exportedCmdlets").GetString()!.Split(',');
        Assert.Equal(["Get-MailboxPermission", "Get-RecipientPermission", "Set-Mailbox"], exported);

        var ast = Parser.ParseInput(file.GetProperty("fileContent").GetString(), out _, out var errors);
        Assert.Empty(errors);
        var functions = ast.FindAll(a => a is FunctionDefinitionAst, false).Cast<FunctionDefinitionAst>().ToDictionary(f => f.Name);
        Assert.All(exported, name => Assert.True(functions.ContainsKey(name), name));
        var setMailbox = functions["Set-Mailbox"].Body.ParamBlock.Parameters.ToDictionary(p => p.Name.VariablePath.UserPath, p => p.StaticType);
        Assert.Equal(typeof(bool), setMailbox["DeliverToMailboxAndForward"]);
        Assert.Equal(typeof(string), setMailbox["ForwardingSmtpAddress"]);
        Assert.Contains("ConnectionContextFactory]::GetCurrentConnectionContext($ConnectionContextObjectId)", file.GetProperty("fileContent").GetString());
    }
}
