using System.Management.Automation;
using ExoAdmin.Commands.Infrastructure;

namespace ExoAdmin.Commands.Compliance;

/// <summary>Get-RetentionCompliancePolicy: retention policies, through the Connect-IPPSSession connection.</summary>
[Cmdlet(VerbsCommon.Get, "RetentionCompliancePolicy")]
[OutputType("Deserialized.Microsoft.Office.CompliancePolicy.Tasks.PsRetentionCompliancePolicy")]
public sealed partial class GetRetentionCompliancePolicyCommand : ClassicCmdlet
{
    protected override string CmdletName => "Get-RetentionCompliancePolicy";

    protected override bool UsesComplianceConnection => true;
}
