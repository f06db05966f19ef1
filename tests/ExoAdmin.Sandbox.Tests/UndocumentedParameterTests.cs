using ExoAdmin.Sandbox.Hosting;
using ExoAdmin.Sandbox.Tests.Infrastructure;

namespace ExoAdmin.Sandbox.Tests;

/// <summary>
/// --undocumented-parameter: a parameter the service has beyond Microsoft's reference is declared by the module file,
/// accepted by InvokeCommand, stored by Set-Mailbox and shown by Get-Mailbox; a mistyped one is a command-line error.
/// </summary>
public sealed class UndocumentedParameterTests(UndocumentedParameterTests.Fixture sandbox) : IClassFixture<UndocumentedParameterTests.Fixture>
{
    public sealed class Fixture : SandboxFixture
    {
        internal override SandboxOptions Options => SandboxOptions.Parse(
            ["--tenant", Contoso, "--mailboxes", "10", "--undocumented-parameter", "Set-Mailbox:PreviewSetting", "--undocumented-parameter", "Set-Mailbox:PreviewLimit:Int32"]);
    }

    [Fact]
    public async Task The_module_file_declares_it_in_every_set_and_Set_Mailbox_stores_it_for_Get_Mailbox()
    {
        var (text, _) = await sandbox.ModuleAsync(SandboxFixture.Contoso, commandName: "Set-Mailbox");
        Assert.Contains("    [string]\n    ${PreviewSetting}", text);
        Assert.Contains("    [int]\n    ${PreviewLimit}", text);

        var alias = (await sandbox.SingleAsync(SandboxFixture.Contoso, "Get-Mailbox", new { ResultSize = 1 })).GetProperty("Alias").GetString();
        await (await sandbox.RunAsync(SandboxFixture.Contoso, "Set-Mailbox", new { Identity = alias, PreviewSetting = "on", PreviewLimit = 7 })).JsonAsync();

        var mailbox = await sandbox.SingleAsync(SandboxFixture.Contoso, "Get-Mailbox", new { Identity = alias });
        Assert.Equal("on", mailbox.GetProperty("PreviewSetting").GetString());
        Assert.Equal("7", mailbox.GetProperty("PreviewLimit").ToString());
    }

    [Theory]
    [InlineData("Set-Mailbox")]
    [InlineData("Set-Mailbox:")]
    [InlineData("SetMailbox:PreviewSetting")]
    [InlineData("Set-Mailbox:Preview Setting")]
    [InlineData("Set-Nothing:PreviewSetting")]
    [InlineData("Set-Mailbox:CustomAttribute7")]
    public void A_bad_or_known_parameter_is_a_command_line_error(string value)
    {
        var error = Assert.Throws<CommandLineException>(() => SandboxOptions.Parse(["--undocumented-parameter", value]));
        Assert.StartsWith("--undocumented-parameter", error.Message);
    }
}
