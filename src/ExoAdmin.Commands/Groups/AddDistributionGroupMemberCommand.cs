using System.Management.Automation;
using ExoAdmin.Commands.Infrastructure;

namespace ExoAdmin.Commands.Groups;

/// <summary>Add-DistributionGroupMember.</summary>
[Cmdlet(VerbsCommon.Add, "DistributionGroupMember", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
public sealed partial class AddDistributionGroupMemberCommand : ClassicCmdlet
{
    protected override string CmdletName => "Add-DistributionGroupMember";

    protected override string? Target => $"{Member} → {Identity}";
}
