using System.Management.Automation;
using ExoAdmin.Commands.Infrastructure;

namespace ExoAdmin.Commands.Groups;

/// <summary>Remove-DistributionGroupMember.</summary>
[Cmdlet(VerbsCommon.Remove, "DistributionGroupMember", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
public sealed partial class RemoveDistributionGroupMemberCommand : ClassicCmdlet
{
    protected override string CmdletName => "Remove-DistributionGroupMember";

    protected override string? Target => $"{Member} ← {Identity}";
}
