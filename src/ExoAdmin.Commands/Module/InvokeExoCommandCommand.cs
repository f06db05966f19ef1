using System.Collections;
using System.Management.Automation;
using ExoAdmin.Commands.Infrastructure;

namespace ExoAdmin.Commands.Module;

/// <summary>
/// Runs any classic cmdlet the service offers, by name, with a hashtable of parameters: the escape hatch for
/// cmdlets ExoAdmin has no command for. Changes (anything but Get-) go through ShouldProcess.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "ExoCommand", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType("ExoAdmin.Object")]
public sealed class InvokeExoCommandCommand : ClassicCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidatePattern(@"^\w+-\w+$")]
    public string? Name { get; set; }

    [Parameter(Position = 1, ValueFromPipeline = true)]
    public Hashtable? Parameters { get; set; }

    protected override string CmdletName => Name!;

    protected override string? Target => Parameters?["Identity"]?.ToString() ?? Name;

    protected override void ProcessRecord() => Submit(Name!, Sendable(Parameters ?? new Hashtable()), Parameters?["Identity"]?.ToString());
}
