using System.Collections;
using System.Linq;
using System.Management.Automation;
using ExoAdmin.Commands.Infrastructure;

namespace ExoAdmin.Commands.Classic;

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

    protected override void ProcessRecord()
    {
        var parameters = new System.Collections.Generic.Dictionary<string, object>(System.StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in Parameters ?? new Hashtable())
        {
            parameters[entry.Key.ToString()!] = entry.Value!;
        }

        Invoke(Name!, CollectParameters(parameters.ToDictionary(p => p.Key, p => p.Value)));
    }
}
