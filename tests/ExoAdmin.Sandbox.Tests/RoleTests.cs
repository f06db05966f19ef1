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

    private async Task<JsonElement> ModuleFileAsync(string domain, string? commandName = null) =>
        (await ModuleFilesAsync(domain, commandName))[0];

    private async Task<JsonElement[]> ModuleFilesAsync(string domain, string? commandName = null, bool skipFormatData = false)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"{sandbox.ConnectionUri}/AdminApi/v1.0/{domain}/EXOModuleFile?Version=3.9.0");
        request.Headers.Authorization = new("Bearer", await sandbox.AccessTokenAsync(domain));
        if (commandName is not null)
        {
            request.Headers.Add("CommandName", commandName);
        }

        if (skipFormatData)
        {
            request.Headers.Add("SkipLoadingFormatData", "true");
        }

        using var response = await sandbox.Http.SendAsync(request);
        return (await response.JsonAsync()).GetProperty("value").EnumerateArray().Select(e => e.Clone()).ToArray();
    }

    [Fact]
    public async Task The_module_comes_with_format_data_for_its_Get_cmdlets_unless_told_to_skip_it()
    {
        var files = await ModuleFilesAsync(SandboxFixture.Contoso, "Get-Mailbox,Set-Mailbox,Get-DistributionGroup");
        Assert.Equal(["tmpEXO.psm1", "tmpEXO.format.ps1xml"], files.Select(f => f.GetProperty("fileName").GetString()));
        var format = System.Xml.Linq.XDocument.Parse(files[1].GetProperty("fileContent").GetString()!);
        var views = format.Descendants("TypeName").Select(t => t.Value).ToArray();
        Assert.Equal(["ExoSandbox.DistributionGroup", "ExoSandbox.Mailbox"], views);
        Assert.Contains("PrimarySmtpAddress", format.Descendants("PropertyName").Select(p => p.Value));
        Assert.Contains("$item.PSObject.TypeNames.Insert(0, \"ExoSandbox.", files[0].GetProperty("fileContent").GetString());

        // PowerShell accepts it as format data, with views and without any (a module of Set- cmdlets only).
        AssertLoadsAsFormatData(files[1].GetProperty("fileContent").GetString()!);
        AssertLoadsAsFormatData((await ModuleFilesAsync(SandboxFixture.Contoso, "Set-Mailbox"))[1].GetProperty("fileContent").GetString()!);

        var skipped = await ModuleFilesAsync(SandboxFixture.Contoso, "Get-Mailbox", skipFormatData: true);
        Assert.Equal(["tmpEXO.psm1"], skipped.Select(f => f.GetProperty("fileName").GetString()));
    }

    private static void AssertLoadsAsFormatData(string xml)
    {
        var path = Path.Combine(Path.GetTempPath(), $"exoadmin-{Guid.NewGuid():N}.format.ps1xml");
        File.WriteAllText(path, xml);
        try
        {
            // Throws FormatTableLoadException naming what is wrong.
            _ = new System.Management.Automation.Runspaces.FormatTable([path]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task The_help_file_the_module_names_is_served_gzipped_as_MAML_for_the_role_s_cmdlets()
    {
        var module = (await ModuleFileAsync(SandboxFixture.Fabrikam)).GetProperty("fileContent").GetString()!;
        Assert.Contains("$global:HelpFileNames = @('tmpEXO-help.xml')", module);
        Assert.Contains("# .EXTERNALHELP tmpEXO-help.xml", module);

        var request = new HttpRequestMessage(HttpMethod.Get, $"{sandbox.ConnectionUri}/AdminApi/v1.0/{SandboxFixture.Fabrikam}/EXOHelpFile?Version=3.9.0");
        request.Headers.Authorization = new("Bearer", await sandbox.AccessTokenAsync(SandboxFixture.Fabrikam));
        request.Headers.TryAddWithoutValidation("HelpFileNames", "[\"tmpEXO-help.xml\",\"other-help.xml\"]");
        request.Headers.Add("Accept-Encoding", "gzip");
        using var response = await sandbox.Http.SendAsync(request);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(["gzip"], response.Content.Headers.ContentEncoding);
        await using var gzip = new System.IO.Compression.GZipStream(await response.Content.ReadAsStreamAsync(), System.IO.Compression.CompressionMode.Decompress);
        using var document = await JsonDocument.ParseAsync(gzip);
        var files = document.RootElement.GetProperty("value").EnumerateArray().ToArray();
        Assert.Single(files);
        Assert.Equal("tmpEXO-help.xml", files[0].GetProperty("fileName").GetString());

        var maml = System.Xml.Linq.XDocument.Parse(files[0].GetProperty("helpFileContent").GetString()!);
        System.Xml.Linq.XNamespace command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        var names = maml.Descendants(command + "name").Select(n => n.Value).ToArray();
        Assert.Contains("Get-Mailbox", names);
        Assert.DoesNotContain("Set-Mailbox", names);
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
