using System.Management.Automation;
using ExoAdmin.Commands.Completion;
using ExoAdmin.Commands.Infrastructure;

namespace ExoAdmin.Commands.Compliance;

/// <summary>Get-RetentionCompliancePolicy: retention policies, through the Connect-IPPSSession connection.</summary>
[Cmdlet(VerbsCommon.Get, "RetentionCompliancePolicy")]
[OutputType("Deserialized.Microsoft.Office.CompliancePolicy.Tasks.PsRetentionCompliancePolicy")]
public sealed partial class GetRetentionCompliancePolicyCommand : ClassicCmdlet
{
    /// <summary>The policy's name or GUID; all policies when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ValidateIdentity]
    public string? Identity { get; set; }

    protected override string CmdletName => "Get-RetentionCompliancePolicy";

    protected override bool UsesComplianceConnection => true;
}
