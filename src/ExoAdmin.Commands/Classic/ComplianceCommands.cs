using System.Management.Automation;
using ExoAdmin.Commands.Infrastructure;

namespace ExoAdmin.Commands.Classic;

/// <summary>Get-RetentionCompliancePolicy: retention policies, through the Connect-IPPSSession connection.</summary>
[Cmdlet(VerbsCommon.Get, "RetentionCompliancePolicy")]
[OutputType("ExoAdmin.RetentionCompliancePolicy")]
public sealed class GetRetentionCompliancePolicyCommand : ClassicCmdlet
{
    /// <summary>The policy's name or GUID; all policies when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ValidateIdentity]
    public string? Identity { get; set; }

    [Parameter]
    public SwitchParameter DistributionDetail { get; set; }

    [Parameter]
    public SwitchParameter ExcludeTeamsPolicy { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? RetentionRuleTypes { get; set; }

    protected override string CmdletName => "Get-RetentionCompliancePolicy";

    protected override bool UsesComplianceConnection => true;
}
