using System.Collections;
using System.Management.Automation;
using ExoAdmin.Commands.Infrastructure;

namespace ExoAdmin.Commands.Module;

/// <summary>
/// Runs a service command's items on the classic cmdlets' one path. Each generated function drives one runner through a
/// steppable pipeline and hands it every item's bound parameters, which the runner copies into an immutable request at
/// once; so piped items fan out exactly as they do for the compiled cmdlets. Output, errors and ShouldProcess go through
/// the function (<see cref="Caller"/>), so they name the command the user ran. Not exported: the functions reach it
/// through a CmdletInfo of their module.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "ExoServiceCommand")]
public sealed class ServiceCommandRunner : ClassicCmdlet
{
    /// <summary>The command being run.</summary>
    [Parameter(Mandatory = true)]
    public ServiceCommand? ServiceCommand { get; set; }

    /// <summary>The generated function's $PSCmdlet.</summary>
    [Parameter(Mandatory = true)]
    public PSCmdlet? Caller { get; set; }

    /// <summary>One item's $PSBoundParameters.</summary>
    [Parameter(ValueFromPipeline = true)]
    public IDictionary? BoundParameters { get; set; }

    protected override string CmdletName => ServiceCommand!.CmdletName;

    protected override bool UsesComplianceConnection => ServiceCommand!.IsCompliance;

    private protected override PSCmdlet UserCommand => Caller!;

    private protected override ConfirmImpact Impact => ServiceCommand!.Impact;

    private protected override bool TakesServiceOnlyParameters => false;

    protected override void BeginProcessing() => ConnectionId = ServiceCommand!.ConnectionId;

    protected override void ProcessRecord()
    {
        var bound = BoundParameters ?? new Hashtable();
        Submit(CmdletName, Sendable(bound), bound.Contains("Identity") ? bound["Identity"]?.ToString() : null);
    }
}
